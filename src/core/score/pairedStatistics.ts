import { seededUint32 } from './rng';
import type { DeltaEstimate } from './types';

/** Quantile with linear interpolation between order statistics (type 7, as numpy's default). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * A paired difference estimated from clusters: each cluster i carries the sum of its paired differences
 * `sums[i]` over `counts[i]` items, and the estimate is Σ sums / Σ counts (the item-weighted mean difference).
 * With one item per cluster this is the plain mean of the differences.
 * CI: percentile bootstrap resampling whole clusters (personas keep their items together, so correlation
 * within a persona is respected). Test: two-sided sign-flip permutation — under H0 (no difference) each
 * cluster's sum is as likely to be negated; p = (1 + #{|T*| ≥ |T|}) / (1 + resamples).
 * Both use a generator seeded by (seed, context): the same inputs and seed give the same numbers.
 */
export function pairedClusterDelta(
  sums: readonly number[],
  counts: readonly number[],
  opts: { seed: number; context: string; bootstrap: number; permutations: number; confidence: number },
): DeltaEstimate {
  const k = sums.length;
  let total = 0;
  let n = 0;
  for (let i = 0; i < k; i++) {
    total += sums[i]!;
    n += counts[i]!;
  }
  if (k === 0 || n === 0) return { delta: NaN, ciLow: NaN, ciHigh: NaN, pValue: NaN, n: 0 };
  const delta = total / n;
  const rand = seededUint32(opts.seed, `boot:${opts.context}`);
  const stats = new Float64Array(opts.bootstrap);
  for (let r = 0; r < opts.bootstrap; r++) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < k; i++) {
      const j = Math.floor((rand() / 4294967296) * k);
      s += sums[j]!;
      c += counts[j]!;
    }
    stats[r] = c > 0 ? s / c : delta;
  }
  stats.sort();
  const alpha = (1 - opts.confidence) / 2;
  const flip = seededUint32(opts.seed, `perm:${opts.context}`);
  const observed = Math.abs(total);
  // Float sums of the same terms in another order differ in the last bits: compare with a tolerance.
  const eps = 1e-12 * (1 + observed);
  let hits = 0;
  for (let r = 0; r < opts.permutations; r++) {
    let t = 0;
    let bits = 0;
    for (let i = 0; i < k; i++) {
      // One 32-bit draw gives 32 fair coin flips.
      if ((i & 31) === 0) bits = flip();
      t += bits & 1 ? -sums[i]! : sums[i]!;
      bits >>>= 1;
    }
    if (Math.abs(t) >= observed - eps) hits++;
  }
  return {
    delta,
    ciLow: opts.bootstrap ? quantile(stats, alpha) : NaN,
    ciHigh: opts.bootstrap ? quantile(stats, 1 - alpha) : NaN,
    pValue: opts.permutations ? (hits + 1) / (opts.permutations + 1) : NaN,
    n: k,
  };
}
