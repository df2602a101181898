/** Normalise non-negative weights to a distribution; all-zero stays all-zero. */
export function toDistribution(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return total > 0 ? weights.map((w) => w / total) : weights.map(() => 0);
}

/**
 * Jensen–Shannon distance with base-2 logarithms (so it lies in [0, 1]): sqrt(½ KL(p‖m) + ½ KL(q‖m)), m = (p + q)/2.
 * Inputs are distributions over the same options.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i] ?? 0;
    const m = (a + b) / 2;
    if (a > 0) d += 0.5 * a * Math.log2(a / m);
    if (b > 0) d += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, d));
}

/**
 * 1 − Wasserstein-1 distance / (K′ − 1) between two distributions over K′ ordered options (unit spacing):
 * W1 = Σ_{i<K′} |P(X ≤ i) − Q(X ≤ i)|. Both are renormalised first; null when either has no mass or K′ < 2.
 */
export function wassersteinSimilarity(p: readonly number[], q: readonly number[]): number | null {
  const k = p.length;
  const pp = toDistribution(p);
  const qq = toDistribution(q);
  if (k < 2 || pp.every((x) => x === 0) || qq.every((x) => x === 0)) return null;
  let cp = 0;
  let cq = 0;
  let w = 0;
  for (let i = 0; i < k - 1; i++) {
    cp += pp[i]!;
    cq += qq[i]!;
    w += Math.abs(cp - cq);
  }
  return 1 - w / (k - 1);
}
