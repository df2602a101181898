import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { experimentEndpoints, experimentKindOfText, findUnreachableEndpoints, unreachableMessage } from '../../../../src/core/run/checkEndpoints';
import { ROOT } from './runWorkspace';

const EXAMPLE = path.join(ROOT, 'examples/wvs-egypt-us');

test('the bundled examples: the replay experiment is offline, the live one needs localhost:8000', () => {
  const replay = experimentKindOfText(fs.readFileSync(path.join(EXAMPLE, 'egypt-en-vs-ar.experiment.json'), 'utf8'));
  assert.deepEqual(replay, { offline: true, endpoints: [] });
  const live = experimentKindOfText(fs.readFileSync(path.join(EXAMPLE, 'live-anthro-vs-plain.experiment.json'), 'utf8'));
  assert.deepEqual(live, { offline: false, endpoints: [{ modelId: 'local-chat', baseURL: 'http://localhost:8000/v1' }] });
  assert.equal(experimentKindOfText('{ not json'), undefined);
});

test('a condition whose model comes from the settings is live; one endpoint listed once; OpenAI is the default URL', () => {
  const spec = { models: [{ id: 'r', kind: 'replay' as const }, { id: 'o', kind: 'openai' as const }], conditions: [{ id: 'a', model: 'o' }, { id: 'b', model: 'o' }, { id: 'c', model: 'r' }, { id: 'd', model: 'from-settings' }] };
  const k = experimentEndpoints(spec as never);
  assert.equal(k.offline, false);
  assert.deepEqual(k.endpoints, [{ modelId: 'o', baseURL: 'https://api.openai.com/v1' }]);
  const withSettings = experimentEndpoints(spec as never, [{ id: 'from-settings', kind: 'openai', baseURL: 'http://127.0.0.1:9/v1' }]);
  assert.equal(withSettings.endpoints.length, 2);
});

test('a listening server is reachable, a closed port is reported at once with the reason and what to do', async () => {
  const server = net.createServer((s) => s.end()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const open = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`;
  const closed = await new Promise<string>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(`http://127.0.0.1:${port}/v1`));
    });
  });
  const t0 = Date.now();
  const bad = await findUnreachableEndpoints([{ modelId: 'up', baseURL: open }, { modelId: 'down', baseURL: closed }]);
  server.close();
  assert.ok(Date.now() - t0 < 2000, 'a refused connection does not wait for the timeout');
  assert.deepEqual(bad.map((b) => b.modelId), ['down']);
  assert.match(bad[0].reason, /refused/);
  const msg = unreachableMessage(bad, 'live.experiment.json', 'editor');
  assert.ok(msg.includes(closed), msg);
  assert.match(msg, /Start a local OpenAI-compatible server/);
  assert.match(msg, /Set API Key/);
  assert.match(msg, /live\.experiment\.json/);
});
