import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentSpec } from '../../../../src/core/experiment';
import { estimateExperiment, sumEstimates } from '../../../../src/core/preview/estimateExperiment';
import { selectPersonas } from '../../../../src/core/run/selectPersonas';
import { selectQuestions } from '../../../../src/core/run/selectQuestions';
import type { ModelOption } from '../../../../src/core/preview/previewModel';
import { personas, questions } from './fixture';

const spec: ExperimentSpec = {
  name: 'egypt en vs ar', survey: 'survey.yaml', personas: 'personas.jsonl', samples: 5,
  models: [{ id: 'gpt', kind: 'openai', model: 'gpt-4o-mini', maxTokens: 5 }, { id: 'replay', kind: 'replay', maxTokens: 5 }],
  conditions: [{ id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt' }, { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'gpt' }],
};
const gpt: ModelOption = { id: 'gpt', encoding: 'o200k_base', pricePer1kInput: 1, pricePer1kOutput: 2, maxTokens: 5, priceSource: 'experiment' };

test('estimateExperiment: exact when every item is rendered — requests, tokens and cost add up', () => {
  const calls: string[] = [];
  const e = estimateExperiment({
    spec, experimentFile: 'e.experiment.json', personas, questions, models: new Map([['gpt', gpt]]),
    countItem: (c, p, q, v) => { calls.push(`${c.id}/${p.id}/${q.id}/${v}`); return c.lang === 'en' ? 100 : 80; },
    maxSamplesPerCondition: 1000,
  });
  const items = personas.length * questions.length * 4;
  assert.equal(e.items, items * 2);
  assert.equal(new Set(calls).size, items * 2, 'each item rendered once');
  assert.equal(e.requests, items * 2 * 5);
  assert.equal(e.inputTokens, items * 5 * (100 + 80));
  assert.equal(e.outputTokensMax, items * 2 * 5 * 5);
  assert.equal(e.cost, (e.inputTokens * 1 + e.outputTokensMax * 2) / 1000);
  assert.equal(e.exact, true);
});

test('estimateExperiment: sampled and extrapolated for big experiments; useN sends one request per item; no price → null cost', () => {
  const withN: ExperimentSpec = { ...spec, models: [{ ...spec.models[0], useN: true }, spec.models[1]] };
  const e = estimateExperiment({ spec: withN, experimentFile: 'e', personas, questions, models: new Map([['gpt', { ...gpt, pricePer1kInput: null }]]), countItem: () => 50, maxSamplesPerCondition: 7 });
  assert.equal(e.exact, false);
  assert.equal(e.sampledItems, 14);
  assert.equal(e.requests, e.items);
  assert.equal(e.inputTokens, e.items * 50);
  assert.equal(e.cost, null);
});

test('estimateExperiment: recorded models cost nothing; failed renders are counted', () => {
  const replay: ExperimentSpec = { ...spec, conditions: [{ id: 'r', template: 't', lang: 'en', model: 'replay' }] };
  const e = estimateExperiment({ spec: replay, experimentFile: 'e', personas, questions, models: new Map([['replay', { ...gpt, id: 'replay', recorded: true }]]), countItem: (_c, p) => { if (p.id === personas[0].id) throw new Error('x'); return 10; }, maxSamplesPerCondition: 1000 });
  assert.equal(e.cost, 0);
  assert.equal(e.failedItems, questions.length * 4);
});

test('selectPersonas / selectQuestions apply the experiment filter in order', () => {
  assert.equal(selectPersonas(personas, { ...spec, personaFilter: { countries: ['United States'] } }).length, 0);
  assert.deepEqual(selectPersonas(personas, { ...spec, personaFilter: { countries: ['EGYPT'], limit: 2 } }).map((p) => p.id), personas.slice(0, 2).map((p) => p.id));
  assert.deepEqual(selectPersonas(personas, { ...spec, personaFilter: { ids: [personas[3].id] } }).map((p) => p.id), [personas[3].id]);
  assert.deepEqual(selectQuestions(questions, { ...spec, questions: ['Q19', 'Q404', 'Q1'] }).map((q) => q.id), ['Q19', 'Q1']);
  assert.equal(selectQuestions(questions, { ...spec, questions: 'all' }).length, questions.length);
});

test('sumEstimates: condition by condition adds up to the whole experiment', () => {
  const models = new Map([['gpt', gpt]]);
  const countItem = (c: { lang: string }, p: { id: string }) => (c.lang === 'en' ? 100 : 80) + p.id.length;
  const whole = estimateExperiment({ spec, experimentFile: 'e', personas, questions, models, countItem, maxSamplesPerCondition: 1000 });
  const parts = spec.conditions.map((c) => estimateExperiment({ spec: { ...spec, conditions: [c] }, experimentFile: 'e', personas, questions, models, countItem, maxSamplesPerCondition: 1000 }));
  assert.deepEqual(sumEstimates(parts, 'e'), whole);
  assert.equal(sumEstimates([{ ...whole, cost: null }, whole], 'e').cost, null);
  assert.equal(sumEstimates([{ ...whole, exact: false }, whole], 'e').exact, false);
});
