import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { parseExperiment, parseModelList } from '../../../../src/core/run/parseExperiment';

const good = {
  name: 'e', survey: 's.json', personas: 'p.jsonl', samples: 5,
  models: [{ id: 'm', kind: 'openai', baseURL: 'https://api.example.com/v1', model: 'gpt-x', temperature: 0.7, maxTokens: 5, useN: true }],
  conditions: [{ id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'm' }],
};

function errorOf(text: string, settings = []): InputError {
  try {
    parseExperiment(text, 'x.experiment.json', settings);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail('no error');
}

test('a valid experiment parses with its models', () => {
  const { spec, warnings } = parseExperiment(JSON.stringify(good, null, 2), 'x.experiment.json');
  assert.equal(spec.samples, 5);
  assert.equal(spec.models[0].useN, true);
  assert.deepEqual(warnings, []);
});

test('errors name file, line, column and field', () => {
  const text = JSON.stringify({ ...good, models: [{ ...good.models[0], temperature: 3 }] }, null, 2);
  const e = errorOf(text);
  assert.equal(e.location.file, 'x.experiment.json');
  assert.equal(e.field, 'temperature');
  assert.equal(text.split('\n')[e.location.line - 1].trim(), '"temperature": 3,');
  assert.match(e.message, /"temperature" must be a number from 0 to 2 \(got 3\)/);
});

test('an unknown model in a condition points at the condition and lists the known ones', () => {
  const text = JSON.stringify({ ...good, conditions: [{ ...good.conditions[0], model: 'nope' }] }, null, 2);
  const e = errorOf(text);
  assert.equal(e.field, 'model');
  assert.match(e.message, /unknown model "nope" \(known: m\)/);
  assert.equal(text.split('\n')[e.location.line - 1].trim(), '"model": "nope"');
});

test('models can come from settings; the spec then lists the ones used', () => {
  const { spec } = parseExperiment(JSON.stringify({ ...good, models: undefined, conditions: [{ ...good.conditions[0], model: 'from-settings' }] }), 'x.json', [
    { id: 'from-settings', kind: 'openai', baseURL: 'http://localhost:8000/v1' }, { id: 'unused', kind: 'replay', completions: 'rec' },
  ]);
  assert.deepEqual(spec.models.map((m) => m.id), ['from-settings']);
});

test('missing fields, bad URLs, replay without completions, duplicate ids, syntax errors', () => {
  assert.match(errorOf(JSON.stringify({ ...good, name: undefined })).message, /missing required field "name"/);
  assert.match(errorOf(JSON.stringify({ ...good, models: [{ id: 'm', baseURL: 'ftp://x' }] })).message, /baseURL must be an http\(s\) URL/);
  assert.match(errorOf(JSON.stringify({ ...good, models: [{ id: 'm', kind: 'replay' }] })).message, /needs "completions"/);
  assert.match(errorOf(JSON.stringify({ ...good, models: [{ id: 'm' }] })).message, /needs a baseURL/);
  assert.match(errorOf(JSON.stringify({ ...good, conditions: [good.conditions[0], good.conditions[0]] })).message, /duplicate condition id "en"/);
  assert.match(errorOf(JSON.stringify({ ...good, conditions: [] })).message, /at least one condition/);
  assert.match(errorOf(JSON.stringify({ ...good, models: [{ ...good.models[0], apiKeyEnv: 'not a name' }] })).message, /environment variable name/);
  const syntax = errorOf('{\n  "name": "x",\n  "samples": 5,,\n}');
  assert.equal(syntax.location.line, 3);
});

test('unknown fields are warnings with their position, not errors', () => {
  const { warnings } = parseExperiment(JSON.stringify({ ...good, models: [{ ...good.models[0], basURL: 'x' }] }, null, 2), 'x.json');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].field, 'basURL');
  assert.ok(warnings[0].line > 1);
});

test('settings models are validated the same way', () => {
  assert.equal(parseModelList([{ id: 'a', baseURL: 'http://localhost:1234/v1' }], 'settings').length, 1);
  assert.throws(() => parseModelList([{ id: 'a', baseURL: 'http://x/v1', concurrency: 0 }], 'settings'), /"concurrency" must be a whole number from 1/);
});
