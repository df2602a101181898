import type { Estimate } from './types';

/** FNV-1a hash of a string, to derive one independent seed per estimate (order of computation never matters). */
export function hashSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface BootstrapResult extends Estimate {
  /** Two-sided bootstrap p-value against 0 (meaningful for deltas). */
  p: number | null;
}

/**
 * Mean of a ratio Σsums / Σcounts over clusters (personas) with a 95% percentile bootstrap CI that resamples
 * clusters, because the items of one persona are not independent. Clusters with count 0 are left out.
 */
export function bootstrapRatio(sums: ArrayLike<number>, counts: ArrayLike<number>, seed: number, resamples = 1000): BootstrapResult {
  let n = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) n++;
  if (n === 0) return { mean: null, lo: null, hi: null, n: 0, items: 0, p: null };
  const s = new Float64Array(n);
  const c = new Float64Array(n);
  let totalS = 0;
  let totalC = 0;
  for (let i = 0, k = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      s[k] = sums[i];
      c[k++] = counts[i];
      totalS += sums[i];
      totalC += counts[i];
    }
  }
  const mean = totalS / totalC;
  if (n === 1 || resamples <= 0) return { mean, lo: n === 1 ? mean : null, hi: n === 1 ? mean : null, n, items: totalC, p: null };
  const means = new Float64Array(resamples);
  let below = 0;
  let above = 0;
  // mulberry32 inlined: this loop runs tens of millions of times when a view is built.
  let a = seed >>> 0;
  for (let b = 0; b < resamples; b++) {
    let bs = 0;
    let bc = 0;
    for (let k = 0; k < n; k++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const j = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
      bs += s[j];
      bc += c[j];
    }
    const m = bs / bc;
    means[b] = m;
    if (m <= 0) below++;
    if (m >= 0) above++;
  }
  means.sort();
  const lo = means[Math.floor(0.025 * (resamples - 1))];
  const hi = means[Math.ceil(0.975 * (resamples - 1))];
  const p = Math.min(1, (2 * Math.min(below, above)) / resamples);
  return { mean, lo, hi, n, items: totalC, p };
}
