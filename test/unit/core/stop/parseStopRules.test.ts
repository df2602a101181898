import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { parseExperiment } from '../../../../src/core/run/parseExperiment';

const experiment = (stop: string) => `{
  "name": "x", "survey": "s.json", "personas": "p.jsonl", "samples": 1,
  "models": [{ "id": "m", "kind": "replay", "completions": "rec" }],
  "conditions": [{ "id": "a", "template": "t.hbs", "lang": "en", "model": "m" }],
  "scoring": {
    "profile": "paper",
    "stop": ${stop}
  }
}`;

test('scoring.stop: the rules are read with their values', () => {
  const { spec, warnings } = parseExperiment(experiment('{ "excludesZero": true, "maxWidth": 2.5, "maxRequests": 5000, "maxCost": 12.5, "alpha": 0.1, "minPersonas": 30, "method": "normal-mixture" }'), 'e.json');
  assert.deepEqual(spec.scoring?.stop, { excludesZero: true, maxWidth: 2.5, maxRequests: 5000, maxCost: 12.5, alpha: 0.1, minPersonas: 30, method: 'normal-mixture' });
  assert.equal(spec.scoring?.profile, 'paper');
  assert.deepEqual(warnings, []);
});

test('scoring.stop: a bad value is an error at its line and field', () => {
  const cases: Array<[string, RegExp, string, number]> = [
    ['{ "excludesZero": "yes" }', /"excludesZero" must be true or false/, 'excludesZero', 7],
    ['{\n "maxWidth": -1 }', /"maxWidth" must be a width in points/, 'maxWidth', 8],
    ['{ "maxRequests": 2.5 }', /"maxRequests" must be a whole number/, 'maxRequests', 7],
    ['{ "maxCost": 0 }', /"maxCost" must be more than 0/, 'maxCost', 7],
    ['{ "excludesZero": true,\n   "alpha": 0.7 }', /"alpha" must be an error level/, 'alpha', 8],
    ['{ "excludesZero": true, "minPersonas": 0 }', /"minPersonas" must be a whole number of personas/, 'minPersonas', 7],
    ['{ "excludesZero": true, "method": "bayes" }', /"method" must be "betting" or "normal-mixture"/, 'method', 7],
    ['{ "alpha": 0.05 }', /needs at least one rule/, 'stop', 7],
    ['{ "excludesZero": false }', /needs at least one rule/, 'stop', 7],
    ['[1]', /"stop" must be an object/, 'stop', 7],
  ];
  for (const [stop, message, field, line] of cases) {
    assert.throws(() => parseExperiment(experiment(stop), 'e.json'), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, message);
      assert.equal(e.field, field, stop);
      assert.equal(e.location.file, 'e.json');
      assert.equal(e.location.line, line, `${stop}: ${e.message}`);
      return true;
    });
  }
});

test('scoring.stop: an unknown field is a located warning, not an error', () => {
  const { spec, warnings } = parseExperiment(experiment('{ "excludesZero": true,\n "maxPersonas": 10 }'), 'e.json');
  assert.deepEqual(spec.scoring?.stop, { excludesZero: true });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.field, 'maxPersonas');
  assert.equal(warnings[0]!.line, 8);
});
