import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { BatchIndex } from '../../../../src/core/batch/BatchIndex';
import { RequestHashTable } from '../../../../src/core/batch/RequestHashTable';
import { readJsonLines } from '../../../../src/core/batch/readJsonLines';
import type { WorkItem } from '../../../../src/core/run/WorkItem';
import { exportRunBatch, importRunBatch, listDownloads } from '../../../../src/core/batch/batchRun';
import { cancelJobs, pollJobs, readJobs, submitExport, allTerminal } from '../../../../src/core/batch/batchJobs';
import { createBatchClient } from '../../../../src/core/batch/createBatchClient';
import { collectBatch, findBatchRun, formatJobsSummary, isBatchPending, listBatchRuns, summarizeJobs } from '../../../../src/core/batch/batchProgress';
import type { ModelSpec, ResponseRecord } from '../../../../src/core/experiment';
import { buildChatBody } from '../../../../src/core/run/buildChatBody';
import { requestHash, requestHashBase, requestHashes } from '../../../../src/core/run/requestHash';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../../src/core/run/executeRun';
import { expandRequests } from '../../../../src/core/run/expandRequests';
import { openExperiment, type OpenedExperiment } from '../../../../src/core/run/openExperiment';
import { prepareRun } from '../../../../src/core/run/prepareRun';
import { readRun } from '../../../../src/core/run/readRun';
import { runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { FakeBatchServer, type FakeBatchOptions } from '../../../fake-server/FakeBatchServer';
import { FakeOpenAIServer } from '../../../fake-server/FakeOpenAIServer';
import { makeRunWorkspace, ROOT, type RunWorkspace } from '../run/runWorkspace';

let chat: FakeOpenAIServer;
let ws: RunWorkspace;

before(async () => {
  chat = await new FakeOpenAIServer().start();
  // 6 real Egypt personas × 3 questions × 4 variants × 2 conditions (EN, AR) × 2 samples = 288 samples.
  ws = await makeRunWorkspace(['Q19', 'Q42', 'Q62'], 6);
});
after(() => chat.stop());

const conditions = [
  { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'fake' },
  { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'fake' },
];

function model(baseURL: string, extra: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'fake', kind: 'openai', baseURL, model: 'fake-1', temperature: 0.7, maxTokens: 5, concurrency: 16, pricePer1kInput: 0.001, pricePer1kOutput: 0.002, batchDiscount: 0.5, ...extra };
}

async function experiment(name: string, m: ModelSpec, samples = 2): Promise<OpenedExperiment> {
  return openExperiment(ws.write({ name, samples, models: [m], conditions }, `${name}.experiment.json`), createTemplateRenderer);
}

function records(runDir: string): ResponseRecord[] {
  return fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ResponseRecord);
}

function shardLines(exportDir: string): { custom_id: string; method: string; url: string; body: Record<string, unknown> }[] {
  return fs.readdirSync(exportDir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) => fs.readFileSync(path.join(exportDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

async function score(runDir: string): Promise<unknown> {
  const report = scoreResponses((await runScoringInput(readRun(runDir))).input, scoringSettings('paper'));
  const { source: _source, ...rest } = report;
  // Scoring sums in record order and lists unparsed replies in it; a batch's records come in output order.
  const normal = JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v))) as typeof rest;
  normal.unparsed.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return normal;
}

async function withBatchServer<T>(options: Partial<FakeBatchOptions>, fn: (server: FakeBatchServer) => Promise<T>): Promise<T> {
  const server = await new FakeBatchServer({ chatBaseURL: chat.baseURL, ...options }).start();
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

test('export: one line per pending sample, the body the live engine sends, sharded under the line limit, with a manifest', async () => {
  const exp = await experiment('shape', model(chat.baseURL, { systemPrompt: 'You are a survey respondent.' }));
  const runsDir = path.join(ws.dir, 'runs-shape');
  const out = exportRunBatch(exp, { runsDir, resume: 'never', maxLinesPerFile: 100, workspaceDir: ws.dir });
  assert.equal(out.manifest.lines, 288);
  assert.deepEqual(out.manifest.shards.map((s) => s.lines), [100, 100, 88]);
  assert.deepEqual(out.manifest.shards.map((s) => s.file), ['fake-0001.jsonl', 'fake-0002.jsonl', 'fake-0003.jsonl']);
  for (const s of out.manifest.shards) assert.equal(s.bytes, fs.statSync(path.join(out.exportDir, s.file)).size);
  const lines = shardLines(out.exportDir);
  const items = [...expandRequests(exp.plan)];
  const expected = new Map(items.flatMap((it) => it.samples.map((s) => [s.hash, buildChatBody(it.model, it.messages, 1)] as const)));
  assert.equal(new Set(lines.map((l) => l.custom_id)).size, 288);
  for (const l of lines) {
    assert.equal(l.method, 'POST');
    assert.equal(l.url, '/v1/chat/completions');
    assert.deepEqual(l.body, expected.get(l.custom_id));
  }
  // The live engine sends exactly these bodies (captured at the fake server).
  chat.keepBodies = true;
  chat.stats.bodies.length = 0;
  await executeRun(prepareRun(exp, { runsDir: path.join(ws.dir, 'runs-shape-live'), resume: 'never' }), { keys: () => 'sk-test' });
  chat.keepBodies = false;
  const sent = chat.stats.bodies.map((b) => JSON.stringify(b)).sort();
  assert.deepEqual(sent, lines.map((l) => JSON.stringify(l.body)).sort());
  assert.equal((sent[0] as string).includes('You are a survey respondent.'), true);
});

test('export with useN: one line per item with n; a user-chosen shard count; nothing pending is exported twice', async () => {
  const exp = await experiment('usen', model(chat.baseURL, { useN: true }), 3);
  const runsDir = path.join(ws.dir, 'runs-usen');
  const out = exportRunBatch(exp, { runsDir, resume: 'never', shards: 4 });
  assert.equal(out.manifest.lines, 144);
  assert.equal(out.manifest.samples, 432);
  assert.equal(out.manifest.shards.length, 4);
  assert.deepEqual(out.manifest.shards.map((s) => s.lines), [36, 36, 36, 36]);
  const lines = shardLines(out.exportDir);
  assert.ok(lines.every((l) => l.body.n === 3));
  const first = new Set([...expandRequests(exp.plan)].map((it) => it.samples[0].hash));
  assert.ok(lines.every((l) => first.has(l.custom_id)), 'custom_id is the hash of the first sample of the range');
});

test('end to end through the fake batch endpoint: scores equal the same experiment run live; records equal live ones but via "batch"', async () => {
  const exp = await experiment('e2e', model(chat.baseURL));
  const liveDir = (await executeRun(prepareRun(exp, { runsDir: path.join(ws.dir, 'runs-live'), resume: 'never' }), { keys: () => 'sk-test', workspaceDir: ws.dir })).runDir;
  await withBatchServer({ pollsPerStatus: 1 }, async (server) => {
    const batchModel = model(server.baseURL);
    const bexp = await experiment('e2e', batchModel);
    const runsDir = path.join(ws.dir, 'runs-batch');
    const out = exportRunBatch(bexp, { runsDir, resume: 'never', maxLinesPerFile: 120, workspaceDir: ws.dir });
    const clientFor = (): ReturnType<typeof createBatchClient> => createBatchClient(batchModel, (o) => (o === new URL(server.baseURL).origin ? 'sk-batch' : undefined));
    const jobs = await submitExport(out.runDir, out.manifest, clientFor);
    assert.equal(jobs.length, 3);
    // Submitting again (e.g. after a restart) creates nothing new.
    assert.equal((await submitExport(out.runDir, out.manifest, clientFor)).length, 0);
    const seen: string[] = [];
    for (let i = 0; i < 10 && !allTerminal(readJobs(out.runDir).jobs); i++) {
      const { jobs: now } = await pollJobs(out.runDir, clientFor);
      seen.push(now[0].status);
    }
    assert.deepEqual(seen.filter((x, i) => x !== seen[i - 1]), ['validating', 'in_progress', 'completed']);
    assert.deepEqual([...server.authorizations], ['Bearer sk-batch']);
    const files = listDownloads(out.runDir);
    assert.equal(files.length, 3);
    // Any order: import the last shard's output first.
    const report = importRunBatch(bexp, out.runDir, [...files].reverse());
    assert.equal(report.imported, 288);
    assert.equal(report.pending, 0);
    assert.equal(report.errorCount, 0);
    const again = importRunBatch(bexp, out.runDir, files);
    assert.equal(again.imported, 0);
    assert.equal(again.duplicates, 288);
    assert.equal(records(out.runDir).length, 288, 'importing twice adds nothing');
    assert.deepEqual(await score(out.runDir), await score(liveDir));
    // The hash includes the endpoint (here the batch server's own URL), so records are matched by what they answer.
    const key = (r: ResponseRecord): string => [r.condition, r.personaId, r.questionId, r.variant, r.sample].join('|');
    const strip = ({ t: _t, latencyMs: _l, via: _v, cost: _c, hash: _h, ...r }: ResponseRecord): unknown => r;
    const live = new Map(records(liveDir).map((r) => [key(r), r]));
    for (const r of records(out.runDir)) {
      const l = live.get(key(r))!;
      assert.equal(r.via, 'batch');
      assert.deepEqual(strip(r), strip(l));
      assert.ok(Math.abs((r.cost ?? 0) - (l.cost ?? 0) / 2) < 1e-12, 'batch cost is the live cost less batchDiscount');
      assert.deepEqual(Object.keys(r).filter((k) => k !== 'via'), Object.keys(l).filter((k) => k !== 'latencyMs'));
    }
    assert.equal(readRun(out.runDir).manifest.status, 'completed');
  });
});

test('expired batch with partial output and an error file: the answered part is imported, failed and missing are listed and re-exported', async () => {
  await withBatchServer({ finalStatus: 'expired', partial: 0.5, errorEvery: 10 }, async (server) => {
    const m = model(server.baseURL);
    const exp = await experiment('expired', m);
    const runsDir = path.join(ws.dir, 'runs-expired');
    const out = exportRunBatch(exp, { runsDir, resume: 'never' });
    const clientFor = (): ReturnType<typeof createBatchClient> => createBatchClient(m, () => 'sk');
    await submitExport(out.runDir, out.manifest, clientFor);
    for (let i = 0; i < 5; i++) await pollJobs(out.runDir, clientFor);
    const [job] = readJobs(out.runDir).jobs;
    assert.equal(job.status, 'expired');
    assert.equal(job.counts.completed + job.counts.failed, 144);
    assert.equal(job.downloaded.length, 2, 'output and error file');
    const report = importRunBatch(exp, out.runDir, listDownloads(out.runDir));
    assert.equal(report.imported, 144 - 14);
    assert.equal(report.failed.length, 14);
    assert.match(report.failed[0].message, /HTTP 500: fake: internal error/);
    assert.match(`${report.failed[0].file}:${report.failed[0].line}`, /errors\.jsonl:\d+$/);
    assert.equal(report.pending, 288 - 130);
    // Re-export: exactly the failed and missing requests, in a second export of the same run.
    const again = exportRunBatch(exp, { runsDir, resume: out.runId });
    assert.equal(again.runId, out.runId);
    assert.equal(again.manifest.exportId, '002');
    assert.equal(again.manifest.lines, 158);
    const have = new Set(records(out.runDir).map((r) => r.hash));
    assert.ok(shardLines(again.exportDir).every((l) => !have.has(l.custom_id)));
  });
});

test('failed and cancelled batches', async () => {
  await withBatchServer({ finalStatus: 'failed' }, async (server) => {
    const m = model(server.baseURL);
    const exp = await experiment('failed', m, 1);
    const out = exportRunBatch(exp, { runsDir: path.join(ws.dir, 'runs-failed'), resume: 'never' });
    const clientFor = (): ReturnType<typeof createBatchClient> => createBatchClient(m, () => 'sk');
    await submitExport(out.runDir, out.manifest, clientFor);
    for (let i = 0; i < 4; i++) await pollJobs(out.runDir, clientFor);
    const [job] = readJobs(out.runDir).jobs;
    assert.equal(job.status, 'failed');
    assert.match(job.errors?.[0] ?? '', /line 1: fake: the input file was rejected/);
    assert.equal(listDownloads(out.runDir).length, 0);
  });
  await withBatchServer({ partial: 0.25 }, async (server) => {
    const m = model(server.baseURL);
    const exp = await experiment('cancel', m, 1);
    const out = exportRunBatch(exp, { runsDir: path.join(ws.dir, 'runs-cancel'), resume: 'never' });
    const clientFor = (): ReturnType<typeof createBatchClient> => createBatchClient(m, () => 'sk');
    await submitExport(out.runDir, out.manifest, clientFor);
    const cancelled = await cancelJobs(out.runDir, clientFor);
    assert.equal(cancelled[0].status, 'cancelling');
    await pollJobs(out.runDir, clientFor);
    assert.equal(readJobs(out.runDir).jobs[0].status, 'cancelled');
    const report = importRunBatch(exp, out.runDir, listDownloads(out.runDir));
    assert.equal(report.imported, 36);
    assert.equal(report.pending, 144 - 36);
  });
});

test('import checks every line: located errors for bad JSON, unknown custom_id, bad shape; a cut-off last line is skipped', async () => {
  const exp = await experiment('lines', model(chat.baseURL), 1);
  const out = exportRunBatch(exp, { runsDir: path.join(ws.dir, 'runs-lines'), resume: 'never' });
  const ids = shardLines(out.exportDir).map((l) => l.custom_id);
  const ok = (id: string, text = '(1)'): string => JSON.stringify({ id: 'x', custom_id: id, response: { status_code: 200, request_id: 'r', body: { choices: [{ index: 0, message: { role: 'assistant', content: text } }], usage: { prompt_tokens: 10, completion_tokens: 2 } } }, error: null });
  const file = path.join(ws.dir, 'bad-output.jsonl');
  fs.writeFileSync(file, [
    ok(ids[0]),
    '{not json',
    ok('0123456789abcdef0123456789abcdef'),
    JSON.stringify({ custom_id: ids[1], response: { status_code: 200, body: { choices: [] } }, error: null }),
    JSON.stringify({ custom_id: ids[2], response: { status_code: 200, body: { choices: [{ message: { content: 7 } }] } }, error: null }),
    JSON.stringify({ response: null }),
    JSON.stringify({ custom_id: ids[3], response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }),
    ok(ids[4]),
    ok(ids[5]).slice(0, 40),
  ].join('\n'));
  const report = importRunBatch(exp, out.runDir, [file]);
  assert.equal(report.imported, 2);
  assert.deepEqual(report.errors.map((e) => [e.line, e.message.split(' (')[0]]), [
    [2, 'not valid JSON'],
    [3, 'unknown custom_id "0123456789abcdef0123456789abcdef"'],
    [4, '"response.body.choices" must be a non-empty list'],
    [5, 'each choice needs "message.content"'],
    [6, 'missing "custom_id"'],
  ]);
  assert.ok(report.errors.every((e) => e.file === file));
  assert.deepEqual(report.failed.map((f) => [f.line, f.message]), [[7, 'batch_expired: This request could not be executed before the completion window expired.']]);
  assert.deepEqual(report.truncated.map((t) => t.line), [9]);
  assert.equal(report.pending, 144 - 2);
});

test('a vLLM run_batch output file (fixture in its exact format) imports like OpenAI output; its three kinds of error are failed requests with their message', async () => {
  const exp = await experiment('vllm', model(chat.baseURL), 1);
  const out = exportRunBatch(exp, { runsDir: path.join(ws.dir, 'runs-vllm'), resume: 'never' });
  const ids = shardLines(out.exportDir).map((l) => l.custom_id);
  const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/batch/vllm-run_batch-output.jsonl'), 'utf8').replace(/REQ-(\d)/g, (_, i: string) => ids[Number(i)]);
  const file = path.join(ws.dir, 'vllm-out.jsonl');
  fs.writeFileSync(file, fixture);
  const report = importRunBatch(exp, out.runDir, [file]);
  assert.equal(report.imported, 2);
  assert.equal(report.errorCount, 0);
  assert.deepEqual(report.failed.map((f) => [f.line, f.customId]), [[3, ids[2]], [4, ids[3]], [5, ids[4]]]);
  assert.match(report.failed[0].message, /^HTTP 400: This model's maximum context length is 4096 tokens\. However/);
  assert.equal(report.failed[1].message, 'HTTP 400: Request must not be sent in stream mode');
  assert.match(report.failed[2].message, /^HTTP 400: \[\{'type': 'missing', 'loc': \('body', 'messages'\)/);
  assert.equal(report.pending, 144 - 2);
  const recs = records(out.runDir);
  assert.deepEqual(recs.map((r) => [r.text, r.parsed, r.inputTokens, r.outputTokens, r.via]), [['(2)', 2, 180, 3, 'batch'], ['(1)', 1, 181, 9, 'batch']]);
});

test('BatchIndex: lookup, done bits, pending; a hash planned twice is one sample', () => {
  const m = model('http://127.0.0.1:1/v1');
  const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(32));
  const item = (personaId: string, hashes: string[]): WorkItem => ({ condition: 'c', model: m, lang: 'en', personaId, questionId: 'Q1', variant: 0, messages: [], samples: hashes.map((hash, sample) => ({ sample, hash })) });
  // p2 has p1's prompt (same hashes) and one more sample.
  const index = BatchIndex.build([item('p1', [a, b]), item('p2', [a, b, c])]);
  assert.equal(index.size, 3);
  assert.equal(index.lookup(b)?.position, 1);
  assert.equal(index.lookup(b)?.item.personaId, 'p1', 'the first planning answers it');
  assert.equal(index.lookup(c)?.item.personaId, 'p2');
  assert.equal(index.lookup('zz'), undefined);
  assert.equal(index.lookup('d'.repeat(32)), undefined);
  assert.deepEqual(index.sampleAt(index.lookup(c)!.item, 2), { sample: 2, hash: c, id: 2 });
  assert.equal(index.markDone(a), true);
  assert.equal(index.markDone(a), false);
  assert.equal(index.markDone('nope'), false);
  assert.equal(index.pendingCount, 2);
  assert.deepEqual([...index.pending()].map((p) => p.hash), [b, c]);
});

test('RequestHashTable: ids in insertion order, exact lookups across growth, non-hashes rejected', () => {
  const table = new RequestHashTable();
  const hashes = Array.from({ length: 20_000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32));
  hashes.forEach((h, i) => assert.equal(table.add(h), i));
  assert.equal(table.add(hashes[7]), 7, 'adding again keeps the id');
  assert.equal(table.size, 20_000);
  for (let i = 0; i < hashes.length; i += 997) {
    assert.equal(table.id(hashes[i]), i);
    assert.equal(table.hashOf(i), hashes[i]);
  }
  // Same first 32 bits (same slot), different rest: still two entries.
  const twin = `${hashes[3].slice(0, 8)}${'0'.repeat(24)}`;
  assert.equal(table.id(twin), -1);
  assert.equal(table.add(twin), 20_000);
  assert.equal(table.id(hashes[3]), 3);
  for (const bad of ['', 'xyz', hashes[0].toUpperCase(), `${hashes[0]}0`]) assert.equal(table.id(bad), -1);
  assert.throws(() => table.add('not a hash'), /not a request hash/);
});

test('requestHashes (one hash of the prompt, copied per sample) equals requestHash of each sample', () => {
  const base = requestHashBase(model('http://127.0.0.1:1/v1'), [{ role: 'user', content: 'تخيل أنك … (1) Very important' }]);
  assert.deepEqual(requestHashes(base, 5), [0, 1, 2, 3, 4].map((s) => requestHash(base, s)));
  assert.deepEqual(requestHashes(base, 1), [requestHash(base, 0)]);
  assert.deepEqual(requestHashes(base, 0), []);
});

test('readJsonLines: lines across buffer boundaries, a line longer than the buffer, CRLF and blank lines, an unterminated last line', () => {
  const dir = fs.mkdtempSync(path.join(ws.dir, 'lines-'));
  const file = path.join(dir, 'big.jsonl');
  const long = JSON.stringify({ custom_id: 'x', text: 'ق'.repeat(1_500_000) }); // 3 MB in UTF-8: more than the 1 MiB buffer
  const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ i, pad: 'é'.repeat(i % 97) }));
  fs.writeFileSync(file, `${lines.slice(0, 20_000).join('\n')}\n\n${long}\r\n${lines.slice(20_000).join('\n')}\n{"cut": `);
  const got = [...readJsonLines(file)];
  assert.equal(got.length, 30_002);
  assert.deepEqual(got.slice(0, 20_000).map((l) => l.text), lines.slice(0, 20_000));
  assert.equal(got[20_000].line, 20_002, 'the blank line counts');
  assert.equal(got[20_000].text, long);
  assert.deepEqual(got.slice(20_001, 30_001).map((l) => l.text), lines.slice(20_000));
  assert.ok(got.slice(0, 30_001).every((l) => !l.unterminated));
  assert.deepEqual(got[30_001], { line: 30_003, text: '{"cut":', unterminated: true });
});

test('two respondents with the same prompt: each custom_id once per export (the Batch API rejects repeats), its answer imported for both, as readRun keeps both samples', async () => {
  const first = fs.readFileSync(path.join(ws.dir, 'personas.jsonl'), 'utf8').split('\n')[0];
  const twin = JSON.stringify({ ...(JSON.parse(first) as object), id: 'egypt-twin' });
  fs.writeFileSync(path.join(ws.dir, 'twins.jsonl'), `${first}\n${twin}\n`);
  const file = ws.write({ name: 'twins', samples: 2, models: [model(chat.baseURL)], conditions, personas: 'twins.jsonl' }, 'twins.experiment.json');
  const exp = await openExperiment(file, createTemplateRenderer);
  const planned = [...expandRequests(exp.plan)].reduce((n, it) => n + it.samples.length, 0);
  const out = exportRunBatch(exp, { runsDir: path.join(ws.dir, 'runs-twins'), resume: 'never' });
  const ids = shardLines(out.exportDir).map((l) => l.custom_id);
  assert.equal(planned, 2 * 3 * 4 * 2 * 2);
  assert.equal(ids.length, planned / 2);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(out.choice.requests, planned, 'the estimate counts what a live run asks');
  const outFile = path.join(ws.dir, 'twins-out.jsonl');
  fs.writeFileSync(outFile, ids.map((id) => JSON.stringify({ custom_id: id, response: { status_code: 200, body: { choices: [{ message: { content: '(1)' } }] } }, error: null })).join('\n'));
  const report = importRunBatch(exp, out.runDir, [outFile]);
  assert.equal(report.imported, planned / 2);
  assert.equal(report.pending, 0);
  const rs = records(out.runDir);
  assert.equal(rs.length, planned, 'both respondents are answered: one line each prompt, one record each sample');
  assert.equal(rs.filter((r) => r.personaId === 'egypt-twin').length, planned / 2);
  assert.ok(rs.filter((r) => r.personaId === 'egypt-twin').every((r) => r.cached === true && r.cost === 0), 'the twin shares the answer at no cost');
  assert.equal(readRun(out.runDir).records.length, planned, 'the one run reader keeps every sample');
  // A run that lost the twin's records (e.g. answered before a resume): importing again gives the twin its answer.
  const file2 = path.join(out.runDir, 'responses.jsonl');
  fs.writeFileSync(file2, fs.readFileSync(file2, 'utf8').split('\n').filter((l) => !l.includes('"egypt-twin"')).join('\n'));
  assert.equal(readRun(out.runDir).records.length, planned / 2);
  const again = importRunBatch(exp, out.runDir, [outFile]);
  assert.equal(again.imported, 0);
  assert.equal(again.duplicates, planned / 2);
  assert.equal(readRun(out.runDir).records.length, planned, 'the twin is answered again from the identical prompt');
});

test('collectBatch: a run found again from its folder is polled until its batches end, imported once, then no longer pending', async () => {
  await withBatchServer({ pollsPerStatus: 1 }, async (server) => {
    const m = model(server.baseURL, { temperature: 0.4 });
    const exp = await experiment('collect', m, 1);
    const runsDir = path.join(ws.dir, 'runs-collect');
    const out = exportRunBatch(exp, { runsDir, resume: 'never', maxLinesPerFile: 100 });
    const clientFor = (): ReturnType<typeof createBatchClient> => createBatchClient(m, () => 'sk');
    await submitExport(out.runDir, out.manifest, clientFor);
    // As after a reload: only the run folder tells what is pending.
    const [found] = listBatchRuns(runsDir);
    assert.equal(found.runId, out.runId);
    assert.equal(isBatchPending(found.jobs), true);
    assert.equal(findBatchRun(runsDir, exp), out.runDir);
    const summaries: string[] = [];
    let collected;
    for (let i = 0; i < 10 && !collected?.report; i++) {
      collected = await collectBatch(exp, out.runDir, clientFor);
      summaries.push(formatJobsSummary(summarizeJobs(collected.jobs)));
    }
    assert.match(summaries[0], /^0\/2 batches ended · 0\/144 requests done · validating 2$/);
    assert.match(summaries.at(-1)!, /^2\/2 batches ended · 144\/144 requests done · completed 2$/);
    assert.equal(collected?.report?.imported, 144);
    assert.equal(summarizeJobs(collected!.jobs).fraction, 1);
    assert.equal(isBatchPending(readJobs(out.runDir).jobs), false);
    assert.equal(isBatchPending(listBatchRuns(runsDir)[0].jobs), false);
    // Collecting again neither imports nor downloads anything.
    const again = await collectBatch(exp, out.runDir, clientFor);
    assert.equal(again.report, undefined);
    assert.deepEqual(again.downloaded, []);
    assert.equal(readRun(out.runDir).manifest.status, 'completed');
  });
});
