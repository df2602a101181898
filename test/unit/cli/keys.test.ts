import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../src/core/errors';
import { cliKeys, loadKeyMapping, OPENAI_ORIGIN, parseKeyFlag, readKeysFile, userKeysFile } from '../../../src/cli/keys';
import { tempDir } from '../core/run/helpers';

const env = { OPENAI_API_KEY: 'sk-openai', OPENAI_ORG_ID: 'org-1', OPENAI_PROJECT_ID: 'proj_1', LOCAL: 'sk-local', GITHUB_TOKEN: 'ghp_x' };

test('OPENAI_API_KEY (with org and project) goes to https://api.openai.com only; an unmapped origin gets nothing', () => {
  const keys = cliKeys(new Map(), env);
  assert.deepEqual(keys(OPENAI_ORIGIN), { apiKey: 'sk-openai', organization: 'org-1', project: 'proj_1' });
  for (const o of ['http://api.openai.com', 'https://api.openai.com:8443', 'https://api.openai.com.evil.test', 'http://127.0.0.1:8000', 'https://openrouter.ai']) assert.equal(keys(o), undefined, o);
});

test('a mapped origin gets its variable only, and the org / project configured for it (none from the environment)', () => {
  const keys = cliKeys(new Map([['http://127.0.0.1:8000', { env: 'LOCAL' }], [OPENAI_ORIGIN, { env: 'LOCAL', organization: 'org-conf' }]]), env);
  assert.deepEqual(keys('http://127.0.0.1:8000'), { apiKey: 'sk-local' });
  assert.deepEqual(keys(OPENAI_ORIGIN), { apiKey: 'sk-local', organization: 'org-conf' });
  assert.equal(keys('http://127.0.0.1:8001'), undefined);
});

test('--key <origin>=<VAR>: normalised to the origin; bad values are usage errors', () => {
  assert.deepEqual(parseKeyFlag('http://127.0.0.1:8000/v1=LOCAL'), ['http://127.0.0.1:8000', 'LOCAL']);
  assert.deepEqual(parseKeyFlag('https://API.example.com=K_1'), ['https://api.example.com', 'K_1']);
  for (const bad of [undefined, 'LOCAL', 'http://x=', 'http://x=not a var', 'ftp://x=K', '=K']) assert.equal(typeof parseKeyFlag(bad), 'string', String(bad));
});

test('the user-level keys file: XDG_CONFIG_HOME or ~/.config; flags override its variable; bad content is a located error', () => {
  const home = tempDir('as-keys-');
  assert.equal(userKeysFile({ HOME: home }), path.join(home, '.config/alignment-studio/keys.json'));
  assert.equal(userKeysFile({ HOME: home, XDG_CONFIG_HOME: '/xdg' }), '/xdg/alignment-studio/keys.json');
  const file = userKeysFile({ HOME: home });
  assert.deepEqual([...readKeysFile(file)], [], 'no file: no mapping');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ keys: { 'http://127.0.0.1:8000/v1': 'LOCAL', 'https://api.openai.com': { env: 'OPENAI_API_KEY', project: 'proj_9' } } }, null, 2));
  const m = loadKeyMapping([['http://127.0.0.1:8000', 'GITHUB_TOKEN']], { HOME: home });
  assert.deepEqual(m.get('http://127.0.0.1:8000'), { env: 'GITHUB_TOKEN' }, 'the user\'s own flag wins');
  assert.deepEqual(m.get(OPENAI_ORIGIN), { env: 'OPENAI_API_KEY', project: 'proj_9' });
  fs.writeFileSync(file, '{\n  "keys": {\n    "https://x.test": { "env": "A", "secret": "no" }\n  }\n}\n');
  assert.throws(() => readKeysFile(file), (e: unknown) => e instanceof InputError && e.field === 'secret' && e.location.line === 3);
  fs.writeFileSync(file, '{ "keys": [] ');
  assert.throws(() => readKeysFile(file), (e: unknown) => e instanceof InputError && e.location.file === file);
});
