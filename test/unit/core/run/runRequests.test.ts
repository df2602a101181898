import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ModelSpec } from '../../../../src/core/experiment';
import { createOpenAICompleter } from '../../../../src/core/run/createOpenAICompleter';
import { ResponseCache } from '../../../../src/core/run/ResponseCache';
import { runRequests } from '../../../../src/core/run/runRequests';
import { RunStore } from '../../../../src/core/run/RunStore';
import type { Completer } from '../../../../src/core/run/WorkItem';
import { parseAnswer } from '../../../../src/core/score/parseAnswer';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { FakeOpenAIServer } from '../../../fake-server/FakeOpenAIServer';
import { makeItems, newStore, readLines, tempDir } from './helpers';

let server: FakeOpenAIServer;
before(async () => {
  server = await new FakeOpenAIServer().start();
});
after(() => server.stop());

function model(extra: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'fake', kind: 'openai', baseURL: server.baseURL, model: 'fake-1', temperature: 0.7, maxTokens: 5, timeoutMs: 2000, maxRetries: 6, ...extra };
}

async function completers(m: ModelSpec): Promise<Map<string, Completer>> {
  return new Map([[m.id, await createOpenAICompleter(m, () => 'sk-test')]]);
}

test('answers every sample once and records raw text, tokens and cost', async () => {
  server.configure({ latencyMs: 5 });
  const m = model({ pricePer1kInput: 1, pricePer1kOutput: 2 });
  const dir = tempDir();
  const store = newStore(dir);
  const items = makeItems(m, 20, 2);
  const summary = await runRequests(items, { store, completers: await completers(m), concurrency: 4, baseDelayMs: 5 });
  store.close();
  assert.equal(summary.status, 'completed');
  assert.equal(summary.done, 40);
  const lines = readLines(path.join(store.dir, 'responses.jsonl'));
  assert.equal(lines.length, 40);
  assert.equal(new Set(lines.map((l) => l.hash)).size, 40);
  assert.match(String(lines[0].text), /^\(\d\)$/);
  assert.ok(Number(lines[0].inputTokens) > 0 && Number(lines[0].cost) > 0);
  assert.equal(store.manifest.status, 'completed');
});

test('retries 500s, resets and malformed bodies until every request succeeds', async () => {
  server.configure({ latencyMs: 1, errorRate: 0.15, resetRate: 0.1, malformedRate: 0.1, seed: 7 });
  const m = model();
  const store = newStore(tempDir());
  const summary = await runRequests(makeItems(m, 60), { store, completers: await completers(m), concurrency: 8, baseDelayMs: 2, maxDelayMs: 20 });
  store.close();
  assert.equal(summary.done, 60);
  assert.equal(summary.failed, 0);
  assert.ok(summary.retries > 0, 'some requests were retried');
  assert.ok((server.stats.faults['500'] ?? 0) > 0 && (server.stats.faults.reset ?? 0) > 0 && (server.stats.faults.malformed ?? 0) > 0);
  assert.equal(readLines(store.responsesFile).length, 60);
});

test('gives up after maxRetries and records the error; 400 is not retried', async () => {
  server.configure({ script: (r) => (r.body.messages?.[0].content.startsWith('Question 0') ? { kind: 'status', status: 500 } : r.body.messages?.[0].content.startsWith('Question 1') ? { kind: 'status', status: 400 } : undefined) });
  const m = model({ maxRetries: 2 });
  const store = newStore(tempDir());
  const before = server.stats.requests;
  const summary = await runRequests(makeItems(m, 3), { store, completers: await completers(m), baseDelayMs: 1 });
  store.close();
  assert.equal(summary.failed, 2);
  assert.equal(summary.done, 1);
  assert.equal(server.stats.requests - before, 3 + 1 + 1, '500 asked 3 times (1 + 2 retries), 400 once, ok once');
  const failed = readLines(store.responsesFile).filter((l) => l.text === null);
  assert.equal(failed.length, 2);
  assert.match(String(failed.find((l) => l.questionId === 'Q0')?.error), /HTTP 500/);
});

test('honours Retry-After on 429 (waits about that long, not the backoff)', async () => {
  server.configure({ script: (r) => (r.attempt === 1 ? { kind: 'status', status: 429, retryAfter: '1' } : undefined) });
  const m = model();
  const store = newStore(tempDir());
  const t0 = Date.now();
  const summary = await runRequests(makeItems(m, 1), { store, completers: await completers(m), baseDelayMs: 1 });
  const elapsed = Date.now() - t0;
  store.close();
  assert.equal(summary.done, 1);
  assert.equal(summary.retries, 1);
  assert.ok(elapsed >= 1000 && elapsed < 1600, `waited ${elapsed} ms for Retry-After: 1`);
});

test('a request that hangs times out and is retried', async () => {
  server.configure({ script: (r) => (r.attempt === 1 ? { kind: 'hang' } : undefined) });
  const m = model({ timeoutMs: 300 });
  const store = newStore(tempDir());
  const t0 = Date.now();
  const summary = await runRequests(makeItems(m, 1), { store, completers: await completers(m), baseDelayMs: 1 });
  store.close();
  assert.equal(summary.done, 1);
  assert.equal(summary.retries, 1);
  assert.ok(Date.now() - t0 >= 300);
});

test('a hanging request times out for good after maxRetries and is recorded as failed', async () => {
  server.configure({ script: () => ({ kind: 'hang' }) });
  const m = model({ timeoutMs: 100, maxRetries: 1 });
  const store = newStore(tempDir());
  const summary = await runRequests(makeItems(m, 1), { store, completers: await completers(m), baseDelayMs: 1 });
  store.close();
  assert.equal(summary.failed, 1);
  assert.match(String(readLines(store.responsesFile)[0].error), /timed out after 100 ms/);
});

test('cancel aborts in-flight requests and writes nothing for them', async () => {
  server.configure({ latencyMs: 400 });
  const m = model();
  const store = newStore(tempDir());
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = Date.now();
  const summary = await runRequests(makeItems(m, 10), { store, completers: await completers(m), concurrency: 4, signal: ac.signal });
  store.close();
  assert.ok(Date.now() - t0 < 350, 'returned without waiting for the in-flight answers');
  assert.equal(summary.status, 'cancelled');
  assert.equal(summary.done, 0);
  assert.equal(readLines(store.responsesFile).length, 0);
  assert.equal(store.manifest.status, 'cancelled');
});

test('useN asks once per item with n; otherwise one call per sample', async () => {
  server.configure({ latencyMs: 1 });
  const before = server.stats.nValues.length;
  const withN = model({ id: 'n', useN: true });
  const s1 = newStore(tempDir());
  await runRequests(makeItems(withN, 3, 5), { store: s1, completers: await completers(withN) });
  s1.close();
  assert.deepEqual(server.stats.nValues.slice(before), [5, 5, 5]);
  assert.equal(readLines(s1.responsesFile).length, 15);
  const mid = server.stats.nValues.length;
  const repeated = model({ id: 'r' });
  const s2 = newStore(tempDir());
  await runRequests(makeItems(repeated, 3, 5), { store: s2, completers: await completers(repeated) });
  s2.close();
  assert.deepEqual(server.stats.nValues.slice(mid), Array(15).fill(1));
  assert.equal(new Set(readLines(s2.responsesFile).map((l) => l.hash)).size, 15);
});

test('an endpoint that ignores n gets asked again for the missing samples', async () => {
  server.configure({ script: () => ({ kind: 'ok', texts: ['(2)'] }) });
  const m = model({ useN: true });
  const store = newStore(tempDir());
  const summary = await runRequests(makeItems(m, 1, 3), { store, completers: await completers(m) });
  store.close();
  assert.equal(summary.done, 3);
  assert.deepEqual(readLines(store.responsesFile).map((l) => l.sample), [0, 1, 2]);
});

test('cache: a re-run with more samples asks only for the new ones', async () => {
  server.configure({ latencyMs: 1 });
  const m = model();
  const runsDir = tempDir();
  const first = newStore(runsDir, 'run-a');
  await runRequests(makeItems(m, 4, 2), { store: first, completers: await completers(m) });
  first.close();
  const before = server.stats.requests;
  const second = newStore(runsDir, 'run-b');
  const cache = ResponseCache.scan(runsDir, 'run-b');
  const summary = await runRequests(makeItems(m, 4, 5), { store: second, completers: await completers(m), cache });
  second.close();
  assert.equal(server.stats.requests - before, 4 * 3, 'only samples 2..4 were requested');
  assert.equal(summary.cached, 8);
  const lines = readLines(second.responsesFile);
  assert.equal(lines.length, 20);
  assert.equal(lines.filter((l) => l.cached === true).length, 8);
});

test('resume: a reopened run skips what it holds, retries what failed', async () => {
  server.configure({ script: (r) => (r.body.messages?.[0].content.startsWith('Question 2') ? { kind: 'status', status: 400 } : undefined) });
  const m = model();
  const runsDir = tempDir();
  const store = newStore(runsDir, 'run-r');
  await runRequests(makeItems(m, 5), { store, completers: await completers(m) });
  store.close();
  server.configure({});
  const reopened = RunStore.open(path.join(runsDir, 'run-r'));
  const done = reopened.completedSamples();
  assert.equal(done.size, 4);
  const before = server.stats.requests;
  const summary = await runRequests(makeItems(m, 5), { store: reopened, completers: await completers(m), done });
  reopened.close();
  assert.equal(server.stats.requests - before, 1);
  assert.equal(summary.done, 5);
});

test('401 stops the whole run with a clear error', async () => {
  server.configure({ script: () => ({ kind: 'status', status: 401 }) });
  const m = model();
  const store = newStore(tempDir());
  const summary = await runRequests(makeItems(m, 50), { store, completers: await completers(m), concurrency: 2 });
  store.close();
  assert.equal(summary.status, 'failed');
  assert.match(String(summary.error), /HTTP 401/);
  assert.ok(server.stats.requests < 1000);
});

test('requests-per-minute limit paces requests', async () => {
  server.configure({});
  const m = model({ requestsPerMinute: 600 }); // 10/s, burst 10
  const store = newStore(tempDir());
  const t0 = Date.now();
  await runRequests(makeItems(m, 20), { store, completers: await completers(m), concurrency: 8 });
  store.close();
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 900 && elapsed < 2500, `20 requests at 10/s after a burst of 10 took ${elapsed} ms`);
});

test('progress events report done, rate and ETA', async () => {
  server.configure({ latencyMs: 20 });
  const m = model();
  const store = newStore(tempDir());
  const events: { done: number; planned: number; ratePerSec: number }[] = [];
  await runRequests(makeItems(m, 40), { store, completers: await completers(m), concurrency: 4, planned: 40, onProgress: (p) => events.push(p), progressIntervalMs: 20 });
  store.close();
  assert.ok(events.length >= 3);
  assert.equal(events.at(-1)!.done, 40);
  assert.ok(events.some((e) => e.ratePerSec > 0));
  for (let i = 1; i < events.length; i++) assert.ok(events[i].done >= events[i - 1].done);
});

test('Arabic, reasoning-then-answer and echo replies are stored raw and parsed at write time', async () => {
  const settings = scoringSettings('paper');
  const m = model();
  for (const [mode, reasoning, pattern] of [['arabic', false, /^الإجابة هي \([١-٤]\)$/], ['reasoning', true, /anthropologist[\s\S]*\n\(\d\)$/], ['echo', false, /^Question \d+: how important/]] as const) {
    server.configure({ mode });
    const store = newStore(tempDir());
    await runRequests(makeItems(m, 4), {
      store, completers: await completers(m),
      parse: (text, item) => parseAnswer(text, { options: item.options ?? ['Very', 'Rather', 'Not very', 'Not at all'], reasoning }, settings).answer,
    });
    store.close();
    const lines = readLines(store.responsesFile);
    assert.equal(lines.length, 4);
    for (const l of lines) {
      assert.match(String(l.text), pattern, mode);
      if (mode !== 'echo') assert.ok([1, 2, 3, 4].includes(Number(l.parsed)), `${mode}: parsed ${l.parsed}`);
    }
  }
});
