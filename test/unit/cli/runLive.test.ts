// `alignment-studio run --live`, the early-stop estimate and --ignore-stop, on a copy of the example workspace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { tempDir } from '../core/run/helpers';
import { ROOT } from '../core/workspace/sharedData';

const CLI = path.join(ROOT, 'dist/cli.js');
let dir: string;

before(() => {
  dir = tempDir('as-cli-live-');
  const example = path.join(ROOT, 'examples/wvs-egypt-us');
  for (const f of ['survey', 'personas', 'prompts', 'recorded']) fs.cpSync(path.join(example, f), path.join(dir, f), { recursive: true });
  const spec = JSON.parse(fs.readFileSync(path.join(example, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as { scoring: Record<string, unknown> };
  // 50 personas × 31 questions × variant 0 × EN/AR × 5 samples = 15,500 replayed requests.
  const write = (name: string, stop: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify({ ...spec, variants: [0], scoring: { ...spec.scoring, stop } }, null, 2));
  write('width.experiment.json', { maxWidth: 12, minPersonas: 10, method: 'normal-mixture' });
  write('bad.experiment.json', { maxWidth: 'narrow' });
  // The example as shipped: all 4 variants (62,000 requests; some variants share a prompt, hence a request hash).
  fs.writeFileSync(path.join(dir, 'decided.experiment.json'), JSON.stringify({ ...spec, name: 'decided' }, null, 2));
});

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

test('--dry-run shows what the stop rules would likely save, simulated on the recorded answers', () => {
  const r = cli('run', 'width.experiment.json', '--dry-run');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Early stop \(interval ≤ 12 points; normal-mixture confidence sequence, α = 0\.05, after ≥ 10 personas\)/);
  assert.match(r.stdout, /simulated on recorded answers over 200 random persona orders: stops early in \d+% of them, after \d+ of 50 personas \(median\); expected saving ~\d+% of the requests \(~[\d,]+ of 15,500\)/);
  assert.equal(fs.existsSync(path.join(dir, '.alignment/runs')), false, 'nothing ran');
});

test('--live prints a compact updating line and the stop; the run resumes past the stop with --ignore-stop', () => {
  const r = cli('run', 'width.experiment.json', '--live');
  assert.equal(r.status, 0, r.stderr);
  // Not a terminal: one line every 2 s and the last one.
  const lines = r.stderr.trim().split('\n').filter((l) => l.includes(' personas · '));
  assert.ok(lines.length >= 1, r.stderr);
  const last = lines.at(-1)!;
  assert.match(last, /^\d+\/50 personas · en-plain \d+\.\d ar-plain \d+\.\d · Δ [+−]\d+\.\d\d CS \[[+−]\d+\.\d\d, [+−]\d+\.\d\d\] CI \[[+−]\d+\.\d\d, [+−]\d+\.\d\d\] · \d+% scored · \d+ req · STOPPED \(maxWidth\)/);
  assert.match(r.stdout, /^stopped: \d+\/15500 answered/m);
  assert.match(r.stdout, /stopped early \(maxWidth\): precise enough after \d+ of 50 personas/);
  const runId = /--resume (\S+) --ignore-stop/.exec(r.stdout)![1]!;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.alignment/runs', runId, 'manifest.json'), 'utf8')) as { status: string; stop: { rule: string; personas: number } };
  assert.equal(manifest.status, 'stopped');
  assert.equal(manifest.stop.rule, 'maxWidth');

  const past = cli('run', 'width.experiment.json', '--resume', runId, '--ignore-stop', '--quiet');
  assert.equal(past.status, 0, past.stderr);
  assert.match(past.stdout, /stop rules ignored \(--ignore-stop\)/);
  assert.match(past.stdout, /^completed: 15500\/15500 answered/m);
  const after = JSON.parse(fs.readFileSync(path.join(dir, '.alignment/runs', runId, 'manifest.json'), 'utf8')) as { status: string; stop: { continuedAt?: string } };
  assert.equal(after.status, 'completed');
  assert.ok(after.stop.continuedAt);
});

test('a bad stop rule is an input error naming the file, line and field', () => {
  const r = cli('run', 'bad.experiment.json', '--dry-run');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.experiment\.json:\d+:\d+: "maxWidth" must be a width in points.*\(field "maxWidth"\)/);
});

test('the example stops once decided; running it again resumes the stopped run and stops at once, asking nothing', () => {
  const r = cli('run', 'decided.experiment.json', '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stopped early \(excludesZero\): decided after (\d+) of 50 personas/);
  const personas = Number(/decided after (\d+) of 50/.exec(r.stdout)![1]);
  const runDir = /run: (.+)/.exec(r.stdout)![1]!.trim();
  const lines = () => fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').trim().split('\n').length;
  const held = lines();
  assert.equal(held, personas * 2 * 31 * 4 * 5, 'whole personas only (the replay answers at once)');
  const again = cli('run', 'decided.experiment.json', '--quiet');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^resuming run /m);
  assert.match(again.stdout, new RegExp(`decided after ${personas} of 50 personas`));
  assert.equal(lines(), held, 'nothing asked again');
});
