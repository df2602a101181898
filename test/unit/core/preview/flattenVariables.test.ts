import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenVariables } from '../../../../src/core/preview/flattenVariables';
import { miniEngine, personas, questions } from './fixture';

test('flattenVariables: one row per leaf path with the English and Arabic values side by side', () => {
  const en = miniEngine.buildContext(personas[0], questions[1], 0, 'en');
  const ar = miniEngine.buildContext(personas[0], questions[1], 0, 'ar');
  const rows = flattenVariables({ en, ar });
  const row = (p: string) => rows.find((r) => r.path === p);
  assert.deepEqual(row('persona.region')?.values, { en: 'Fayoum', ar: 'الفيوم' });
  assert.deepEqual(row('persona.age'), { path: 'persona.age', values: { en: '46', ar: '46' }, type: 'number' });
  assert.deepEqual(row('question.options')?.values, { en: '[3 items]', ar: '[3 items]' });
  assert.equal(row('question.options')?.type, 'array');
  assert.deepEqual(row('question.options.2')?.values, { en: "Don't know", ar: 'لا أعرف' });
  assert.equal(row('question.id')?.values.ar, 'Q19');
});

test('flattenVariables: a path only one language has keeps the other empty; functions are skipped; cycles stop', () => {
  const cyc: Record<string, unknown> = { a: 1 };
  cyc.self = cyc;
  const rows = flattenVariables({ en: { only: 'x', nil: null, fn: () => 1, cyc }, ar: {} });
  assert.deepEqual(rows.find((r) => r.path === 'only')?.values, { en: 'x' });
  assert.equal(rows.find((r) => r.path === 'nil')?.type, 'null');
  assert.equal(rows.some((r) => r.path === 'fn'), false);
  assert.equal(rows.find((r) => r.path === 'cyc.self')?.values.en, '{…}');
});
