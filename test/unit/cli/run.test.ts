import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { ModelSpec } from '../../../src/core/experiment';
import { createTemplateRenderer } from '../../../src/core/run/createTemplateRenderer';
import { expandRequests } from '../../../src/core/run/expandRequests';
import { openExperiment } from '../../../src/core/run/openExperiment';
import { buildChatBody } from '../../../src/core/run/buildChatBody';
import { echoedRequestId, FakeOpenAIServer, requestIdOf } from '../../fake-server/FakeOpenAIServer';
import { makeRunWorkspace, ROOT, type RunWorkspace } from '../core/run/runWorkspace';

const CLI = path.join(ROOT, 'dist/cli.js');
let server: FakeOpenAIServer;
let ws: RunWorkspace;

before(async () => {
  server = await new FakeOpenAIServer().start();
  // 25 real Egypt personas × 5 questions × 4 variants × 2 conditions (EN, AR) × 2 samples = 2,000 requests.
  ws = await makeRunWorkspace(['Q19', 'Q42', 'Q62', 'Q77', 'Q87'], 25);
});
after(() => server.stop());

function live(extra: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'fake', kind: 'openai', baseURL: server.baseURL, model: 'fake-1', temperature: 0.7, maxTokens: 5, concurrency: 32, timeoutMs: 3000, maxRetries: 12, ...extra };
}
const conditions = [
  { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'fake' },
  { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'fake' },
];

/** Runs the CLI asynchronously: the fake server lives in this process, so its event loop must keep turning. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ws.dir, env: { ...process.env, OPENAI_API_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('crash test: SIGKILL at random points of a 2,000-request run under 10% faults, a torn last record after each kill, resume: every request exactly once, every reply its own', async () => {
  const model = live();
  const file = ws.write({ name: 'crash', samples: 2, models: [model], conditions }, 'crash.experiment.json');
  const runsDir = path.join(ws.dir, 'crash-runs');
  // Every reply carries the id of the request it answers, so a reply stored under the wrong request is caught.
  server.configure({ latencyMs: [2, 15], errorRate: 0.04, rateLimitRate: 0.02, retryAfterSec: 0, resetRate: 0.02, malformedRate: 0.02, seed: 42, echoRequestId: true });
  const planned = new Set<string>();
  const expectedId = new Map<string, string>();
  for (const item of expandRequests((await openExperiment(file, createTemplateRenderer)).plan)) {
    for (const s of item.samples) {
      planned.add(s.hash);
      expectedId.set(s.hash, requestIdOf(buildChatBody(model, item.messages, 1).messages));
    }
  }
  assert.equal(planned.size, 2000);
  assert.ok(new Set(expectedId.values()).size >= 900, 'the ids tell the prompts apart');

  const countLines = (): number => {
    const runs = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
    return runs.reduce((a, r) => {
      const f = path.join(runsDir, r, 'responses.jsonl');
      return a + (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').length - 1 : 0);
    }, 0);
  };
  const kills: string[] = [];
  let linesSeen = 0;
  for (let round = 0; round < 5; round++) {
    const child = spawn(process.execPath, [CLI, 'run', file, '--runs-dir', runsDir, '--quiet'], { cwd: ws.dir, stdio: 'ignore', env: { ...process.env, OPENAI_API_KEY: 'sk-crash' } });
    const t0 = Date.now();
    if (round === 0) {
      // Somewhere in start-up, expansion or the first requests.
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 400)));
    } else {
      // A random point of the remaining work, measured in records on disk (independent of machine speed).
      const target = linesSeen + 1 + Math.floor(Math.random() * (2000 - linesSeen) * 0.7);
      while (countLines() < target && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const lines = countLines();
    assert.ok(lines >= linesSeen, 'a crash never loses written records');
    // As if the kill had hit in the middle of writing the last record: cut it in half (no newline).
    linesSeen = lines - tearLastRecord(runsDir);
    kills.push(`${Date.now() - t0} ms/${lines} records${linesSeen < lines ? ' (last one torn)' : ''}`);
  }
  assert.ok(linesSeen < 2000, `the kills interrupted the run (${linesSeen} records before the final resume)`);
  const final = await cli(['run', file, '--runs-dir', runsDir, '--quiet'], { OPENAI_API_KEY: 'sk-crash' });
  assert.equal(final.status, 0, final.stderr + final.stdout);
  const runDir = /run: (.+)/.exec(final.stdout)![1].trim();
  const records = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { hash: string; text: string | null });
  const notTheirs = records.filter((r) => r.text === null || echoedRequestId(r.text) !== expectedId.get(r.hash));
  assert.deepEqual(notTheirs.slice(0, 3), [], `${notTheirs.length} stored replies do not belong to their request`);
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.hash, (counts.get(r.hash) ?? 0) + 1);
  const lost = [...planned].filter((h) => !counts.has(h));
  const duplicated = [...counts].filter(([, n]) => n > 1);
  const foreign = [...counts.keys()].filter((h) => !planned.has(h));
  assert.deepEqual({ lost: lost.length, duplicated: duplicated.length, foreign: foreign.length, failed: records.filter((r) => r.text === null).length }, { lost: 0, duplicated: 0, foreign: 0, failed: 0 });
  assert.equal(records.length, 2000);
  const other = fs.readdirSync(runsDir).filter((r) => path.join(runsDir, r) !== runDir);
  for (const r of other) assert.equal(fs.readFileSync(path.join(runsDir, r, 'responses.jsonl'), 'utf8').trim(), '', `run ${r} holds no records (it was killed before writing)`);
  const manifest = JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as { status: string; plannedRequests: number };
  assert.equal(manifest.status, 'completed');
  assert.equal(manifest.plannedRequests, 2000);
  assert.ok(Object.keys(server.stats.faults).length >= 3, `faults were injected: ${JSON.stringify(server.stats.faults)}`);
  console.log(`[crash] kills at ${kills.join(', ')}; faults ${JSON.stringify(server.stats.faults)}`);
});

/** Cuts the last complete record of the run's responses.jsonl in half (a torn write); returns 1 if it did. */
function tearLastRecord(runsDir: string): number {
  for (const r of fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []) {
    const f = path.join(runsDir, r, 'responses.jsonl');
    const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    if (!text.endsWith('\n')) continue;
    const start = text.lastIndexOf('\n', text.length - 2) + 1;
    fs.truncateSync(f, Buffer.byteLength(text.slice(0, start + Math.floor((text.length - 1 - start) / 2))));
    return 1;
  }
  return 0;
}

test('replay run end to end on real recorded answers, then a re-run is served from the cache', async () => {
  const first = await cli(['run', ws.write({ name: 'replay', questions: ['Q19', 'Q42'] }, 'replay.experiment.json'), '--quiet']);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /2000 requests to make \(2000 from recorded answers\)/);
  const runDir = /run: (.+)/.exec(first.stdout)![1].trim();
  const records = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; parsed: number; personaId: string; questionId: string; lang: string });
  assert.equal(records.length, 25 * 2 * 4 * 2 * 5);
  // egypt-0001 answered Q19 variant 0 with "1" five times in the recorded GPT-3.5 file.
  const r = records.find((x) => x.personaId === 'egypt-0001' && x.questionId === 'Q19' && x.lang === 'en')!;
  assert.equal(r.text, '1');
  assert.equal(r.parsed, 1);
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).recorded, true);
  const again = await cli(['run', 'replay.experiment.json', '--quiet']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /2000 from the cache, 0 requests to make/);
});

test('--dry-run prints the estimate (requests, tokens, cost) and sends nothing', async () => {
  const before = server.stats.requests;
  const file = ws.write({ name: 'dry', samples: 3, questions: ['Q19'], models: [live({ useN: true, pricePer1kInput: 0.5, pricePer1kOutput: 1.5 })], conditions }, 'dry.experiment.json');
  const r = await cli(['run', file, '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /600 samples: 0 already in the run, 0 from the cache, 200 requests to make/);
  const tokens = Number(/~(\d+) input tokens/.exec(r.stdout)![1]);
  assert.ok(tokens > 200 * 100 && tokens < 200 * 400, `input tokens ${tokens}`);
  assert.match(r.stdout, /≤ 3000 output tokens, cost ≤ \$\d+\.\d{4}/);
  assert.equal(server.stats.requests, before);
});

test('bad input exits 2 naming file, line and field', async () => {
  const file = path.join(ws.dir, 'bad.experiment.json');
  fs.writeFileSync(file, '{\n  "name": "bad",\n  "survey": "wvs.survey.json",\n  "personas": "personas.jsonl",\n  "samples": 0,\n  "models": [],\n  "conditions": []\n}\n');
  const r = await cli(['run', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.experiment\.json:5:14: "samples" must be a whole number from 1 to 1000 \(got 0\) \(field "samples"\)/);
  const usage = await cli(['run']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /missing <experiment.json>/);
});

test('the CLI sends a key only to the origin the user mapped it to; another origin gets none, not even OPENAI_API_KEY', async () => {
  const other = await new FakeOpenAIServer().start();
  try {
    server.configure({});
    const a = live({ id: 'a', concurrency: 2 });
    const b: ModelSpec = { ...live({ id: 'b', concurrency: 2 }), baseURL: other.baseURL };
    const file = ws.write({ name: 'keys', samples: 1, questions: ['Q19'], variants: [0], personaFilter: { limit: 2 }, models: [a, b], conditions: [
      { id: 'a', template: 'prompts/persona.en.hbs', lang: 'en', model: 'a' },
      { id: 'b', template: 'prompts/persona.en.hbs', lang: 'en', model: 'b' },
    ] }, 'keys.experiment.json');
    server.stats.authorizations.clear();
    // OPENAI_API_KEY is set (not blanked as before): it is for https://api.openai.com only.
    const r = await cli(['run', file, '--quiet', '--key', `${server.origin}=KEY_A`], { KEY_A: 'sk-for-a-only', OPENAI_API_KEY: 'sk-openai-only' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([...server.stats.authorizations], ['Bearer sk-for-a-only']);
    const seen = [...other.stats.authorizations].join();
    assert.ok(!seen.includes('sk-for-a-only') && !seen.includes('sk-openai-only'), `other origin saw ${seen}`);
    assert.equal(other.stats.ok, 2);
  } finally {
    await other.stop();
  }
});

test('a live experiment whose endpoint is down fails at once with one actionable message, and leaves no run folder', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const file = ws.write({ name: 'down', samples: 1, models: [live({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 5 })], conditions }, 'down.experiment.json');
  const runsDir = path.join(ws.dir, 'down-runs');
  const t0 = Date.now();
  const r = await cli(['run', file, '--runs-dir', runsDir, '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(Date.now() - t0 < 10_000, 'no retries before giving up');
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(errors.length, 1, r.stderr);
  assert.ok(errors[0].includes(`http://127.0.0.1:${port}/v1`) && /connection refused/.test(errors[0]) && /Start a local OpenAI-compatible server/.test(errors[0]), errors[0]);
  assert.equal(fs.existsSync(runsDir) ? fs.readdirSync(runsDir).length : 0, 0);
});
