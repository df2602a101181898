import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import type { AlignmentScores, ScoreReport } from '../../../../src/core/score/types';
import { expected, paperData, paperInput } from './paperData';

const close = (actual: number, want: number, what: string) => assert.ok(Math.abs(actual - want) < 1e-9, `${what}: ${actual} vs ${want}`);
function sameScores(actual: AlignmentScores, want: Record<string, number>, what: string) {
  for (const k of ['soft', 'hard', 'randomSoft', 'randomHard', 'softNorm', 'hardNorm'] as const) close(actual[k], want[k]!, `${what}.${k}`);
  assert.equal(actual.items, want.items, `${what}.items`);
}
const cond = (r: ScoreReport, id: string) => r.conditions.find((c) => c.condition === id)!;

let paper: ScoreReport | undefined;
async function paperReport() {
  paper ??= scoreResponses(await paperInput(), scoringSettings('paper', { bootstrapResamples: 200, permutationResamples: 200 }));
  return paper;
}

test('GPT-3.5 Egypt, paper protocol: EN and AR soft/hard alignment equal the independent computation', async () => {
  const r = await paperReport();
  const want = expected.conditions.filtered;
  sameScores(cond(r, 'en').scores, want.common.en, 'en');
  sameScores(cond(r, 'ar').scores, want.common.ar, 'ar');
  assert.equal(cond(r, 'en').scores.personas, want.personas);
});

test('Arabic prompting raises soft alignment by about 3 points over English, as published (3.07)', async () => {
  const r = await paperReport();
  const soft = r.deltas.find((d) => d.metric === 'soft')!;
  assert.equal(soft.a, 'en');
  assert.equal(soft.b, 'ar');
  close(soft.overall.delta, expected.conditions.filtered.deltaSoft, 'delta soft');
  assert.ok(soft.overall.delta * 100 > 2.5 && soft.overall.delta * 100 < 3.5, `delta ${soft.overall.delta * 100}`);
  // The paired bootstrap interval holds the estimate and excludes 0 at this effect size; the sign-flip test agrees.
  assert.ok(soft.overall.ciLow < soft.overall.delta && soft.overall.delta < soft.overall.ciHigh);
  assert.ok(soft.overall.ciLow > 0, `CI ${soft.overall.ciLow}..${soft.overall.ciHigh}`);
  assert.ok(soft.overall.pValue < 0.01, `p ${soft.overall.pValue}`);
  close(r.deltas.find((d) => d.metric === 'hard')!.overall.delta, expected.conditions.filtered.deltaHard, 'delta hard');
});

test('without the same-answer filter, and each language alone, the numbers still match', async () => {
  const input = await paperInput();
  const un = scoreResponses(input, scoringSettings('paper', { sameAnswerFilter: false, bootstrapResamples: 0, permutationResamples: 0 }));
  sameScores(cond(un, 'en').scores, expected.conditions.unfiltered.common.en, 'unfiltered en');
  sameScores(cond(un, 'ar').scores, expected.conditions.unfiltered.common.ar, 'unfiltered ar');
  for (const lang of ['en', 'ar']) {
    const alone = scoreResponses(await paperInput([lang]), scoringSettings('paper', { bootstrapResamples: 0, permutationResamples: 0 }));
    sameScores(cond(alone, lang).scores, expected.conditions.filtered.alone[lang], `alone ${lang}`);
  }
});

test('parser counts, unparsed replies listed, consistency across variants and samples', async () => {
  const r = await paperReport();
  for (const lang of ['en', 'ar']) {
    const c = cond(r, lang);
    assert.equal(c.parse.samples, expected.parse[lang].samples, lang);
    assert.equal(c.parse.parsed, expected.parse[lang].parsed, lang);
    assert.equal(c.parse.unparsed, expected.parse[lang].unparsed, lang);
    assert.equal(r.unparsed.filter((u) => u.condition === lang).length, c.parse.unparsed);
    const want = expected.consistency[lang];
    close(c.consistency.acrossSamples, want.acrossSamples, `${lang} acrossSamples`);
    close(c.consistency.acrossVariants, want.acrossVariants, `${lang} acrossVariants`);
    assert.equal(c.consistency.sampleItems, want.sampleItems);
    assert.equal(c.consistency.variantPairs, want.variantPairs);
    // Funnel: every item seen is kept or dropped for one stated reason.
    const f = c.funnel;
    assert.equal(f.itemsSeen, f.kept + f.noValidSample + f.noRespondent + f.missingSurveyAnswer + f.sameAnswer + f.notCommon + f.skippedQuestion);
    assert.equal(f.noRespondent, 0, 'every recorded persona has its respondent');
  }
  assert.ok(r.unparsed.some((u) => u.text === 'Option Chosen:'), 'an English non-answer is listed');
});

test('breakdowns by sex, question and variant, and distribution metrics, match the independent computation', async () => {
  const r = await paperReport();
  for (const lang of ['en', 'ar']) {
    const groups = expected.conditions.filtered.groups[lang] as Record<string, { soft: number; items: number }>;
    for (const [k, want] of Object.entries(groups)) {
      const [field, value] = k.split('=');
      const g = r.groups.find((x) => x.condition === lang && x.field === field && x.value === value);
      assert.ok(g, `group ${lang} ${k}`);
      close(g.soft, want.soft, `${lang} ${k}`);
      assert.equal(g.items, want.items, `${lang} ${k} items`);
    }
    const dists = expected.conditions.filtered.distributions[lang] as Record<string, { model: number[]; survey: number[]; jsSimilarity: number; wassersteinSimilarity: number | null }>;
    for (const [qid, want] of Object.entries(dists)) {
      const d = r.distributions.find((x) => x.condition === lang && x.questionId === qid && x.field === 'all')!;
      want.model.forEach((v, i) => close(d.model[i]!, v, `${lang} ${qid} model[${i}]`));
      want.survey.forEach((v, i) => close(d.survey[i]!, v, `${lang} ${qid} survey[${i}]`));
      close(d.jsSimilarity, want.jsSimilarity, `${lang} ${qid} js`);
      if (want.wassersteinSimilarity === null) assert.equal(d.wassersteinSimilarity, null);
      else close(d.wassersteinSimilarity!, want.wassersteinSimilarity, `${lang} ${qid} wasserstein`);
    }
  }
});

test('the report is plain JSON and rescoring with the same settings is identical (seeded)', async () => {
  const r = await paperReport();
  const again = scoreResponses(await paperInput(), scoringSettings('paper', { bootstrapResamples: 200, permutationResamples: 200 }));
  assert.deepEqual(JSON.parse(JSON.stringify(again.deltas)), JSON.parse(JSON.stringify(r.deltas)));
  const json = JSON.stringify({ ...r, items: r.items.slice(0, 10) });
  assert.ok(json.length > 1000);
});

test("GPT-3.5 Egypt on its own, the authors' protocol (Q78 reads EG_Q78A): EN 47.30 / 23.33 on 23,704 items, AR 50.28 / 28.36", async () => {
  const pts = (x: number) => (x * 100).toFixed(2);
  const settings = scoringSettings('paper', { bootstrapResamples: 0, permutationResamples: 0 });
  assert.equal(settings.tieBreak, 'expected');
  assert.equal(settings.sameAnswerFilter, true);
  assert.deepEqual(settings.skipQuestions, ['Q234']);
  const en = cond(scoreResponses(await paperInput(['en']), settings), 'en').scores;
  assert.deepEqual([pts(en.soft), pts(en.hard), en.items], ['47.30', '23.33', 23704]);
  const ar = cond(scoreResponses(await paperInput(['ar']), settings), 'ar').scores;
  assert.deepEqual([pts(ar.soft), pts(ar.hard), ar.items], ['50.28', '28.36', 23702]);
});

test('funnel in the authors\' order: the same-answer test comes before the missing-answer test', async () => {
  const r = await paperReport();
  const { data } = await paperData();
  const twins = new Map(data.twins!.map((t) => [[t.values.en.sex, t.values.en.age, t.values.en.marital_status, t.values.en.education, t.values.en.social_class].join('|'), t]));
  // Items whose respondent and twin both lack an answer are counted as "same answer", not "missing answer".
  let bothMissing = 0;
  for (const p of data.respondents) {
    const t = twins.get([p.values.en.sex, p.values.en.age, p.values.en.marital_status, p.values.en.education, p.values.en.social_class].join('|'))!;
    for (const q of data.survey.questions) if (q.id !== 'Q234' && p.answers[q.id] === null && t.answers[q.id] === null) bothMissing++;
  }
  assert.ok(bothMissing > 0);
  const f = cond(r, 'en').funnel;
  const un = scoreResponses(await paperInput(), scoringSettings('paper', { sameAnswerFilter: false, bootstrapResamples: 0, permutationResamples: 0 }));
  // Without the filter every missing answer is "missing"; with it, those shared by the twin move to "same answer" (4 variants each).
  assert.equal(cond(un, 'en').funnel.missingSurveyAnswer - f.missingSurveyAnswer, bothMissing * 4);
});
