import { InputError } from '../errors';
import type { CountryTable, CultureTruth, Pooling, QuestionTruth, SeedQuestion } from './types';

interface Tally {
  counts: number[];
  missing: Record<string, number>;
  outOfScale: number;
}

function tally(table: CountryTable, q: SeedQuestion): Tally {
  const column = table.codes[q.id];
  if (!column) throw new InputError(`no column for seed question ${q.id}`, { file: table.file, line: 1, column: 1 }, q.id);
  const counts = new Array<number>(q.max - q.min + 1).fill(0);
  const missing: Record<string, number> = {};
  let outOfScale = 0;
  for (let i = 0; i < column.length; i++) {
    const c = column[i]!;
    if (c < 0) missing[c] = (missing[c] ?? 0) + 1;
    else if (c < q.min || c > q.max) outOfScale++;
    else counts[c - q.min]!++;
  }
  if (outOfScale) throw new InputError(`${outOfScale} answers of ${q.id} lie outside its scale ${q.min}–${q.max}`, { file: table.file, line: 1, column: 1 }, q.id);
  return { counts, missing, outOfScale };
}

/** Most frequent code of a distribution (ties → the lowest code), null when it has no mass. */
export function majorityCode(distribution: readonly number[], min: number): number | null {
  let best = -1;
  for (let i = 0; i < distribution.length; i++) if (distribution[i]! > 0 && (best < 0 || distribution[i]! > distribution[best]!)) best = i;
  return best < 0 ? null : best + min;
}

/**
 * A culture's answer distribution per seed question. Negative codes are missing: dropped and counted by
 * code. `pooled` counts every respondent of every country once; `equal` averages the countries'
 * distributions with equal weight (countries where nobody answered the question are left out).
 */
export function cultureGroundTruth(cultureId: string, tables: readonly CountryTable[], seeds: readonly SeedQuestion[], pooling: Pooling = 'pooled'): CultureTruth {
  const questions: Record<string, QuestionTruth> = {};
  for (const q of seeds) {
    const tallies = tables.map((t) => tally(t, q));
    const k = q.max - q.min + 1;
    const missing: Record<string, number> = {};
    let answered = 0;
    for (const t of tallies) {
      for (const [c, n] of Object.entries(t.missing)) missing[c] = (missing[c] ?? 0) + n;
      for (const n of t.counts) answered += n;
    }
    const distribution = new Array<number>(k).fill(0);
    if (pooling === 'pooled') {
      if (answered > 0) for (const t of tallies) t.counts.forEach((n, i) => (distribution[i]! += n / answered));
    } else {
      const withAnswers = tallies.filter((t) => t.counts.some((n) => n > 0));
      for (const t of withAnswers) {
        const total = t.counts.reduce((a, b) => a + b, 0);
        t.counts.forEach((n, i) => (distribution[i]! += n / total / withAnswers.length));
      }
    }
    let mean: number | null = null;
    if (answered > 0) mean = distribution.reduce((s, p, i) => s + p * (i + q.min), 0);
    questions[q.id] = { questionId: q.id, distribution, answered, missing, majority: majorityCode(distribution, q.min), mean };
  }
  return { cultureId, pooling, respondents: tables.reduce((s, t) => s + t.respondents, 0), questions };
}
