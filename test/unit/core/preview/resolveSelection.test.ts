import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personaOption } from '../../../../src/core/preview/personaOption';
import type { PreviewCatalog } from '../../../../src/core/preview/previewModel';
import { resolveSelection } from '../../../../src/core/preview/resolveSelection';
import { personas, questions } from './fixture';

const catalog: PreviewCatalog = {
  experimentFile: 'x.experiment.json',
  personas: personas.map(personaOption),
  questions: questions.map((q) => ({ id: q.id, label: q.id, theme: q.theme, variants: 4 })),
  models: [{ id: 'a', encoding: 'o200k_base', pricePer1kInput: null, pricePer1kOutput: null, maxTokens: null, priceSource: 'none' }],
};

test('resolveSelection keeps a valid selection and repairs a stale one', () => {
  assert.deepEqual(resolveSelection(catalog, { personaId: personas[2].id, questionId: 'Q19', variant: 3, modelId: 'a' }), { personaId: personas[2].id, questionId: 'Q19', variant: 3, modelId: 'a' });
  assert.deepEqual(resolveSelection(catalog, { personaId: 'gone', questionId: 'Q999', variant: 9, modelId: 'zzz' }), { personaId: personas[0].id, questionId: 'Q1', variant: 0, modelId: 'a' });
  assert.deepEqual(resolveSelection(catalog, {}), { personaId: personas[0].id, questionId: 'Q1', variant: 0, modelId: 'a' });
  assert.equal(resolveSelection({ ...catalog, personas: [] }, {}), undefined);
  assert.equal(resolveSelection({ ...catalog, models: [] }, {})?.modelId, null);
});
