import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Persona, Question } from '../../../../src/core/model';
import { ageBucket, scoreResponses, type ScoringSample } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';

// Two questions of the paper: Q2 (4 ordered options + "Don't know") and Q19 (nominal, with DK), and Q234 (skipped).
const q = (id: string, options: string[], dk: number | null, scale: 'ordinal' | 'nominal'): Question => ({
  id, theme: id === 'Q19' ? 'SOCIAL VALUES' : 'SOCIAL CAPITAL', description: { en: id }, scale, options: { en: options }, dontKnowIndex: dk, variants: { en: ['a', 'b'] },
});
const questions = [
  q('Q2', ['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know"], 4, 'ordinal'),
  q('Q19', ['Important', 'Not mentioned', "Don't know"], 2, 'nominal'),
  q('Q234', ['A', 'B', 'C', 'D'], null, 'ordinal'),
];
const persona = (id: string, country: string, age: number, sex: string, answers: Record<string, number | null>): Persona => ({
  id, country, answers,
  values: { en: { region: 'Cairo', sex, age, country, marital_status: 'married', education: 'higher', social_class: 'working class' } },
});
const personas = [
  persona('eg-1', 'egypt', 30, 'male', { Q2: 1, Q19: 2, Q234: 1 }),
  persona('eg-2', 'egypt', 61, 'female', { Q2: 3, Q19: null, Q234: 1 }),
];
const twins = [
  persona('us-1', 'united states', 30, 'male', { Q2: 2, Q19: 2 }), // agrees with eg-1 on Q19
  persona('us-2', 'united states', 61, 'female', { Q2: 3, Q19: 1 }), // agrees with eg-2 on Q2
];
function samples(condition: string, personaId: string, questionId: string, variant: number, texts: string[], order?: number[]): ScoringSample[] {
  return texts.map((text, i) => ({ condition, personaId, questionId, variant, sample: order?.[i] ?? i, text }));
}
const conditions = [{ id: 'en', lang: 'en', model: 'm' }, { id: 'en2', lang: 'en', model: 'm' }];
const quick = (o: Parameters<typeof scoringSettings>[1] = {}) => scoringSettings('paper', { bootstrapResamples: 50, permutationResamples: 50, ...o });

test('funnel: every item is kept or dropped for one reason; scores use only kept items', () => {
  const all = [
    ...samples('en', 'eg-1', 'Q2', 0, ['(2) Rather', '2', '1']), // vote 2 vs s=1: soft 1 − 1/3
    ...samples('en', 'eg-1', 'Q2', 1, ['garbage', 'nothing']), // no valid sample
    ...samples('en', 'eg-1', 'Q19', 0, ['2', '2']), // same answer as the twin → dropped
    ...samples('en', 'eg-2', 'Q19', 0, ['1']), // survey answer missing
    ...samples('en', 'eg-2', 'Q2', 0, ['3']), // twin agrees (3) → dropped
    ...samples('en', 'eg-9', 'Q2', 0, ['1']), // no such respondent
    ...samples('en', 'eg-1', 'Q234', 0, ['1']), // skipped question
    ...samples('en', 'eg-1', 'Q99', 0, ['1']), // unknown question
    ...samples('xx', 'eg-1', 'Q2', 0, ['1']), // unknown condition
  ];
  const r = scoreResponses({ questions, conditions: [conditions[0]!], samples: all, personas, twins }, quick());
  const c = r.conditions[0]!;
  assert.deepEqual(c.funnel, { itemsSeen: 7, noValidSample: 1, noRespondent: 1, missingSurveyAnswer: 1, sameAnswer: 2, notCommon: 0, skippedQuestion: 1, kept: 1 });
  assert.equal(c.scores.items, 1);
  assert.ok(Math.abs(c.scores.soft - 2 / 3) < 1e-12);
  assert.equal(c.scores.hard, 0);
  assert.equal(c.parse.unparsed, 2);
  assert.deepEqual(r.unparsed.map((u) => u.text), ['garbage', 'nothing']);
  assert.equal(r.warnings.length, 2, r.warnings.join('; '));
  // Without the filter the two twin-agreeing items come back.
  assert.equal(scoreResponses({ questions, conditions: [conditions[0]!], samples: all, personas, twins }, quick({ sameAnswerFilter: false })).conditions[0]!.funnel.kept, 3);
});

test('samples are ordered by sample index before the vote; ties follow the tie rule', () => {
  // Arrival order 3, 1, 1, 3 but sample indices put "1" first: `first` picks 1.
  const s = samples('en', 'eg-1', 'Q2', 0, ['3', '1', '1', '3'], [3, 0, 1, 2]);
  const first = scoreResponses({ questions, conditions: [conditions[0]!], samples: s, personas }, quick({ tieBreak: 'first' }));
  assert.deepEqual(first.items[0]!.votes, [{ answer: 1, weight: 1 }]);
  const expected = scoreResponses({ questions, conditions: [conditions[0]!], samples: s, personas }, quick());
  assert.deepEqual(expected.items[0]!.votes, [{ answer: 1, weight: 0.5 }, { answer: 3, weight: 0.5 }]);
  // s = 1: soft(1) = 1, soft(3) = 1 − 2/3 → mean 2/3.
  assert.ok(Math.abs(expected.conditions[0]!.scores.soft - (1 + 1 / 3) / 2) < 1e-12);
  assert.deepEqual(expected.items[0]!.sampleCounts, [2, 0, 2, 0, 0]);
});

test('common items across conditions, across-variants view, groups and deltas', () => {
  const all = [
    ...samples('en', 'eg-1', 'Q2', 0, ['1']), ...samples('en', 'eg-1', 'Q2', 1, ['2']),
    ...samples('en2', 'eg-1', 'Q2', 0, ['2']), // variant 1 missing in en2 → not common
    ...samples('en', 'eg-2', 'Q2', 0, ['4']), ...samples('en2', 'eg-2', 'Q2', 0, ['3']),
  ];
  const r = scoreResponses({ questions, conditions, samples: all, personas }, quick());
  assert.equal(r.conditions[0]!.funnel.notCommon, 1);
  assert.equal(r.conditions[0]!.scores.items, 2);
  const alone = scoreResponses({ questions, conditions, samples: all, personas }, quick({ commonItems: false }));
  assert.equal(alone.conditions[0]!.scores.items, 3);
  // Across variants: eg-1 Q2 pools "1","2" (tie → half weight each).
  assert.equal(r.conditions[0]!.acrossVariants.items, 2);
  const sex = r.groups.filter((g) => g.condition === 'en' && g.field === 'sex').map((g) => `${g.value}:${g.items}`);
  assert.deepEqual(sex, ['female:1', 'male:1']);
  assert.deepEqual(r.groups.filter((g) => g.condition === 'en' && g.field === 'age_bucket').map((g) => g.value), ['25–34', '55–64']);
  const d = r.deltas.find((x) => x.metric === 'soft')!;
  // en2 − en: eg-1 Q2 v0: soft(2 vs 1) − soft(1 vs 1) = −1/3; eg-2: soft(3 vs 3) − soft(4 vs 3) = +1/3.
  assert.ok(Math.abs(d.overall.delta) < 1e-12);
  assert.equal(d.personas.length, 2);
  assert.equal(r.deltas.find((x) => x.metric === 'hard')!.personas.length, 0);
});

test('age buckets', () => {
  assert.equal(ageBucket(18, [25, 35]), '<25');
  assert.equal(ageBucket(25, [25, 35]), '25–34');
  assert.equal(ageBucket(80, [25, 35]), '35+');
  assert.equal(ageBucket('x', [25]), 'unknown');
});

test('settings: unknown profile, tie rule or bad numbers are RangeErrors', () => {
  assert.throws(() => scoringSettings('lenient' as never), RangeError);
  assert.throws(() => scoringSettings('paper', { tieBreak: 'coin' as never }), RangeError);
  assert.throws(() => scoringSettings('paper', { seed: 1.5 }), RangeError);
  assert.throws(() => scoringSettings('paper', { confidence: 1 }), RangeError);
  const s = scoringSettings('strict', { skipQuestions: [] });
  assert.equal(s.profile, 'strict');
  assert.deepEqual(s.skipQuestions, []);
  assert.deepEqual(scoringSettings('paper').skipQuestions, ['Q234'], 'overrides never leak into the profile');
});
