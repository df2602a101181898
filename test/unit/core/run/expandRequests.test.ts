import { itemSampleKey } from '../../../../src/core/run/readRun';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ModelSpec } from '../../../../src/core/experiment';
import { createReplayCompleter } from '../../../../src/core/run/createReplayCompleter';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { estimateRun } from '../../../../src/core/run/estimateRun';
import { countPlan, expandRequests } from '../../../../src/core/run/expandRequests';
import { formatPersonaAnswers } from '../../../../src/core/run/formatPersonaAnswers';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { RequestError } from '../../../../src/core/run/RequestError';
import { COMPLETIONS, makeRunWorkspace } from './runWorkspace';

const live: ModelSpec = { id: 'live', kind: 'openai', baseURL: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 5, pricePer1kInput: 0.15, pricePer1kOutput: 0.6 };
const conditions = [
  { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'live' },
  { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'live' },
];

test('expansion: conditions × personas × questions × variants × samples, with stable hashes', async () => {
  const ws = await makeRunWorkspace(['Q19', 'Q42'], 3);
  const file = ws.write({ samples: 5, models: [live], conditions }, 'e.experiment.json');
  const exp = await openExperiment(file, createTemplateRenderer);
  const items = [...expandRequests(exp.plan)];
  assert.equal(items.length, 2 * 3 * 2 * 4);
  assert.deepEqual(countPlan(exp.plan), { items: 48, samples: 240 });
  const hashes = items.flatMap((i) => i.samples.map((s) => s.hash));
  assert.equal(new Set(hashes).size, 240);
  const again = [...expandRequests((await openExperiment(file, createTemplateRenderer)).plan)].flatMap((i) => i.samples.map((s) => s.hash));
  assert.deepEqual(again, hashes, 'same experiment → same hashes');
  // The Arabic prompt is rendered with the Arabic persona values.
  const ar = items.find((i) => i.condition === 'ar')!;
  assert.match(ar.messages[0].content, /الفيوم/);
  // More samples keep the first ones' hashes (a re-run only asks for the new samples); a parameter change does not.
  const more = [...expandRequests((await openExperiment(ws.write({ samples: 7, models: [live], conditions }, 'e7.experiment.json'), createTemplateRenderer)).plan)];
  assert.deepEqual(more[0].samples.slice(0, 5).map((s) => s.hash), items[0].samples.map((s) => s.hash));
  const hotter = [...expandRequests((await openExperiment(ws.write({ samples: 5, models: [{ ...live, temperature: 1 }], conditions }, 'hot.experiment.json'), createTemplateRenderer)).plan)];
  assert.notEqual(hotter[0].samples[0].hash, items[0].samples[0].hash);
});

test('estimate: requests (n vs repeated), cache, tokens by condition, cost', async () => {
  const ws = await makeRunWorkspace(['Q19'], 2);
  const exp = await openExperiment(ws.write({ samples: 5, models: [live], conditions }, 'e.experiment.json'), createTemplateRenderer);
  const count = (t: string): number => Math.ceil(t.length / 3);
  const e = estimateRun(expandRequests(exp.plan), count);
  assert.equal(e.samples, 2 * 1 * 4 * 2 * 5);
  assert.equal(e.requests, 80);
  assert.equal(e.outputTokensMax, 80 * 5);
  assert.ok(e.inputTokens > 80 * 100, `input tokens ${e.inputTokens}`);
  assert.ok(e.cost! > 0);
  const first = [...expandRequests(exp.plan)][0];
  const done = new Set(first.samples.map((s) => itemSampleKey(first, s.sample)));
  const withN = await openExperiment(ws.write({ samples: 5, models: [{ ...live, useN: true }], conditions }, 'n.experiment.json'), createTemplateRenderer);
  const en = estimateRun(expandRequests(withN.plan), count);
  assert.equal(en.requests, 16, 'one call per item with n');
  const resumed = estimateRun(expandRequests(exp.plan), count, done);
  assert.equal(resumed.alreadyDone, 5);
  assert.equal(resumed.requests, 75);
  const noPrice = await openExperiment(ws.write({ samples: 1, models: [{ ...live, pricePer1kInput: undefined, pricePer1kOutput: undefined }], conditions }, 'np.experiment.json'), createTemplateRenderer);
  assert.equal(estimateRun(expandRequests(noPrice.plan), count).cost, null);
});

test('replay answers from the recorded GPT-3.5 completions, labelled recorded; unrecorded items fail without retry', async () => {
  const ws = await makeRunWorkspace(['Q19'], 2);
  const replay: ModelSpec = { id: 'r', kind: 'replay', completions: 'recorded' };
  const exp = await openExperiment(ws.write({ samples: 5, models: [replay], conditions: conditions.map((c) => ({ ...c, model: 'r' })) }, 'r.experiment.json'), createTemplateRenderer);
  const completer = createReplayCompleter(replay, COMPLETIONS);
  assert.equal(completer.recorded, true);
  const item = [...expandRequests(exp.plan)][0];
  const signal = new AbortController().signal;
  const r = await completer.complete({ item, n: 5, signal, sampleIndices: [0, 1, 2, 3, 4] });
  assert.deepEqual(r.texts, ['1', '1', '1', '1', '1']); // egypt-0001, Q19 variant 0, English
  await assert.rejects(completer.complete({ item: { ...item, personaValues: { ...item.personaValues!, age: 999 } }, n: 1, signal, sampleIndices: [0] }), (e: unknown) => e instanceof RequestError && !e.retryable && /no recorded answer/.test(e.message));
  await assert.rejects(completer.complete({ item, n: 1, signal, sampleIndices: [7] }), /only 5 recorded samples/);
  const missing = createReplayCompleter(replay, path.join(ws.dir, 'nothing-here'));
  await assert.rejects(missing.complete({ item, n: 1, signal, sampleIndices: [0] }), (e: unknown) => e instanceof RequestError && e.fatalForRun);
});

test('persona answers as Markdown: raw and parsed per sample, the survey answer, recorded label', async () => {
  const ws = await makeRunWorkspace(['Q19'], 1);
  const exp = await openExperiment(ws.write({ samples: 2, models: [live], conditions: [conditions[1]] }, 'f.experiment.json'), createTemplateRenderer);
  const persona = exp.plan.personas[0];
  const records = [
    { hash: 'a', condition: 'ar', model: 'live', lang: 'ar', personaId: persona.id, questionId: 'Q19', variant: 0, sample: 1, text: 'الإجابة | (٢)', parsed: 2, t: 0 },
    { hash: 'b', condition: 'ar', model: 'live', lang: 'ar', personaId: persona.id, questionId: 'Q19', variant: 0, sample: 0, text: '2', parsed: 2, t: 0 },
    { hash: 'c', condition: 'ar', model: 'live', lang: 'ar', personaId: persona.id, questionId: 'Q19', variant: 1, sample: 0, text: null, error: 'HTTP 500', t: 0 },
  ];
  const md = formatPersonaAnswers({ persona, questions: exp.plan.questions, lang: 'ar', records, recordedModels: new Set(['live']), template: 'prompts/persona.ar.hbs', runId: 'r1' });
  assert.match(md, /^# egypt-0001 — prompts\/persona\.ar\.hbs/);
  assert.match(md, /الفيوم، مصر|الفيوم, مصر/);
  assert.match(md, /live \(\*\*recorded answers\*\*/);
  const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
  assert.deepEqual(rows.map((r) => r.split('|')[2].trim()), ['0', '1', '0'], 'sorted by variant, sample');
  assert.match(rows[1], /الإجابة \\\| \(٢\)/);
  assert.match(rows[2], /\*\*failed\*\*: HTTP 500/);
  assert.match(md, /Most frequent: 2 — /);
});
