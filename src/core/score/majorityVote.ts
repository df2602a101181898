import { seededRandom } from './rng';
import type { TieBreak } from './types';

/** A voted answer and the share of the item's weight it carries (shares of one item sum to 1). */
export interface Vote {
  answer: number;
  weight: number;
}

/**
 * Majority vote over the valid samples of one item (null = unparsed sample, not counted).
 * Returns [] when no sample is valid (the item is dropped and counted by the caller).
 * Ties between the most frequent answers: `expected` gives each an equal share (the expectation of the paper's
 * unseeded random choice), `first` takes the tied answer sampled first, `random` picks one with a generator
 * seeded by (seed, itemKey) so the pick is reproducible and independent of scoring order.
 */
export function majorityVote(answers: readonly (number | null)[], tieBreak: TieBreak, seed = 1, itemKey = ''): Vote[] {
  const counts = new Map<number, number>();
  for (const a of answers) if (a !== null) counts.set(a, (counts.get(a) ?? 0) + 1);
  if (counts.size === 0) return [];
  let max = 0;
  for (const c of counts.values()) if (c > max) max = c;
  // Map iteration order is first-appearance order, which `first` relies on.
  const tied = [...counts].filter(([, c]) => c === max).map(([a]) => a);
  if (tied.length === 1) return [{ answer: tied[0]!, weight: 1 }];
  if (tieBreak === 'first') return [{ answer: tied[0]!, weight: 1 }];
  if (tieBreak === 'random') {
    // Sorted so the pick depends on the set of tied answers, not on sample order.
    const sorted = [...tied].sort((x, y) => x - y);
    return [{ answer: sorted[Math.floor(seededRandom(seed, itemKey)() * sorted.length)]!, weight: 1 }];
  }
  return [...tied].sort((x, y) => x - y).map((answer) => ({ answer, weight: 1 / tied.length }));
}
