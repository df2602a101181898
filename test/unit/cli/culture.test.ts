import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeBatchServer } from '../../fake-server/FakeBatchServer';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { makeCultureWorkspace, type CultureWorkspace } from '../core/culture/cultureWorkspace';
import { ROOT } from '../core/workspace/sharedData';

const CLI = path.join(ROOT, 'dist/cli.js');
let server: FakeOpenAIServer;
let ws: CultureWorkspace;
before(async () => {
  server = await new FakeOpenAIServer({ mode: 'scale' }).start();
  ws = makeCultureWorkspace();
});
after(() => server.stop());

/** The fake server lives in this process: run the CLI asynchronously so its event loop keeps turning. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ws.dir, env: { ...process.env, OPENAI_API_KEY: 'sk-fake' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const fake = (id: string): Record<string, unknown> => ({ id, kind: 'openai', baseURL: server.baseURL, model: `fake-${id}`, maxTokens: 5, concurrency: 16, timeoutMs: 5000, maxRetries: 2 });

test('culture and finetune-data: --help exits 0, usage errors 2, bad input 2 with file:line:col', async () => {
  for (const cmd of ['culture', 'finetune-data']) {
    const help = await cli([cmd, '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`usage: alignment-studio ${cmd}`));
    assert.equal((await cli([cmd])).status, 2);
    assert.equal((await cli([cmd, 'x.culture.json', '--bogus'])).status, 2);
  }
  const bad = ws.write({ models: [fake('m')], samples: 'many' }, 'bad.culture.json');
  const r = await cli(['culture', bad]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.culture\.json:\d+:\d+: "samples" must be a whole number/);
  assert.match((await cli(['culture', bad, '--bootstrap', 'x'])).stderr, /--bootstrap must be a whole number/);
});

test('culture <experiment>: runs against the fake server, prints the table, --json, --score-only, exit 1 when requests fail', async () => {
  const file = ws.write({ models: [fake('base'), fake('tuned')], questions: ['Q27', 'Q28', 'Q122', 'Q158'], samples: 3, scoring: { compare: ['base', 'tuned'], resamples: 100 } }, 'cli.culture.json');
  const r = await cli(['culture', file, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^culture\s+model\s+1 − JSD\s+1 − W1\s+accuracy/m);
  assert.match(r.stdout, /^arabic\s+base\s+\d+\.\d \[/m);
  assert.match(r.stdout, /tuned − base, paired over questions/);
  assert.match(r.stderr, /48 requests to make/);
  const json = await cli(['culture', file, '--score-only', '--json', '--bootstrap', '50']);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { scores: unknown[]; settings: { resamples: number }; comparison: { deltas: unknown[] } };
  assert.equal(report.scores.length, 4);
  assert.equal(report.settings.resamples, 50);
  assert.equal(report.comparison.deltas.length, 6);
  // A second full run is served from the cache (no request).
  const before = server.stats.requests;
  const again = await cli(['culture', file, '--new', '--quiet', '--csv', path.join(ws.dir, 'csv')]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(server.stats.requests, before);
  assert.match(again.stderr, /48 from the cache, 0 requests/);
  assert.deepEqual(fs.readdirSync(path.join(ws.dir, 'csv')).sort(), ['deltas.csv', 'questions.csv', 'summary.csv']);
  const html = path.join(ws.dir, 'report.html');
  assert.equal((await cli(['culture', file, '--score-only', '--html', html])).status, 0);
  const page = fs.readFileSync(html, 'utf8');
  assert.match(page, /<script type="application\/json" id="report-data">\{"report":\{"runId":/);
  assert.match(page, /default-src 'none'/);
  assert.doesNotMatch(page, /(src|href)="https?:/, 'no network resources');
  server.configure({ mode: 'scale', script: (req) => (/crime rate/.test(JSON.stringify(req.body)) ? { kind: 'status', status: 400 } : undefined) });
  const failing = ws.write({ models: [fake('base')], questions: ['Q27', 'Q124'], samples: 2 }, 'fail.culture.json');
  const f = await cli(['culture', failing, '--quiet']);
  server.configure({ mode: 'scale' });
  assert.equal(f.status, 1, f.stderr);
  // Only the Chinese prompt is in English ("crime rate"): the Arabic template asks the Arabic wording of Q124.
  assert.match(f.stdout, /warning: 2 request\(s\) failed/);
});

test('finetune-data: per-culture and all-cultures files, split and report; --validate exits 1 on a broken file', async () => {
  const file = ws.write({ models: [fake('m')] }, 'ft.culture.json');
  const out = path.join(ws.dir, 'ft');
  const r = await cli(['finetune-data', file, '--out', out, '--held-out', '0.2', '--price', '8']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ['arabic.jsonl', 'chinese.jsonl', 'culturellm-one.jsonl', 'report.json', 'split.json']);
  assert.match(r.stdout, /arabic\.jsonl: 76 records/);
  assert.match(r.stdout, /≈ \$\d+\.\d\d/);
  const split = JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8')) as { heldOut: string[] };
  assert.equal(split.heldOut.length, 10);
  const ok = await cli(['finetune-data', '--validate', path.join(out, 'culturellm-one.jsonl')]);
  assert.equal(ok.status, 0, ok.stdout);
  fs.writeFileSync(path.join(ws.dir, 'broken.jsonl'), '{"messages":[{"role":"user","content":"Give me the answer from 1 to 4: x? 1. a 4. b. You can only choose one option."},{"role":"assistant","content":"9"}]}\n');
  const broken = await cli(['finetune-data', '--validate', path.join(ws.dir, 'broken.jsonl')]);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /broken\.jsonl:1 messages\[1\]\.content: answer "9" is not one number from 1 to 4/);
  // The tuned model is then evaluated on the held-out questions only.
  const held = ws.write({ models: [fake('m')], questions: { split: 'ft/split.json', part: 'heldOut' }, samples: 1 }, 'held.culture.json');
  const h = await cli(['culture', held, '--quiet', '--json']);
  assert.equal(h.status, 0, h.stderr);
  const rep = JSON.parse(h.stdout) as { heldOut: string[]; scores: Array<{ questions: Array<{ questionId: string }>; skipped: Array<{ questionId: string }> }> };
  assert.deepEqual(rep.heldOut, split.heldOut);
  for (const s of rep.scores) for (const q of [...s.questions, ...s.skipped]) assert.ok(split.heldOut.includes(q.questionId));
});

test('augment: candidates with similarity and verdict, --status with a new τ, --accept-passing; no augmentation → 2, no server → 1', async () => {
  const help = await cli(['augment', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: alignment-studio augment/);
  const none = await cli(['augment', ws.write({ models: [fake('m')] }, 'noaug.culture.json')]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /has no "augmentation"/);
  const augmentation = { file: 'aug/cli.augment.json', model: { id: 'para', kind: 'openai', baseURL: server.baseURL, model: 'fake-para' }, embeddings: { baseURL: server.baseURL, model: 'fake-embed' }, k: 3 };
  const file = ws.write({ models: [fake('m')], augmentation }, 'aug.culture.json');
  const r = await cli(['augment', file, '--questions', 'Q27,Q28', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^6 new candidates, 4 passed τ 0\.8; saved to aug[/\\]cli\.augment\.json$/m);
  assert.match(r.stdout, /^ {2}✗ Q27#3 {4}-?0\.\d{3} {2}What is your favourite colour\? {2}\(similarity/m);
  assert.match(r.stdout, /^ {2}✓ Q28#1 {4}0\.\d{3} {2}To what extent do you agree with the statement: /m);
  const status = await cli(['augment', file, '--status', '--tau', '0.95', '--json']);
  const s = JSON.parse(status.stdout) as { total: number; passed: number; pending: number; tau: number };
  assert.deepEqual([s.total, s.pending, s.tau], [6, 6, 0.95]);
  assert.ok(s.passed < 4);
  const accepted = await cli(['augment', file, '--status', '--tau', '0.8', '--accept-passing']);
  assert.match(accepted.stdout, /6 candidates, 4 passed τ 0\.8; 4 accepted \(0 edited\), 0 rejected, 2 pending/);
  const down = ws.write({ models: [fake('m')], augmentation: { ...augmentation, model: { ...augmentation.model, baseURL: 'http://127.0.0.1:9/v1' } } }, 'down.culture.json');
  const d = await cli(['augment', down]);
  assert.equal(d.status, 1);
  assert.match(d.stderr, /Cannot reach http:\/\/127\.0\.0\.1:9\/v1/);
});

test('culture --batch: export, submit, status --wait, import through the fake Batch API; the scores equal a live run', async () => {
  const batch = await new FakeBatchServer({ chatBaseURL: server.baseURL }).start();
  try {
    const spec = { questions: ['Q27', 'Q122', 'Q158'], samples: 2, scoring: { resamples: 100 } };
    const viaBatch = ws.write({ ...spec, models: [{ ...fake('m'), baseURL: batch.baseURL }] }, 'batch.culture.json');
    const e = await cli(['culture', viaBatch, '--batch', 'export', '--shards', '2']);
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stderr, /12 batch lines \(12 samples\) in 2 shard\(s\)/);
    const sub = await cli(['culture', viaBatch, '--batch', 'submit']);
    assert.equal(sub.status, 0, sub.stderr);
    assert.match(sub.stderr, /2 batch\(es\) submitted/);
    const st = await cli(['culture', viaBatch, '--batch', 'status', '--wait', '--interval', '1']);
    assert.equal(st.status, 0, st.stderr);
    assert.match(st.stderr, /downloaded/);
    const imp = await cli(['culture', viaBatch, '--batch', 'import', '--json']);
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stderr, /imported 12 samples/);
    const live = await cli(['culture', ws.write({ ...spec, models: [fake('m')] }, 'live.culture.json'), '--json', '--quiet']);
    assert.equal(live.status, 0, live.stderr);
    type R = { scores: Array<{ condition: string; questions: Array<{ model: number[] }>; summary: unknown }> };
    const a = JSON.parse(imp.stdout) as R;
    const b = JSON.parse(live.stdout) as R;
    assert.deepEqual(a.scores.map((x) => [x.condition, x.questions.map((q) => q.model), x.summary]), b.scores.map((x) => [x.condition, x.questions.map((q) => q.model), x.summary]));
    assert.equal((await cli(['culture', viaBatch, '--batch', 'launch'])).status, 2);
  } finally {
    await batch.stop();
  }
});
