import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { cultureGroundTruth } from '../../../../src/core/culture/cultureGroundTruth';
import { expandCultureRequests } from '../../../../src/core/culture/expandCultureRequests';
import { seedUserMessage } from '../../../../src/core/culture/importSeedSurvey';
import { importWvsCountryTable, NOT_ASKED } from '../../../../src/core/culture/importWvsCountryTable';
import { loadSeedSurvey } from '../../../../src/core/culture/loadCultureLLMData';
import { openCultureExperiment } from '../../../../src/core/culture/openCultureExperiment';
import { parseCultureAnswer } from '../../../../src/core/culture/parseCultureAnswer';
import { parseCultureExperiment } from '../../../../src/core/culture/parseCultureExperiment';
import { executeCultureRun, prepareCultureRun } from '../../../../src/core/culture/runCultureExperiment';
import { scoreCultureRun, scoresOf } from '../../../../src/core/culture/scoreCultureRun';
import { InputError } from '../../../../src/core/errors';
import { readRun } from '../../../../src/core/run/readRun';
import { FakeOpenAIServer } from '../../../fake-server/FakeOpenAIServer';
import { readText } from '../workspace/sharedData';
import { COUNTRY_FILES, ENGLISH_JSONL, WVS } from './cultureData';
import { ENGLISH, makeCultureWorkspace, type CultureWorkspace } from './cultureWorkspace';

const seeds = loadSeedSurvey(ENGLISH_JSONL, COUNTRY_FILES[0]!, WVS);
let server: FakeOpenAIServer;
let ws: CultureWorkspace;
before(async () => {
  server = await new FakeOpenAIServer({ mode: 'scale' }).start();
  ws = makeCultureWorkspace();
});
after(() => server.stop());

const fake = (id: string, model = id): Record<string, unknown> => ({ id, kind: 'openai', baseURL: server.baseURL, model, temperature: 0.7, maxTokens: 5, concurrency: 16, timeoutMs: 5000, maxRetries: 3 });
const Q5 = ['Q27', 'Q36', 'Q122', 'Q158', 'Q224'];

test('experiment file: defaults, cultures by their CultureLLM id, unknown fields warned; errors at file, line and field', () => {
  const text = JSON.stringify({ name: 'x', seeds: 's.json', cultures: [{ id: 'arabic', countries: ['a.csv'] }], models: [{ id: 'm', kind: 'openai', baseURL: 'http://h/v1' }], extra: 1 }, null, 2);
  const { spec, warnings } = parseCultureExperiment(text, 'x.culture.json');
  assert.equal(spec.cultures[0]!.lang, 'ar');
  assert.equal(spec.cultures[0]!.name.ar, 'العربية');
  assert.deepEqual(spec.templates, ['prompts/culture.{lang}.hbs']);
  assert.equal(spec.samples, 10);
  assert.equal(spec.questions, 'all');
  assert.deepEqual(warnings.map((w) => [w.field, w.line]), [['extra', 19]]);
  const bad = (o: Record<string, unknown>, re: RegExp, line: number, field?: string): void => {
    const t = JSON.stringify({ name: 'x', seeds: 's.json', cultures: [{ id: 'arabic', countries: ['a.csv'] }], models: [{ id: 'm', kind: 'openai', baseURL: 'http://h/v1' }], ...o }, null, 2);
    assert.throws(() => parseCultureExperiment(t, 'x.culture.json'), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, re);
      assert.equal(e.location.line, line, e.message);
      if (field) assert.equal(e.field, field);
      return true;
    });
  };
  bad({ cultures: [{ id: 'swahili', countries: ['s.csv'] }] }, /not one of CultureLLM's nine/, 5);
  bad({ models: [{ id: 'm', kind: 'openai', baseURL: 'ftp://h' }] }, /baseURL must be an http\(s\) URL/, 16, 'baseURL');
  bad({ samples: 0 }, /"samples" must be a whole number from 1 to 1000/, 19, 'samples');
  bad({ scoring: { compare: ['m', 'other'] } }, /names no model of this experiment: "other"/, 22);
  bad({ variants: 'all' }, /needs an "augmentation"/, 19);
  bad({ kind: 'survey' }, /"kind" must be "culture"/, 19);
});

test('WVS dumps with labels (US, Egypt n303) become country tables: labels to codes in any word order, missing and not-asked codes', () => {
  const us = importWvsCountryTable(readText(path.join(WVS, 'us_wvs_wave7_v7_n303.csv')), 'us.csv', seeds);
  assert.equal(us.respondents, 303);
  assert.equal(us.countryAlpha, 'USA');
  // Q27 as labels: Agree strongly 83, Agree 156, Disagree 54, Strongly disagree 10 → codes 1..4.
  const q27 = Array.from(us.codes.Q27!);
  assert.deepEqual([1, 2, 3, 4].map((c) => q27.filter((x) => x === c).length), [83, 156, 54, 10]);
  // Q122 is recoded 0–2: Agree 157 → 2, Hard to say 119 → 1, Disagree 26 → 0, Don't know → −1.
  const q122 = Array.from(us.codes.Q122!);
  assert.deepEqual([2, 1, 0, -1].map((c) => q122.filter((x) => x === c).length), [157, 119, 26, 1]);
  const eg = importWvsCountryTable(readText(path.join(WVS, 'eg_wvs_wave7_v7_n303.csv')), 'eg.csv', seeds);
  const truth = cultureGroundTruth('egypt', [eg], seeds);
  const notAsked = Object.values(truth.questions).filter((q) => q.answered === 0).map((q) => q.questionId);
  assert.deepEqual(notAsked, ['Q36', 'Q134', 'Q138', 'Q170', 'Q196', 'Q197', 'Q198', 'Q226']);
  assert.ok(Array.from(eg.codes.Q36!).every((c) => c === NOT_ASKED));
  // "Neither agree or disagree" (the dump's spelling) is the seed's "Neither agree nor disagree" (code 3).
  assert.ok(Array.from(eg.codes.Q39!).includes(3));
  const broken = ';B_COUNTRY_ALPHA ISO;Q27 Parents proud\n1;EGY;Agree\n2;EGY;Sometimes\n';
  assert.throws(() => importWvsCountryTable(broken, 'b.csv', seeds.slice(0, 1)), (e: unknown) => e instanceof InputError && e.location.line === 3 && e.location.column === 7 && e.field === 'Q27' && /"Sometimes" is not on the 1–4 scale/.test(e.message));
});

test('culture.en.hbs asks the paper\'s seed message "as a member of" the culture; culture.ar.hbs in Arabic with the Arabic seeds', async () => {
  const file = ws.write({ models: [fake('m')], templates: ['prompts/culture.en.hbs', 'prompts/culture.{lang}.hbs'] }, 'render.culture.json');
  const exp = await openCultureExperiment(file);
  assert.deepEqual(exp.conditions.map((c) => c.id), ['arabic/m/culture.en', 'arabic/m/culture.ar', 'chinese/m/culture.en', 'chinese/m/culture.zh']);
  const en = exp.conditions[0]!;
  for (const q of exp.questions) {
    const [system, user] = exp.render(en, q, 0);
    assert.equal(system!.role, 'system');
    assert.match(system!.content, /^You are a member of the Arabic culture\./);
    // The paper's layout with its two print quirks normalised (Q31's misprinted codes, a space before some final dots).
    assert.equal(user!.content, seedUserMessage({ ...q, printedCodes: undefined, end: '.' }), q.id);
  }
  const ar = exp.conditions[1]!;
  const arabicSeeds = exp.questions.filter((q) => q.text.ar);
  assert.equal(arabicSeeds.length, 11);
  const [sys, user] = exp.render(ar, arabicSeeds[0]!, 0);
  assert.match(sys!.content, /^أنت فرد من أفراد الثقافة العربية/);
  assert.ok(user!.content.includes(arabicSeeds[0]!.text.ar!));
  const zh = exp.render(exp.conditions[3]!, exp.questions[0]!, 0);
  assert.match(zh[0]!.content, /^你是中国文化的一员/);
});

test('a template error or a missing file stops before anything runs, at the experiment line that names it', async () => {
  fs.writeFileSync(path.join(ws.dir, 'prompts', 'broken.en.hbs'), '{{#user}}{{culture.nmae}}{{/user}}\n');
  await assert.rejects(openCultureExperiment(ws.write({ models: [fake('m')], templates: ['prompts/broken.en.hbs'] }, 'broken.culture.json')), /broken\.en\.hbs:1:\d+: .*culture\.nmae.*did you mean "name"/);
  await assert.rejects(openCultureExperiment(ws.write({ models: [fake('m')], cultures: [{ id: 'korean', countries: ['data/Korean_South_Korea.csv'] }] }, 'missing.culture.json')),
    (e: unknown) => e instanceof InputError && /country table of culture "korean" not found: data\/Korean_South_Korea\.csv/.test(e.message) && e.location.line > 1);
  await assert.rejects(openCultureExperiment(ws.write({ models: [fake('m')], cultures: [{ id: 'bengali', countries: ['data/China_China.csv'] }], templates: ['prompts/nope.{lang}.hbs'] }, 'nope.culture.json')), /template for culture "bengali" \(bn\) not found: prompts\/nope\.bn\.hbs/);
});

test('runs on the engine against the fake server: every sample once, resumed after a cancel, a new run served from the cache', async () => {
  const file = ws.write({ models: [fake('base', 'fake-base'), fake('tuned', 'fake-tuned')], questions: Q5, samples: 4, scoring: { compare: ['base', 'tuned'], resamples: 200 } }, 'run.culture.json');
  const exp = await openCultureExperiment(file);
  const runsDir = path.join(ws.dir, 'runs');
  const items = [...expandCultureRequests(exp)];
  assert.equal(items.length, 2 * 2 * 5);
  assert.equal(new Set(items.flatMap((i) => i.samples.map((s) => s.hash))).size, 80);
  const first = prepareCultureRun(exp, { runsDir });
  assert.equal(first.estimate.requests, 80);
  const controller = new AbortController();
  let seen = 0;
  server.configure({ mode: 'scale', latencyMs: 2, script: () => { if (++seen === 30) controller.abort(); return undefined; } });
  const cancelled = await executeCultureRun(first, { keys: () => 'sk-test', signal: controller.signal });
  assert.equal(cancelled.summary.status, 'cancelled');
  const partial = readRun(cancelled.runDir).records.length;
  assert.ok(partial > 0 && partial < 80, `partial ${partial}`);
  server.configure({ mode: 'scale' });
  const again = prepareCultureRun(exp, { runsDir });
  assert.equal(again.runId, cancelled.runId, 'resumes the unfinished run');
  assert.equal(again.estimate.requests, 80 - partial);
  const done = await executeCultureRun(again, { keys: () => 'sk-test' });
  assert.equal(done.summary.status, 'completed');
  const run = readRun(done.runDir);
  assert.equal(run.records.length, 80);
  assert.equal(run.duplicates, 0);
  const fresh = prepareCultureRun(exp, { runsDir, resume: 'never' });
  assert.equal(fresh.estimate.cached, 80);
  assert.equal(fresh.estimate.requests, 0);
  fresh.cache.close();

  // Scores: recomputed by hand from the stored replies for one question.
  const report = scoreCultureRun(done.runDir);
  assert.deepEqual(report.scores.map((s) => s.condition), ['arabic/base', 'arabic/tuned', 'chinese/base', 'chinese/tuned']);
  const arabic = report.scores[0]!;
  assert.deepEqual(arabic.skipped, [{ questionId: 'Q36', reason: 'no-culture-answers' }], 'Q36 was not asked in Iraq or Jordan');
  const q27 = seeds.find((q) => q.id === 'Q27')!;
  const replies = run.records.filter((r) => r.record.condition === 'arabic/base' && r.record.questionId === 'Q27').map((r) => parseCultureAnswer(r.record.text!, q27)!);
  assert.equal(replies.length, 4);
  const expected = [1, 2, 3, 4].map((c) => replies.filter((x) => x === c).length / 4);
  const scored = arabic.questions.find((q) => q.questionId === 'Q27')!;
  assert.deepEqual(scored.model, expected);
  assert.equal(scored.scores.accuracy, expected[scored.cultureMajority - 1]);
  for (const s of report.scores) for (const m of ['jsd', 'wasserstein', 'accuracy'] as const) assert.ok(s.summary[m].low <= s.summary[m].mean && s.summary[m].mean <= s.summary[m].high);
  // The comparison: tuned − base per culture, paired over the 4 questions both scored.
  assert.equal(report.comparison!.deltas.length, 2 * 3);
  const acc = report.comparison!.deltas.find((d) => d.cultureId === 'chinese' && d.metric === 'accuracy')!;
  const b = scoresOf(report, 'base').find((s) => s.cultureId === 'chinese')!;
  const t = scoresOf(report, 'tuned').find((s) => s.cultureId === 'chinese')!;
  const mean = t.questions.reduce((s, q, i) => s + q.scores.accuracy - b.questions[i]!.scores.accuracy, 0) / t.questions.length;
  assert.ok(Math.abs(acc.delta.mean - mean) < 1e-12);
});

test('replay model: recorded culture answers, offline and labelled recorded; a question never recorded fails, not retried', async () => {
  fs.writeFileSync(path.join(ws.dir, 'recorded.answers.jsonl'), [
    { culture: 'arabic', question: 'Q27', replies: ['1', '1', '2'] },
    { culture: 'chinese', question: 'Q27', replies: ['(3)', '٣', 'I would say 4'] },
    { culture: 'arabic', question: 'Q28', replies: ['2', '2', '2'] },
  ].map((r) => JSON.stringify(r)).join('\n'));
  const file = ws.write({ models: [{ id: 'rec', kind: 'replay', completions: 'recorded.answers.jsonl' }], questions: ['Q27', 'Q28'] }, 'replay.culture.json');
  const exp = await openCultureExperiment(file);
  const prepared = prepareCultureRun(exp, { runsDir: path.join(ws.dir, 'replay-runs') });
  assert.equal(prepared.recorded, true);
  assert.equal(prepared.estimate.recordedRequests, 12);
  const result = await executeCultureRun(prepared, { keys: () => undefined });
  assert.equal(result.summary.failed, 3, 'chinese Q28 was never recorded');
  assert.equal(result.summary.retries, 0);
  const report = scoreCultureRun(result.runDir);
  assert.equal(report.recorded, true);
  assert.equal(report.failed, 3);
  const zh = report.scores.find((s) => s.cultureId === 'chinese')!;
  assert.deepEqual(zh.questions[0]!.model, [0, 0, 2 / 3, 1 / 3]);
});

test('English culture from the US n303 dump; equal pooling of Iraq and Jordan differs from pooled', async () => {
  const file = ws.write({ models: [fake('m')], cultures: [ENGLISH, { id: 'arabic', pooling: 'equal', countries: ['data/Arabic_Iraq.csv', 'data/Arabic_Jordan.csv'] }], questions: ['Q27'] }, 'english.culture.json');
  const exp = await openCultureExperiment(file);
  const us = exp.truths.find((t) => t.cultureId === 'english')!.questions.Q27!;
  assert.equal(us.answered, 303);
  assert.deepEqual(us.distribution.map((p) => +(p * 303).toFixed(6)), [83, 156, 54, 10]);
  assert.equal(us.majority, 2);
  assert.equal(exp.truths.find((t) => t.cultureId === 'arabic')!.pooling, 'equal');
});
