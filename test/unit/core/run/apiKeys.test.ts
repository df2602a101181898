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

test('the environment\'s OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_CUSTOM_HEADERS never reach an endpoint; org and project go only where the lookup sets them (the extension\'s path)', async () => {
  const saved = { org: process.env.OPENAI_ORG_ID, project: process.env.OPENAI_PROJECT_ID, custom: process.env.OPENAI_CUSTOM_HEADERS };
  process.env.OPENAI_ORG_ID = 'org-env';
  process.env.OPENAI_PROJECT_ID = 'proj_env';
  process.env.OPENAI_CUSTOM_HEADERS = 'X-Env-Secret: from-env';
  try {
    home.stats.headers.clear();
    const m: ModelSpec = { id: 'home', kind: 'openai', baseURL: home.baseURL, maxRetries: 0 };
    const store = newStore(tempDir());
    await runRequests(makeItems(m, 1), { store, completers: new Map([['home', await createOpenAICompleter(m, () => 'sk-home-secret')]]) });
    for (const h of ['openai-organization', 'openai-project', 'x-env-secret']) assert.equal(home.stats.headers.get(h), undefined, h);
    // Configured for this origin (the CLI's keys.json): sent, to this origin only.
    const configured = await createOpenAICompleter(m, (origin) => (origin === home.origin ? { apiKey: 'sk-home-secret', organization: 'org-mine', project: 'proj_mine' } : undefined));
    await runRequests(makeItems(m, 1, 1, 'c2'), { store, completers: new Map([['home', configured]]) });
    store.close();
    assert.deepEqual([...home.stats.headers.get('openai-organization') ?? []], ['org-mine']);
    assert.deepEqual([...home.stats.headers.get('openai-project') ?? []], ['proj_mine']);
  } finally {
    for (const [k, v] of [['OPENAI_ORG_ID', saved.org], ['OPENAI_PROJECT_ID', saved.project], ['OPENAI_CUSTOM_HEADERS', saved.custom]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
