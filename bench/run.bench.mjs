// Run engine benchmark (issue #8): the fake OpenAI-compatible server in its own process with 50 ms latency,
// 2,000 distinct requests through the engine into a real run store, at concurrency 8 / 32 / 128.
// Also: CLI start-up, and a 100k-request run streaming through the store (peak RSS).
// `npm run bench -- run` (builds first). `--quick` for a short smoke run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, percentile, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(ROOT, 'out', p);
const { runRequests } = require(out('src/core/run/runRequests.js'));
const { RunStore } = require(out('src/core/run/RunStore.js'));
const { createOpenAICompleter } = require(out('src/core/run/createOpenAICompleter.js'));
const { requestHash, requestHashBase } = require(out('src/core/run/requestHash.js'));

const quick = process.argv.includes('--quick');
const REQUESTS = quick ? 400 : 2000;
const LATENCY = 50;

async function startServer(options) {
  const child = spawn(process.execPath, [out('test/fake-server/main.js'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  while (!lines.length) await new Promise((r) => setTimeout(r, 10));
  return {
    baseURL: lines[0].baseURL,
    async stop() {
      child.kill('SIGTERM');
      while (lines.length < 2) await new Promise((r) => setTimeout(r, 10));
      return lines[1];
    },
  };
}

function* items(model, count, tag) {
  for (let i = 0; i < count; i++) {
    const messages = [{ role: 'user', content: `Imagine you are a married male from Cairo, Egypt (${tag} #${i}). Question: How important is family in your life? Options: (1) Very important (2) Rather important (3) Not very important (4) Not at all important` }];
    const base = requestHashBase(model, messages);
    yield { condition: 'c', model, lang: 'en', personaId: `p${i % 303}`, questionId: `Q${i}`, variant: 0, messages, samples: [{ sample: 0, hash: requestHash(base, 0) }] };
  }
}

function newStore(runsDir, runId) {
  return RunStore.create(runsDir, {
    runId, createdAt: new Date().toISOString(), plannedRequests: REQUESTS, status: 'running',
    experiment: { name: 'bench', survey: '-', personas: '-', samples: 1, models: [], conditions: [] },
  });
}

async function throughput(baseURL, concurrency, runsDir) {
  const model = { id: 'fake', kind: 'openai', baseURL, model: 'fake', temperature: 0.7, maxTokens: 5, concurrency, timeoutMs: 10_000 };
  const completer = await createOpenAICompleter(model, () => 'sk-bench');
  // Warm-up (JIT, sockets) so the numbers are the steady state; the first run of a cold process is slower.
  const warm = newStore(runsDir, `warm-${concurrency}`);
  await runRequests(items(model, Math.max(1000, concurrency * 8), `warm${concurrency}`), { store: warm, completers: new Map([['fake', completer]]), models: [model] });
  warm.close();
  const store = newStore(runsDir, `c${concurrency}`);
  global.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await runRequests(items(model, REQUESTS, `c${concurrency}`), { store, completers: new Map([['fake', completer]]), models: [model] });
  store.close();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const lines = fs.readFileSync(store.responsesFile, 'utf8').split('\n').filter(Boolean).length;
  if (summary.done !== REQUESTS || lines !== REQUESTS) throw new Error(`c=${concurrency}: ${summary.done} done, ${lines} lines`);
  const rate = REQUESTS / seconds;
  const ideal = concurrency / (LATENCY / 1000);
  return { concurrency, reqPerSec: Math.round(rate), ratioOfIdeal: +(rate / ideal).toFixed(3), cpuMsPerRequest: +((cpu.user + cpu.system) / 1000 / REQUESTS).toFixed(3) };
}

function timeCli(args, cwd) {
  const times = [];
  for (let i = 0; i < (quick ? 3 : 10); i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { encoding: 'utf8', cwd });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(performance.now() - t0);
  }
  return { medianMs: +percentile(times, 50).toFixed(1), p90Ms: +percentile(times, 90).toFixed(1) };
}

/** `--help`, and `run --dry-run` of a small replay experiment (load, validate, render 600 prompts, estimate). */
async function cliStartup() {
  const { makeRunWorkspace } = require(out('test/unit/core/run/runWorkspace.js'));
  const ws = await makeRunWorkspace();
  const r = { help: timeCli(['--help']), runDryRun600: timeCli(['run', ws.experimentFile, '--dry-run'], ws.dir) };
  fs.rmSync(ws.dir, { recursive: true, force: true });
  return r;
}

/** 100k requests through the engine and store in a child process (its own RSS), against an instant in-process model. */
function streaming100k() {
  const script = `
    const { runRequests } = require(${JSON.stringify(out('src/core/run/runRequests.js'))});
    const { RunStore } = require(${JSON.stringify(out('src/core/run/RunStore.js'))});
    const { requestHash, requestHashBase } = require(${JSON.stringify(out('src/core/run/requestHash.js'))});
    const N = ${quick ? 20_000 : 100_000};
    const model = { id: 'm', kind: 'openai', baseURL: 'http://127.0.0.1:1/v1', concurrency: 64 };
    function* items() {
      for (let i = 0; i < N; i++) {
        const messages = [{ role: 'user', content: 'Imagine you are persona ' + (i % 303) + '. Question ' + i + ': how important is family? (1) Very (2) Rather (3) Not very (4) Not at all' }];
        const base = requestHashBase(model, messages);
        yield { condition: 'c', model, lang: 'en', personaId: 'p' + (i % 303), questionId: 'Q' + i, variant: 0, messages, samples: [{ sample: 0, hash: requestHash(base, 0) }] };
      }
    }
    const completer = { recorded: false, complete: () => new Promise((r) => setImmediate(() => r({ texts: ['(2)'], inputTokens: 60, outputTokens: 2 }))) };
    const store = RunStore.create(process.argv[1], { runId: 'big', createdAt: '', plannedRequests: N, status: 'running', experiment: { name: 'b', survey: '-', personas: '-', samples: 1, models: [], conditions: [] } });
    let peak = 0;
    const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const t0 = Date.now();
    runRequests(items(), { store, completers: new Map([['m', completer]]), models: [model] }).then((s) => {
      store.close();
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.log(JSON.stringify({ requests: s.done, seconds: (Date.now() - t0) / 1000, peakRssMb: Math.round(peak / 2 ** 20) }));
    });`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-bench-100k-'));
  const r = spawnSync(process.execPath, ['-e', script, dir], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * Optional: promptfoo on the same fake server, when PROMPTFOO_DIR names a folder where
 * `npm install promptfoo node@24` was run (outside the repository; promptfoo needs Node ≥ 22).
 */
function promptfoo(baseURL, concurrency) {
  const dir = process.env.PROMPTFOO_DIR;
  if (!dir) return undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'as-bench-pf-'));
  let csv = 'q\n';
  for (let i = 0; i < REQUESTS; i++) csv += `"Imagine you are a married male from Cairo, Egypt (pf${concurrency} #${i}). Question: How important is family in your life? Options: (1) Very important (2) Rather important (3) Not very important (4) Not at all important"\n`;
  fs.writeFileSync(path.join(work, 'tests.csv'), csv);
  fs.writeFileSync(path.join(work, 'config.yaml'), `prompts:\n  - '{{q}}'\nproviders:\n  - id: openai:chat:fake\n    config:\n      apiBaseUrl: ${baseURL}\n      apiKey: sk-bench\n      temperature: 0.7\n      max_tokens: 5\ntests: file://tests.csv\n`);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'rusage %U %S %M', path.join(dir, 'node_modules/.bin/node'), path.join(dir, 'node_modules/promptfoo/dist/src/entrypoint.js'),
    'eval', '-c', 'config.yaml', '--max-concurrency', String(concurrency), '--no-cache', '--no-progress-bar', '--no-write', '--no-table', '-o', 'out.json'], {
    cwd: work, encoding: 'utf8', env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CACHE_ENABLED: 'false', PROMPTFOO_CONFIG_DIR: path.join(work, '.pf') },
  });
  const wallMs = performance.now() - t0;
  const m = /rusage ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  let stats;
  try {
    stats = JSON.parse(fs.readFileSync(path.join(work, 'out.json'), 'utf8')).results.stats;
  } catch {
    fs.rmSync(work, { recursive: true, force: true });
    return { concurrency, error: r.stderr.slice(-500) };
  }
  fs.rmSync(work, { recursive: true, force: true });
  const rate = (stats.successes / stats.durationMs) * 1000;
  return {
    concurrency, requests: stats.successes, reqPerSec: Math.round(rate), ratioOfIdeal: +(rate / (concurrency / (LATENCY / 1000))).toFixed(3),
    cpuMsPerRequest: m ? +(((Number(m[1]) + Number(m[2])) * 1000) / REQUESTS).toFixed(2) : undefined, peakRssMb: m ? Math.round(Number(m[3]) / 1024) : undefined,
    startupAndExitMs: Math.round(wallMs - stats.durationMs),
  };
}

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-bench-run-'));
const server = await startServer({ latencyMs: LATENCY, mode: 'number' });
const results = [];
const pf = [];
let peakRss = 0;
const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
try {
  for (const c of [8, 32, 128]) {
    const r = await throughput(server.baseURL, c, runsDir);
    console.log(`[bench] concurrency ${c}: ${r.reqPerSec} req/s = ${r.ratioOfIdeal} of ideal, ${r.cpuMsPerRequest} ms CPU/request`);
    results.push(r);
  }
  clearInterval(rssTimer);
  for (const c of process.env.PROMPTFOO_DIR ? [32, 128] : []) {
    const r = promptfoo(server.baseURL, c);
    console.log(`[bench] promptfoo concurrency ${c}: ${JSON.stringify(r)}`);
    pf.push(r);
  }
} finally {
  clearInterval(rssTimer);
  await server.stop();
  fs.rmSync(runsDir, { recursive: true, force: true });
}
const startup = await cliStartup();
const big = streaming100k();
writeResult('run', {
  loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  latencyMs: LATENCY,
  requests: REQUESTS,
  throughput: results,
  peakRssMb: Math.round(peakRss / 2 ** 20),
  cliStartup: startup,
  streaming: big,
  ...(pf.length ? { promptfoo: pf, engineOverPromptfoo: pf.map((p) => ({ concurrency: p.concurrency, throughputRatio: +((results.find((r) => r.concurrency === p.concurrency)?.reqPerSec ?? 0) / p.reqPerSec).toFixed(1) })) } : {}),
  targets: { ratioAt8: 0.9, ratioAt32: 0.9, reqPerSecAt128: 1000, cpuMsPerRequest: 2, cliStartupMs: 500, streamingRssMb: 150 },
});
