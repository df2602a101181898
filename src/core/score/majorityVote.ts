import { seededRandom } from './rng';
import type { TieBreak } from './types';

/** A voted answer and the share of the item's weight it carries (shares of one item sum to 1). */
export interface Vote {
  answer: number;
  weight: number;
}

/** One shared, frozen vote list per answer: most items have a clear winner, so this saves 100k+ allocations. */
const SINGLE: Vote[][] = [];
const single = (answer: number): Vote[] => (SINGLE[answer] ??= Object.freeze([Object.freeze({ answer, weight: 1 })]) as Vote[]);

/** Reused counting array (scoring is single-threaded and majorityVote does not re-enter); zeroed after each use. */
const scratch = new Int32Array(4096);

/**
 * Majority vote over the valid samples of one item (null = unparsed sample, not counted).
 * Returns [] when no sample is valid (the item is dropped and counted by the caller).
 * Ties between the most frequent answers: `expected` gives each an equal share (the expectation of the paper's
 * unseeded random choice), `first` takes the tied answer sampled first, `random` picks one with a generator
 * seeded by (seed, itemKey) so the pick is reproducible and independent of scoring order.
 */
export function majorityVote(answers: readonly (number | null)[], tieBreak: TieBreak, seed = 1, itemKey = ''): Vote[] {
  // Answers are small option numbers: count them in a scratch array (this runs once per item, 100k+ times).
  const counts = scratch;
  let max = 0;
  let hi = 0;
  for (const a of answers) {
    if (a === null) continue;
    if (!(Number.isInteger(a) && a >= 0 && a < 4096)) {
      counts.fill(0, 0, hi + 1);
      throw new RangeError(`majority vote: ${a} is not an option number`);
    }
    const c = ++counts[a]!;
    if (c > max) max = c;
    if (a > hi) hi = a;
  }
  if (max === 0) return [];
  let tiedCount = 0;
  let only = 0;
  for (let a = 0; a <= hi; a++) {
    if (counts[a] === max) {
      tiedCount++;
      only = a;
    }
  }
  let result: Vote[];
  if (tiedCount === 1) result = single(only);
  else if (tieBreak === 'first') {
    result = [];
    for (const a of answers) {
      if (a !== null && counts[a] === max) {
        result = single(a);
        break;
      }
    }
  } else {
    const tied: number[] = [];
    for (let a = 0; a <= hi; a++) if (counts[a] === max) tied.push(a);
    result = tieBreak === 'random'
      // Ascending option order, so `random` depends on the set of tied answers, not on sample order.
      ? single(tied[Math.floor(seededRandom(seed, itemKey)() * tied.length)]!)
      : tied.map((answer) => ({ answer, weight: 1 / tied.length }));
  }
  counts.fill(0, 0, hi + 1);
  return result;
}
