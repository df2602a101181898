import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../../../src/core/results/compareRuns';
import { tinyInput } from './fixtures';

test('compares shared conditions of two runs with paired per-persona deltas', () => {
  const before = tinyInput();
  const after = tinyInput();
  after.runId = 'tiny-2';
  // After the edit, p4 answers Q1 worse in `en`; `ar` is unchanged; a new condition appears.
  after.items = after.items.map((it) => (it.condition === 'en' && it.personaId === 'p4' && it.questionId === 'Q1' ? { ...it, soft: 0, hard: 0 } : it));
  after.conditions = [...after.conditions, { id: 'ar-anthro', label: 'Arabic anthro', lang: 'ar', model: 'm', template: 'prompts/anthro.ar.hbs' }];
  const cmp = compareRuns(before, after, 500);
  assert.deepEqual(cmp.conditions.map((c) => c.condition), ['en', 'ar']);
  assert.deepEqual(cmp.unmatched, ['ar-anthro']);
  const en = cmp.conditions[0];
  assert.ok(Math.abs(en.delta.soft.mean! - -1 / 7) < 1e-9, String(en.delta.soft.mean));
  assert.equal(en.delta.lost, 1);
  assert.equal(en.delta.gained, 0);
  assert.equal(cmp.conditions[1].delta.soft.mean, 0);
  const p4 = cmp.personas.find((p) => p.id === 'p4')!;
  assert.equal(p4.delta.en, -0.5);
  assert.equal(p4.delta.ar, 0);
  assert.equal(cmp.before.runId, 'tiny');
  assert.equal(cmp.after.runId, 'tiny-2');
});
