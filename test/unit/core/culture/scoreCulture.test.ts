import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCultureAnswer } from '../../../../src/core/culture/parseCultureAnswer';
import { bootstrapMean, compareCultureScores, scoreCulture, type CultureSample } from '../../../../src/core/culture/scoreCulture';
import type { CultureTruth, QuestionTruth, SeedQuestion } from '../../../../src/core/culture/types';
import { seededUint32 } from '../../../../src/core/score/rng';

const seed = (id: string, min = 1, max = 4): SeedQuestion => ({ id, min, max, text: { en: id }, options: { en: [] } });
const truthQ = (questionId: string, distribution: number[], majority: number | null): QuestionTruth => ({ questionId, distribution, answered: 10, missing: {}, majority, mean: null });
const SEEDS = [seed('QA'), seed('QB'), seed('QC'), seed('QD', 0, 2)];
const TRUTH: CultureTruth = {
  cultureId: 'arabic', pooling: 'pooled', respondents: 10,
  questions: { QA: truthQ('QA', [0.5, 0.5, 0, 0], 1), QB: truthQ('QB', [0, 1, 0, 0], 2), QC: truthQ('QC', [0, 0, 0, 0], null), QD: truthQ('QD', [0, 0, 1], 2) },
};
const s = (questionId: string, text: string | null, condition = 'base'): CultureSample => ({ condition, cultureId: 'arabic', questionId, text });
const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-6, `${msg ?? ''} ${a} ≠ ${b}`);

test('parses answer codes on the scale, Arabic-Indic digits included; anything else is unparsed', () => {
  const q = { min: 1, max: 4 };
  assert.equal(parseCultureAnswer('3', q), 3);
  assert.equal(parseCultureAnswer('My answer is (2).', q), 2);
  assert.equal(parseCultureAnswer('الإجابة ٤', q), 4);
  assert.equal(parseCultureAnswer('(7)', q), null);
  assert.equal(parseCultureAnswer('5', q), null);
  assert.equal(parseCultureAnswer('no idea', q), null);
  assert.equal(parseCultureAnswer('0', { min: 0, max: 2 }), 0);
  assert.equal(parseCultureAnswer('10', { min: 1, max: 10 }), 10);
  assert.equal(parseCultureAnswer('2.5', q), null);
});

test('per-question metrics and random baselines, checked by hand', () => {
  const samples = [s('QA', '1'), s('QA', '1'), s('QA', '2'), s('QA', '3'), s('QA', 'maybe'), s('QB', '1'), s('QB', '(1)'), s('QC', '2'), s('QD', '2'), s('QD', '٢')];
  const [score] = scoreCulture(samples, SEEDS, [TRUTH], { resamples: 200 });
  assert.ok(score);
  assert.equal(score.samples, 10);
  assert.equal(score.unparsed, 1);
  assert.deepEqual(score.skipped, [{ questionId: 'QC', reason: 'no-culture-answers' }]);
  const [qa, qb, qd] = score.questions;
  // QA: model (.5, .25, .25, 0) vs culture (.5, .5, 0, 0); majority 1.
  assert.deepEqual(qa!.model, [0.5, 0.25, 0.25, 0]);
  assert.equal(qa!.valid, 4);
  assert.equal(qa!.unparsed, 1);
  close(qa!.scores.accuracy, 0.5);
  close(qa!.scores.wasserstein, 1 - 0.25 / 3, 'W1 = |.75 − 1| = .25 over 3 steps');
  // QB: disjoint point masses → JSD distance 1; W1 = 1 step of 3.
  close(qb!.scores.jsd, 0);
  close(qb!.scores.wasserstein, 2 / 3);
  close(qb!.scores.accuracy, 0);
  // Random baseline against a point mass on code 2 of 4: accuracy 1/4, W1 = .25 + .5 + .25 = 1 → 2/3,
  // JSD² = ½ KL(u‖m) + ½ KL(δ‖m), m = (.125, .625, .125, .125) → 0.548795, distance 0.740807.
  close(qb!.random.accuracy, 0.25);
  close(qb!.random.wasserstein, 2 / 3);
  close(qb!.random.jsd, 1 - 0.740807);
  // QD on the 0–2 scale: both answers "2" → identical distributions.
  assert.deepEqual(qd!.model, [0, 0, 1]);
  close(qd!.scores.jsd, 1);
  close(qd!.scores.wasserstein, 1);
  close(qd!.scores.accuracy, 1);
  close(qd!.random.accuracy, 1 / 3);
  // Means over the 3 scored questions.
  close(score.summary.accuracy.mean, (0.5 + 0 + 1) / 3);
  close(score.random.accuracy.mean, (0.25 + 0.25 + 1 / 3) / 3);
  assert.ok(score.summary.accuracy.low <= score.summary.accuracy.mean && score.summary.accuracy.mean <= score.summary.accuracy.high);
});

test('bootstrap CIs are seeded: same seed same interval, constant values a zero-width interval', () => {
  const values = [0.1, 0.4, 0.35, 0.8, 0.55, 0.2, 0.9, 0.05];
  const a = bootstrapMean(values, 2000, seededUint32(7, 'x'));
  const b = bootstrapMean(values, 2000, seededUint32(7, 'x'));
  const c = bootstrapMean(values, 2000, seededUint32(8, 'x'));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  close(a.mean, 0.41875);
  assert.ok(a.low < a.mean && a.mean < a.high && a.low > 0.05 && a.high < 0.9);
  // Standard error of the mean ≈ 0.105 here: a 95% interval is roughly ± 0.2.
  assert.ok(a.high - a.low > 0.25 && a.high - a.low < 0.55, `${a.low}..${a.high}`);
  assert.deepEqual(bootstrapMean([0.5, 0.5, 0.5], 100, seededUint32(1)), { mean: 0.5, low: 0.5, high: 0.5 });
});

test('base vs tuned: paired per-question deltas', () => {
  const base = scoreCulture([s('QA', '3'), s('QB', '2'), s('QD', '0')], SEEDS, [TRUTH]);
  const tuned = scoreCulture([s('QA', '1', 'tuned'), s('QB', '2', 'tuned'), s('QD', '2', 'tuned')], SEEDS, [TRUTH]);
  const acc = compareCultureScores(base, tuned).find((d) => d.metric === 'accuracy')!;
  assert.equal(acc.questions, 3);
  close(acc.delta.mean, (1 + 0 + 1) / 3);
});
