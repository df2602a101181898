import { jensenShannonDistance, wassersteinSimilarity } from '../score/distributionSimilarity';
import { seededUint32 } from '../score/rng';
import { parseCultureAnswer } from './parseCultureAnswer';
import type { CultureTruth, SeedQuestion } from './types';

/** One sampled reply of a model, as a culture experiment stores it. */
export interface CultureSample {
  condition: string;
  cultureId: string;
  questionId: string;
  text: string | null;
}

export type CultureMetric = 'jsd' | 'wasserstein' | 'accuracy';
export const CULTURE_METRICS: readonly CultureMetric[] = ['jsd', 'wasserstein', 'accuracy'];

/** The three similarities of one distribution to the culture's: 1 − JSD, 1 − normalised W1, share equal to the majority. */
export type MetricValues = Record<CultureMetric, number>;

export interface QuestionScore {
  questionId: string;
  /** Model's answer distribution over the scale (index i = code min + i). */
  model: number[];
  culture: number[];
  cultureMajority: number;
  /** Most frequent model answer (ties → lowest code). */
  modelMajority: number;
  valid: number;
  unparsed: number;
  scores: MetricValues;
  /** The same metrics for a model answering uniformly at random over the scale. */
  random: MetricValues;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

export interface CultureScore {
  condition: string;
  cultureId: string;
  questions: QuestionScore[];
  /** Means over the scored questions with percentile bootstrap CIs (questions resampled). */
  summary: Record<CultureMetric, Interval>;
  random: Record<CultureMetric, Interval>;
  samples: number;
  unparsed: number;
  /** Questions left out: the culture has no answers (not asked there) or the model no parsable reply. */
  skipped: Array<{ questionId: string; reason: 'no-culture-answers' | 'no-valid-samples' }>;
}

export interface CultureScoringOptions {
  /** Bootstrap resamples (default 1000) and seed (default 1): the same seed gives the same CIs. */
  resamples?: number;
  seed?: number;
  /** Two-sided level, default 0.95. */
  level?: number;
}

function metricValues(model: readonly number[], culture: readonly number[], majorityIndex: number): MetricValues {
  return {
    jsd: 1 - jensenShannonDistance(model, culture),
    // A one-point scale cannot happen (scales have ≥ 2 codes), so W1 is defined when both have mass.
    wasserstein: wassersteinSimilarity(model, culture) ?? 0,
    accuracy: model[majorityIndex] ?? 0,
  };
}

/** Percentile bootstrap of the mean over questions, with indices drawn from a seeded generator. */
export function bootstrapMean(values: readonly number[], resamples: number, next: () => number, level = 0.95): Interval {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < 2 || resamples < 1) return { mean, low: mean, high: mean };
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[next() % n]!;
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  const at = (p: number): number => means[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))]!;
  return { mean, low: at(alpha), high: at(1 - alpha) };
}

/**
 * Scores sampled replies against each culture's answer distribution, per question and per (condition, culture):
 * 1 − Jensen–Shannon distance (base 2), 1 − Wasserstein-1 / (K − 1) over the ordered codes, and accuracy = the
 * share of valid samples equal to the culture's majority answer (CultureLLM scores one answer per question
 * against that label; with several samples this is its expected value). Means get bootstrap CIs over
 * questions (seeded; the resample indices are shared by all metrics and the random baseline of one culture).
 */
export function scoreCulture(samples: Iterable<CultureSample>, seeds: readonly SeedQuestion[], truths: readonly CultureTruth[], options: CultureScoringOptions = {}): CultureScore[] {
  const byId = new Map(seeds.map((q) => [q.id, q]));
  const truthById = new Map(truths.map((t) => [t.cultureId, t]));
  // condition → culture → question → counts (+1 slot at the end for unparsed)
  const counts = new Map<string, Map<string, Map<string, number[]>>>();
  for (const s of samples) {
    const q = byId.get(s.questionId);
    if (!q || !truthById.has(s.cultureId)) continue;
    let byCulture = counts.get(s.condition);
    if (!byCulture) counts.set(s.condition, (byCulture = new Map()));
    let byQuestion = byCulture.get(s.cultureId);
    if (!byQuestion) byCulture.set(s.cultureId, (byQuestion = new Map()));
    let c = byQuestion.get(q.id);
    if (!c) byQuestion.set(q.id, (c = new Array<number>(q.max - q.min + 2).fill(0)));
    const code = s.text === null ? null : parseCultureAnswer(s.text, q);
    c[code === null ? c.length - 1 : code - q.min]!++;
  }
  const resamples = options.resamples ?? 1000;
  const out: CultureScore[] = [];
  for (const [condition, byCulture] of counts) {
    for (const [cultureId, byQuestion] of byCulture) {
      const truth = truthById.get(cultureId)!;
      const questions: QuestionScore[] = [];
      const skipped: CultureScore['skipped'] = [];
      let total = 0;
      let unparsed = 0;
      for (const q of seeds) {
        const c = byQuestion.get(q.id);
        if (!c) continue;
        const k = q.max - q.min + 1;
        const bad = c[k]!;
        const valid = c.reduce((a, b) => a + b, 0) - bad;
        total += valid + bad;
        unparsed += bad;
        const t = truth.questions[q.id];
        if (!t || t.majority === null) {
          skipped.push({ questionId: q.id, reason: 'no-culture-answers' });
          continue;
        }
        if (valid === 0) {
          skipped.push({ questionId: q.id, reason: 'no-valid-samples' });
          continue;
        }
        const model = c.slice(0, k).map((n) => n / valid);
        const majorityIndex = t.majority - q.min;
        let modelMajority = 0;
        for (let i = 1; i < k; i++) if (model[i]! > model[modelMajority]!) modelMajority = i;
        questions.push({
          questionId: q.id, model, culture: t.distribution, cultureMajority: t.majority, modelMajority: modelMajority + q.min, valid, unparsed: bad,
          scores: metricValues(model, t.distribution, majorityIndex),
          random: metricValues(new Array<number>(k).fill(1 / k), t.distribution, majorityIndex),
        });
      }
      const summary = {} as Record<CultureMetric, Interval>;
      const random = {} as Record<CultureMetric, Interval>;
      for (const m of CULTURE_METRICS) {
        // The same seed and context per (condition, culture) → identical resamples for every metric.
        summary[m] = bootstrapMean(questions.map((q) => q.scores[m]), resamples, seededUint32(options.seed ?? 1, `${condition}\u0000${cultureId}`), options.level);
        random[m] = bootstrapMean(questions.map((q) => q.random[m]), resamples, seededUint32(options.seed ?? 1, `${condition}\u0000${cultureId}`), options.level);
      }
      out.push({ condition, cultureId, questions, summary, random, samples: total, unparsed, skipped });
    }
  }
  return out;
}

export interface PairedDelta {
  cultureId: string;
  metric: CultureMetric;
  /** Questions scored in both conditions. */
  questions: number;
  /** Mean of (b − a) per question, with a bootstrap CI over questions. */
  delta: Interval;
}

/** Base vs tuned: per culture and metric, the paired per-question difference `b − a` with a seeded bootstrap CI. */
export function compareCultureScores(a: readonly CultureScore[], b: readonly CultureScore[], options: CultureScoringOptions = {}): PairedDelta[] {
  const out: PairedDelta[] = [];
  for (const sa of a) {
    const sb = b.find((x) => x.cultureId === sa.cultureId);
    if (!sb) continue;
    const qb = new Map(sb.questions.map((q) => [q.questionId, q]));
    const common = sa.questions.filter((q) => qb.has(q.questionId));
    for (const m of CULTURE_METRICS) {
      const diffs = common.map((q) => qb.get(q.questionId)!.scores[m] - q.scores[m]);
      out.push({ cultureId: sa.cultureId, metric: m, questions: common.length, delta: bootstrapMean(diffs, options.resamples ?? 1000, seededUint32(options.seed ?? 1, `delta\u0000${sa.cultureId}`), options.level) });
    }
  }
  return out;
}
