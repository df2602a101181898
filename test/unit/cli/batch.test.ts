import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSpec } from '../../../src/core/experiment';
import { readRun } from '../../../src/core/run/readRun';
import { runScoringInput } from '../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../src/core/score/scoringSettings';
import { FakeBatchServer } from '../../fake-server/FakeBatchServer';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { makeRunWorkspace, ROOT, type RunWorkspace } from '../core/run/runWorkspace';

const CLI = path.join(ROOT, 'dist/cli.js');
let chat: FakeOpenAIServer;
let batch: FakeBatchServer;
let ws: RunWorkspace;

before(async () => {
  chat = await new FakeOpenAIServer().start();
  batch = await new FakeBatchServer({ chatBaseURL: chat.baseURL }).start();
  ws = await makeRunWorkspace(['Q19', 'Q42', 'Q62'], 5);
});
after(async () => {
  await batch.stop();
  await chat.stop();
});

const conditions = [
  { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'fake' },
  { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'fake' },
];
const model = (baseURL: string): ModelSpec => ({ id: 'fake', kind: 'openai', baseURL, model: 'fake-1', temperature: 0.7, maxTokens: 5, pricePer1kInput: 0.15, pricePer1kOutput: 0.6, batchDiscount: 0.5 });

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The user maps the fake endpoints' origins to a variable (the CLI sends OPENAI_API_KEY to api.openai.com only).
    const keys = ['--key', `${new URL(batch.baseURL).origin}=FAKE_KEY`, '--key', `${chat.origin}=FAKE_KEY`];
    const child = spawn(process.execPath, [CLI, ...args, ...(args.length > 1 && !args.includes('--help') ? keys : [])], { cwd: ws.dir, env: { ...process.env, FAKE_KEY: 'sk-cli', OPENAI_API_KEY: 'sk-not-for-fakes' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function score(runDir: string): Promise<unknown> {
  const { source: _s, ...rest } = scoreResponses((await runScoringInput(readRun(runDir))).input, scoringSettings('paper'));
  const normal = JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v))) as typeof rest;
  normal.unparsed.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return normal;
}

test('batch export → submit → status --wait → import through the fake batch endpoint; scores equal a live CLI run', async () => {
  const liveFile = ws.write({ name: 'cli', samples: 2, models: [model(chat.baseURL)], conditions }, 'live.experiment.json');
  const live = await cli(['run', liveFile, '--quiet']);
  assert.equal(live.status, 0, live.stderr);
  const liveDir = /run: (.*)/.exec(live.stdout)![1].trim();

  const file = ws.write({ name: 'cli', samples: 2, models: [model(batch.baseURL)], conditions }, 'batch.experiment.json');
  const exp = await cli(['batch', 'export', file, '--max-lines', '100']);
  assert.equal(exp.status, 0, exp.stderr);
  assert.match(exp.stdout, /^live: {2}240 requests, .*≤ \$[\d.]+, ~\d+ s/m);
  assert.match(exp.stdout, /^batch: 240 requests, .*within 24 h/m);
  const [liveCost, batchCost] = [...exp.stdout.matchAll(/≤ \$([\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(Math.abs(batchCost - liveCost / 2) < 1e-3, exp.stdout);
  assert.match(exp.stdout, /240 lines \(240 samples\) in 3 file\(s\)/);
  const runDir = path.join(ws.dir, '.alignment/runs', /^run (\S+):/m.exec(exp.stdout)![1]);

  const sub = await cli(['batch', 'submit', file]);
  assert.equal(sub.status, 0, sub.stderr);
  assert.equal(sub.stdout.match(/submitted /g)?.length, 3);
  // A restart does not submit twice: the batch ids are in the run folder.
  assert.match((await cli(['batch', 'submit', file])).stdout, /already submitted/);
  const st = await cli(['batch', 'status', file, '--wait', '--interval', '1']);
  assert.equal(st.status, 0, st.stderr);
  assert.match(st.stdout, /completed +100\/100 done, 0 failed/);
  assert.equal(st.stdout.match(/downloaded /g)?.length, 3);
  const imp = await cli(['batch', 'import', file]);
  assert.equal(imp.status, 0, imp.stderr + imp.stdout);
  assert.match(imp.stdout, /imported 240 answers .* 0 still missing/);
  const again = await cli(['batch', 'import', file]);
  assert.match(again.stdout, /imported 0 answers .* 240 already in the run/);
  assert.deepEqual(await score(runDir), await score(liveDir));
  assert.deepEqual([...batch.authorizations], ['Bearer sk-cli']);
});

test('batch usage and input errors exit 2 with the file and line; failed requests exit 1', async () => {
  assert.equal((await cli(['batch'])).status, 2);
  assert.equal((await cli(['batch', 'explode', 'x.json'])).status, 2);
  assert.equal((await cli(['batch', 'export', 'x.json', '--shards', '0'])).status, 2);
  // Another temperature: other request hashes, so the first test's answers are no cache hits here.
  const file = ws.write({ name: 'cli-bad', samples: 1, models: [{ ...model(batch.baseURL), temperature: 0.3 }], conditions }, 'bad.experiment.json');
  assert.match((await cli(['batch', 'status', file])).stderr, /no batch run of this experiment/);
  assert.equal((await cli(['batch', 'export', file])).status, 0);
  const bad = path.join(ws.dir, 'bad.jsonl');
  fs.writeFileSync(bad, '{"custom_id": "nope", "response": null, "error": null}\n');
  const r = await cli(['batch', 'import', file, bad]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.jsonl:1: error: unknown custom_id "nope"/);
  const exportDir = path.join(ws.dir, '.alignment/runs', fs.readdirSync(path.join(ws.dir, '.alignment/runs')).find((d) => d.includes('cli-bad'))!, 'batch/exports/001');
  const id = (JSON.parse(fs.readFileSync(path.join(exportDir, 'fake-0001.jsonl'), 'utf8').split('\n')[0]) as { custom_id: string }).custom_id;
  fs.writeFileSync(bad, `${JSON.stringify({ custom_id: id, response: { status_code: 429, body: { error: { message: 'quota' } } }, error: null })}\n`);
  const f = await cli(['batch', 'import', file, bad]);
  assert.equal(f.status, 1);
  assert.match(f.stderr, /bad\.jsonl:1: failed request [0-9a-f]{32}: HTTP 429: quota/);
});
