import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../../../../src/core/experiment';
import { createOpenAICompleter } from '../../../../src/core/run/createOpenAICompleter';
import { runRequests } from '../../../../src/core/run/runRequests';
import { FakeOpenAIServer } from '../../../fake-server/FakeOpenAIServer';
import { makeItems, newStore, readLines, tempDir } from './helpers';

let home: FakeOpenAIServer;
let foreign: FakeOpenAIServer;
before(async () => {
  home = await new FakeOpenAIServer().start();
  foreign = await new FakeOpenAIServer().start();
});
after(async () => {
  await home.stop();
  await foreign.stop();
});

/** A key store holding one key, for `home`'s origin only; records which origins were asked for. */
function keyStore(): { lookup: (origin: string) => string | undefined; asked: string[] } {
  const asked: string[] = [];
  return { asked, lookup: (origin) => (asked.push(origin), origin === home.origin ? 'sk-home-secret' : undefined) };
}

test('the key goes to its own origin only', async () => {
  const keys = keyStore();
  const m: ModelSpec = { id: 'home', kind: 'openai', baseURL: home.baseURL, maxRetries: 0 };
  const store = newStore(tempDir());
  await runRequests(makeItems(m, 2), { store, completers: new Map([['home', await createOpenAICompleter(m, keys.lookup)]]) });
  store.close();
  assert.deepEqual([...home.stats.authorizations], ['Bearer sk-home-secret']);
  assert.deepEqual(keys.asked, [home.origin]);
});

test('a model on another origin never receives the stored key', async () => {
  const keys = keyStore();
  const m: ModelSpec = { id: 'foreign', kind: 'openai', baseURL: foreign.baseURL, maxRetries: 0 };
  const store = newStore(tempDir());
  await runRequests(makeItems(m, 2), { store, completers: new Map([['foreign', await createOpenAICompleter(m, keys.lookup)]]) });
  store.close();
  assert.deepEqual(keys.asked, [foreign.origin]);
  assert.ok(![...foreign.stats.authorizations].some((a) => a.includes('sk-home-secret')), [...foreign.stats.authorizations].join());
});

test('a redirect to another host is not followed, so the key cannot leak through it', async () => {
  home.configure({ redirectTo: foreign.baseURL });
  const before = foreign.stats.requests;
  const keys = keyStore();
  const m: ModelSpec = { id: 'home', kind: 'openai', baseURL: home.baseURL, maxRetries: 2 };
  const store = newStore(tempDir());
  const summary = await runRequests(makeItems(m, 1), { store, completers: new Map([['home', await createOpenAICompleter(m, keys.lookup)]]), baseDelayMs: 1 });
  store.close();
  home.configure({});
  assert.equal(foreign.stats.requests, before, 'the foreign host saw no request at all');
  assert.equal(summary.failed, 1);
  assert.match(String(readLines(store.responsesFile)[0].error), /HTTP 302/);
});

test('keys are never written to the run store', async () => {
  const keys = keyStore();
  const m: ModelSpec = { id: 'home', kind: 'openai', baseURL: home.baseURL };
  const runs = tempDir();
  const store = newStore(runs);
  await runRequests(makeItems(m, 3), { store, completers: new Map([['home', await createOpenAICompleter(m, keys.lookup)]]) });
  store.close();
  const fs = await import('node:fs');
  for (const f of ['responses.jsonl', 'manifest.json']) assert.ok(!fs.readFileSync(`${store.dir}/${f}`, 'utf8').includes('sk-home-secret'), f);
});
