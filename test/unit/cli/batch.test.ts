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

function cli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The user maps the fake endpoints' origins to a variable (the CLI sends OPENAI_API_KEY to api.openai.com only).
    const keys = ['--key', `${new URL(batch.baseURL).origin}=FAKE_KEY`, '--key', `${chat.origin}=FAKE_KEY`];
    const child = spawn(process.execPath, [CLI, ...args, ...(args.length > 1 && !args.includes('--help') ? keys : [])], { cwd: ws.dir, env: { ...process.env, FAKE_KEY: 'sk-cli', OPENAI_API_KEY: 'sk-not-for-fakes' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
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

test('batch --help and every subcommand\'s --help exit 0; estimate shows live vs batch; option misuse exits 2', async () => {
  for (const args of [['batch', '--help'], ['batch', '-h'], ...['estimate', 'export', 'submit', 'status', 'import', 'cancel'].map((c) => ['batch', c, '--help'])]) {
    const r = await cli(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^usage: alignment-studio batch/, args.join(' '));
  }
  assert.match((await cli(['batch', 'export', '--help'])).stdout, /--shards <N> +exactly N files per model/);
  const file = ws.write({ name: 'cli-estimate', samples: 3, models: [{ ...model(batch.baseURL), temperature: 0.9 }], conditions }, 'estimate.experiment.json');
  const e = await cli(['batch', 'estimate', file]);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /^live: {2}360 requests, ~[\d,]+ input tokens, ≤ 1,800 output tokens, ≤ \$[\d.]+, ~\d+ s with the editor or CLI open$/m);
  assert.match(e.stdout, /^batch: 360 requests, .*≤ \$[\d.]+ \(50% off\), within 24 h/m);
  assert.equal(fs.existsSync(path.join(ws.dir, '.alignment/runs')) && fs.readdirSync(path.join(ws.dir, '.alignment/runs')).some((d) => d.includes('cli-estimate')), false, 'estimate writes nothing');
  for (const bad of [['batch', 'export', file, '--shards', '2', '--max-lines', '10'], ['batch', 'status', file, '--shards', '2'], ['batch', 'estimate'], ['batch', 'import', file, '--wait']]) {
    const r = await cli(bad);
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /^alignment-studio batch: /);
  }
});

test('batch status --wait stops on Ctrl-C with exit code 130; the batch ids stay in the run folder', async () => {
  const slow = await new FakeBatchServer({ chatBaseURL: chat.baseURL, pollsPerStatus: 1000 }).start();
  try {
    const file = ws.write({ name: 'cli-sigint', samples: 1, models: [{ ...model(slow.baseURL), temperature: 0.2 }], conditions }, 'sigint.experiment.json');
    assert.equal((await cli(['batch', 'export', file])).status, 0);
    assert.equal((await cli(['batch', 'submit', file])).status, 0);
    let sent = false;
    const r = await cli(['batch', 'status', file, '--wait', '--interval', '60'], (text, child) => {
      if (!sent && /validating/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    assert.equal(r.status, 130, r.stderr);
    assert.match(r.stderr, /interrupted/);
    const runDir = path.join(ws.dir, '.alignment/runs', fs.readdirSync(path.join(ws.dir, '.alignment/runs')).find((d) => d.includes('cli-sigint'))!);
    assert.equal((JSON.parse(fs.readFileSync(path.join(runDir, 'batch/jobs.json'), 'utf8')) as { jobs: unknown[] }).jobs.length, 1);
  } finally {
    await slow.stop();
  }
});

test('vLLM on N nodes: batch export --shards 2 prints one run_batch command per shard; their outputs, copied into the run, import with "batch import"; scores equal a live run', async () => {
  const m = { ...model(chat.baseURL), temperature: 0.6 };
  const live = await cli(['run', ws.write({ name: 'cli-vllm', samples: 2, models: [m], conditions }, 'vllm-live.experiment.json'), '--quiet']);
  assert.equal(live.status, 0, live.stderr);
  const liveDir = /run: (.*)/.exec(live.stdout)![1].trim();
  // The same requests under another endpoint name (the cluster's), so the live answers are no cache hits.
  const file = ws.write({ name: 'cli-vllm', samples: 2, models: [{ ...m, baseURL: 'http://gpu-node.invalid:8000/v1' }], conditions }, 'vllm.experiment.json');
  const exp = await cli(['batch', 'export', file, '--shards', '2']);
  assert.equal(exp.status, 0, exp.stderr);
  const commands = [...exp.stdout.matchAll(/^ {2}(python -m vllm\.entrypoints\.openai\.run_batch -i (\S+) -o (\S+) --model fake-1)$/gm)];
  assert.deepEqual(commands.map((c) => [c[2], c[3]]), [['fake-0001.jsonl', 'fake-0001.output.jsonl'], ['fake-0002.jsonl', 'fake-0002.output.jsonl']]);
  const runDir = path.join(ws.dir, '.alignment/runs', /^run (\S+):/m.exec(exp.stdout)![1]);
  const exportDir = path.join(runDir, 'batch/exports/001');
  const shardLines = (f: string): string[] => fs.readFileSync(path.join(exportDir, f), 'utf8').split('\n').filter(Boolean);
  assert.deepEqual([shardLines('fake-0001.jsonl').length, shardLines('fake-0002.jsonl').length], [120, 120], 'balanced');
  // Each "node" answers its shard as run_batch does (the same chat endpoint the live run used) and writes its format.
  fs.mkdirSync(path.join(runDir, 'batch/downloads'), { recursive: true });
  for (const [, , input, output] of commands) {
    const out: string[] = [];
    for (const [i, line] of shardLines(input).entries()) {
      const req = JSON.parse(line) as { custom_id: string; body: unknown };
      const res = await fetch(`${chat.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) });
      out.push(JSON.stringify({ id: `vllm-${i}`, custom_id: req.custom_id, response: { status_code: 200, request_id: `vllm-batch-${i}`, body: await res.json() }, error: null }));
    }
    fs.writeFileSync(path.join(runDir, 'batch/downloads', output), `${out.reverse().join('\n')}\n`);
  }
  const imp = await cli(['batch', 'import', file]);
  assert.equal(imp.status, 0, imp.stderr + imp.stdout);
  assert.match(imp.stdout, /imported 240 answers from 240 lines of 2 file\(s\); 0 already in the run; 0 failed; 0 still missing/);
  assert.deepEqual(await score(runDir), await score(liveDir));
});
