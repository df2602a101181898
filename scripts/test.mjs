// `npm test`: every layer, in order, with one summary at the end.
//   static       type-check (host/core/tests and webviews) and lint (includes the layering rule)
//   unit         src/core and friends in plain Node (node:test), from out/test/unit
//   integration  mocha suite inside a real VS Code extension host (code-server + headless chromium)
//   e2e          the packaged .vsix in a real VS Code driven through the UI (playwright-core), screenshots in test-results/
// `npm test -- unit` (or integration, e2e, static) runs one layer. Exit code non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from './package-vsix.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// `npm test -- unit --only=batch,culture`: only the unit test files whose path contains one of the words.
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '').slice('--only='.length).split(',').filter(Boolean);
const layers = requested.length ? requested : ['static', 'unit', 'integration', 'e2e'];
const summary = [];
const t0 = Date.now();

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    const tee = (stream) => (d) => { out += d; stream.write(d); };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}

function lastCounts(out) {
  const m = [...out.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
}

function tapCounts(file) {
  const tap = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const get = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? NaN);
  return { passed: get('pass'), failed: get('fail') + (get('cancelled') || 0) };
}

function record(layer, counts, code, ms) {
  const c = counts ?? { passed: 0, failed: 1 };
  if (code !== 0 && c.failed === 0) c.failed = 1; // a crash is a failure even if no test said so
  summary.push({ layer, ...c, ms });
}

const npx = (bin) => path.join(ROOT, 'node_modules/.bin', bin);

async function buildAll() {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

async function staticLayer() {
  const t = Date.now();
  let passed = 0;
  let failed = 0;
  for (const [name, cmd, args] of [
    ['typecheck host/core/tests', npx('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
    ['typecheck webviews', npx('tsc'), ['-p', 'webview/tsconfig.json', '--noEmit']],
    ['lint (layering, security)', npx('eslint'), ['.', '--max-warnings', '0']],
    ['format (.editorconfig)', process.execPath, ['scripts/check-format.mjs']],
  ]) {
    const r = await run(cmd, args);
    console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${name}`);
    if (r.code === 0) passed++;
    else failed++;
  }
  record('static', { passed, failed }, failed ? 1 : 0, Date.now() - t);
}

async function unitLayer() {
  const t = Date.now();
  const files = findFiles(path.join(ROOT, 'out/test/unit'), '.test.js').filter((f) => !only.length || only.some((w) => f.includes(w)));
  const tap = path.join(os.tmpdir(), `alignment-studio-unit-${process.pid}.tap`);
  const r = await run(process.execPath, ['--enable-source-maps', '--test', '--test-timeout=180000', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files]);
  record('unit', tapCounts(tap), r.code, Date.now() - t);
}

async function ensureTools() {
  const r = spawnSync('bash', ['test/harness/install-tools.sh'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('installing the VS Code test tools failed');
}

async function integrationLayer() {
  const t = Date.now();
  // Twice: a trusted workspace (every suite but restricted*), then an untrusted one in Restricted Mode (restricted*).
  const trusted = await run(process.execPath, ['test/harness/runIntegration.mjs']);
  const untrusted = await run(process.execPath, ['test/harness/runIntegration.mjs', '--restricted']);
  const [a, b] = [lastCounts(trusted.out), lastCounts(untrusted.out)];
  record('integration', a && b ? { passed: a.passed + b.passed, failed: a.failed + b.failed } : null, trusted.code || untrusted.code, Date.now() - t);
}

async function e2eLayer() {
  const t = Date.now();
  const vsix = path.join(os.tmpdir(), `alignment-studio-test-${process.pid}.vsix`);
  try {
    packageVsix(vsix);
  } catch (e) {
    console.log(e.message);
    record('e2e', { passed: 0, failed: 1 }, 1, Date.now() - t);
    return;
  }
  const tap = path.join(os.tmpdir(), `alignment-studio-e2e-${process.pid}.tap`);
  const files = findFiles(path.join(ROOT, 'test/e2e'), '.e2e.test.mjs');
  const r = await run(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { env: { ...process.env, VSIX: vsix } });
  record('e2e', tapCounts(tap), r.code, Date.now() - t);
  fs.rmSync(vsix, { force: true });
}

try {
  await buildAll();
  if (layers.includes('integration') || layers.includes('e2e')) await ensureTools();
  for (const layer of layers) {
    console.log(`\n=== ${layer} ===`);
    await ({ static: staticLayer, unit: unitLayer, integration: integrationLayer, e2e: e2eLayer })[layer]();
  }
} catch (e) {
  console.error(`[test] ${e.message}`);
  summary.push({ layer: 'harness', passed: 0, failed: 1, ms: 0 });
}

console.log('\n=== summary ===');
for (const s of summary) console.log(`${s.layer.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${(s.ms / 1000).toFixed(1)} s`);
const passed = summary.reduce((a, s) => a + (s.passed || 0), 0);
const failed = summary.reduce((a, s) => a + (Number.isNaN(s.failed) ? 1 : s.failed), 0);
console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
