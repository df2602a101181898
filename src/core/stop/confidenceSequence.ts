// Anytime-valid confidence sequences for the headline paired delta, over personas (the units) drawn one by one in a
// uniformly random order without replacement from the N personas of the plan. The estimand is the full-run delta
//   θ = Σ_i S_i / Σ_i c_i
// (S_i: sum of the persona's paired item differences b − a, c_i: its number of paired items), i.e. exactly the
// item-weighted headline delta that scoring reports once every persona is done. θ solves Σ_i (S_i − θ c_i) = 0,
// so each candidate θ is a hypothesis "the N values x_i(θ) = S_i − θ c_i sum to zero", tested sequentially.
// See docs/early-stopping.md.

/** The confidence sequence behind a stop rule. */
export type ConfidenceSequenceMethod = 'betting' | 'normal-mixture';

/** The methods, named as the manifest, the CLI and the panel cite them. */
export const CS_METHODS: Record<ConfidenceSequenceMethod, string> = {
  betting: 'betting confidence sequence (hedged capital, predictable plug-in bets; Waudby-Smith & Ramdas 2023), sampling without replacement (Waudby-Smith & Ramdas 2020): exact for any number of personas',
  'normal-mixture': 'normal-mixture confidence sequence (Howard et al. 2021) with the empirical variance: asymptotically anytime-valid (Waudby-Smith et al. 2024), tighter',
};

export interface ConfidenceSequenceOptions {
  /** Error level: the sequence covers θ at every time at once with probability ≥ 1 − alpha. */
  alpha: number;
  /** Units (personas) in the population the order is drawn from. */
  population: number;
  /** A priori bound on c_i (paired items of one persona); |S_i| ≤ c_i ≤ maxCount is the validity assumption. */
  maxCount: number;
  /** Betting: grid points over θ ∈ [−1, 1] (default 2001: a step of 0.1 points). */
  grid?: number;
  /** Normal mixture: the number of personas at which the boundary is tightest (default max(10, N / 4)). */
  targetPersonas?: number;
  /**
   * Normal mixture: the first number of personas at which the interval is trusted (the stop rules' minPersonas);
   * the running intersection starts there, never on the degenerate intervals of the first few personas.
   */
  startAt?: number;
}

export interface ConfidenceInterval {
  lo: number;
  hi: number;
}

/** A confidence sequence for θ = Σ S_i / Σ c_i, fed one unit at a time; intervals are running intersections. */
export interface RatioConfidenceSequence {
  readonly method: ConfidenceSequenceMethod;
  readonly alpha: number;
  /** Units added so far. */
  readonly n: number;
  /** Adds one persona: the sum of its paired differences and its number of paired items (0, 0 when none). */
  add(sum: number, count: number): void;
  /** The current interval (both ends NaN before any unit). */
  interval(): ConfidenceInterval;
  /** Σ S / Σ c so far (NaN while Σ c = 0). */
  estimate(): number;
}

export function createConfidenceSequence(method: ConfidenceSequenceMethod, options: ConfidenceSequenceOptions): RatioConfidenceSequence {
  if (!(options.alpha > 0 && options.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${options.alpha}`);
  if (!(Number.isInteger(options.population) && options.population >= 1)) throw new RangeError(`population must be a positive whole number, got ${options.population}`);
  if (!(options.maxCount > 0)) throw new RangeError(`maxCount must be positive, got ${options.maxCount}`);
  return method === 'betting' ? new BettingConfidenceSequence(options) : new NormalMixtureConfidenceSequence(options);
}

/** Running sums of one unit's (S, c): the variance of x(θ) = S − θc for every θ follows from them in O(1). */
class Sums {
  n = 0;
  s = 0;
  c = 0;
  ss = 0;
  sc = 0;
  cc = 0;
  add(s: number, c: number): void {
    this.n++;
    this.s += s;
    this.c += c;
    this.ss += s * s;
    this.sc += s * c;
    this.cc += c * c;
  }
}

function checkUnit(sum: number, count: number, maxCount: number): void {
  const eps = 1e-9 * (1 + count);
  if (!(Number.isFinite(sum) && Number.isFinite(count) && count >= 0 && count <= maxCount + eps && Math.abs(sum) <= count + eps)) {
    throw new RangeError(`confidence sequence: unit (sum ${sum}, count ${count}) outside |sum| ≤ count ≤ ${maxCount}`);
  }
}

/**
 * Betting CS. For each grid θ, two capital processes bet on the sign of x_t(θ) − μ_t(θ), where
 * μ_t(θ) = −Σ_{j<t} x_j(θ) / (N − t + 1) is the mean of the units not drawn yet if θ is true (sampling without
 * replacement): K⁺ = Π(1 + λ⁺(x − μ)), K⁻ = Π(1 − λ⁻(x − μ)). Under the true θ both are nonnegative martingales, so
 * by Ville's inequality their average K = (K⁺ + K⁻)/2 ever reaches 1/α with probability ≤ α. A θ whose capital
 * reaches 1/α is rejected for good (the running intersection). Bets: predictable plug-in
 * λ = √(2 log(2/α) / (σ̂²_{t−1} t log(t + 1))), capped at 3/4 of the largest bet the bounds allow
 * (x ∈ [−(1 + θ)C, (1 − θ)C], C = maxCount), so the capital stays positive whatever the next persona is.
 */
class BettingConfidenceSequence implements RatioConfidenceSequence {
  readonly method = 'betting' as const;
  readonly alpha: number;
  private readonly N: number;
  private readonly C: number;
  private readonly theta: Float64Array;
  private readonly logPlus: Float64Array;
  private readonly logMinus: Float64Array;
  private readonly rejected: Uint8Array;
  /** Live grid range: every θ outside [first, last] is rejected. */
  private first = 0;
  private last: number;
  private readonly sums = new Sums();
  private readonly threshold: number;
  private readonly logTwoOverAlpha: number;

  constructor(o: ConfidenceSequenceOptions) {
    this.alpha = o.alpha;
    this.N = o.population;
    this.C = o.maxCount;
    const G = Math.max(3, Math.floor(o.grid ?? 2001));
    this.theta = Float64Array.from({ length: G }, (_, i) => -1 + (2 * i) / (G - 1));
    this.logPlus = new Float64Array(G);
    this.logMinus = new Float64Array(G);
    this.rejected = new Uint8Array(G);
    this.last = G - 1;
    this.threshold = Math.log(1 / o.alpha);
    this.logTwoOverAlpha = Math.log(2 / o.alpha);
  }

  get n(): number {
    return this.sums.n;
  }

  add(sum: number, count: number): void {
    checkUnit(sum, count, this.C);
    const t = this.sums.n + 1;
    if (t > this.N) throw new RangeError(`confidence sequence: more units than the population of ${this.N}`);
    const { s, c, ss, sc, cc } = this.sums;
    const prev = t - 1;
    const remaining = this.N - t + 1;
    const C = this.C;
    // In units of C, so that x ∈ [−(1 + θ), 1 − θ] and the prior variance is scale-free.
    const xs = sum / C;
    const xc = count / C;
    const S = s / C;
    const Cs = c / C;
    const SS = ss / (C * C);
    const SC = sc / (C * C);
    const CC = cc / (C * C);
    const scale = 2 * this.logTwoOverAlpha / (t * Math.log(t + 1));
    const { theta, logPlus, logMinus, rejected, threshold } = this;
    let first = -1;
    let last = -1;
    for (let g = this.first; g <= this.last; g++) {
      if (rejected[g]) continue;
      const th = theta[g]!;
      const lo = -(1 + th);
      const hi = 1 - th;
      const mu = -(S - th * Cs) / remaining;
      // The units left cannot average μ: θ is impossible given what was drawn.
      if (mu < lo - 1e-12 || mu > hi + 1e-12) {
        rejected[g] = 1;
        continue;
      }
      // σ̂²: one pseudo-observation of variance 1/100, plus the sample variance of x(θ) so far.
      let v = 0;
      if (prev > 0) {
        const mean = (S - th * Cs) / prev;
        v = Math.max(0, (SS - 2 * th * SC + th * th * CC) / prev - mean * mean) * prev;
      }
      const sigma2 = (0.01 + v) / t;
      const lambda = Math.sqrt(scale / sigma2);
      const lp = mu - lo > 1e-12 ? Math.min(lambda, 0.75 / (mu - lo)) : 0;
      const lm = hi - mu > 1e-12 ? Math.min(lambda, 0.75 / (hi - mu)) : 0;
      const d = xs - th * xc - mu;
      const a = (logPlus[g]! += Math.log1p(lp * d));
      const b = (logMinus[g]! += Math.log1p(-lm * d));
      const m = a > b ? a : b;
      const k = m + Math.log(0.5 * Math.exp(a - m) + 0.5 * Math.exp(b - m));
      if (k >= threshold) {
        rejected[g] = 1;
        continue;
      }
      if (first < 0) first = g;
      last = g;
    }
    this.sums.add(sum, count);
    if (first >= 0) {
      this.first = first;
      this.last = last;
    } else {
      // Every grid point rejected (only possible at a miscoverage, prob. ≤ α, or with t = N between grid points):
      // keep the grid cell of the point estimate.
      const e = this.estimate();
      const G = theta.length;
      const g = Number.isFinite(e) ? Math.min(G - 1, Math.max(0, Math.round(((e + 1) * (G - 1)) / 2))) : Math.floor(G / 2);
      this.first = this.last = g;
      rejected[g] = 0;
    }
  }

  interval(): ConfidenceInterval {
    if (this.sums.n === 0) return { lo: NaN, hi: NaN };
    const G = this.theta.length;
    // One grid step outward: a θ between a kept and a rejected grid point is not known to be rejected.
    return { lo: this.theta[Math.max(0, this.first - 1)]!, hi: this.theta[Math.min(G - 1, this.last + 1)]! };
  }

  estimate(): number {
    return this.sums.c > 0 ? this.sums.s / this.sums.c : NaN;
  }
}

/**
 * Normal-mixture CS (Howard et al. 2021, two-sided normal mixture boundary) applied with the empirical variance
 * of the residuals r_i = S_i − θ̂ c_i: θ̂_t ± σ̂_t √(2(tρ² + 1)/(t²ρ²) · log(√(tρ² + 1)/α)) · t / Σc, with
 * ρ² = (−2 log α + log(−2 log α + 1)) / t* (tightest near t* personas). This is the asymptotic confidence
 * sequence of Waudby-Smith et al. (2024): valid as the number of personas grows, not for every small n, hence
 * `minPersonas` before any decision (`startAt`: the running intersection starts there). It ignores the finite
 * population (conservative near the end).
 */
class NormalMixtureConfidenceSequence implements RatioConfidenceSequence {
  readonly method = 'normal-mixture' as const;
  readonly alpha: number;
  private readonly sums = new Sums();
  private readonly rho2: number;
  private readonly C: number;
  private readonly N: number;
  private lo = -1;
  private hi = 1;
  private readonly startAt: number;

  constructor(o: ConfidenceSequenceOptions) {
    this.alpha = o.alpha;
    this.startAt = Math.max(1, o.startAt ?? 1);
    this.C = o.maxCount;
    this.N = o.population;
    const tStar = o.targetPersonas ?? Math.max(10, o.population / 4);
    const l = -2 * Math.log(o.alpha);
    this.rho2 = (l + Math.log(l + 1)) / tStar;
  }

  get n(): number {
    return this.sums.n;
  }

  add(sum: number, count: number): void {
    checkUnit(sum, count, this.C);
    if (this.sums.n + 1 > this.N) throw new RangeError(`confidence sequence: more units than the population of ${this.N}`);
    this.sums.add(sum, count);
    const { n: t, s, c, ss, sc, cc } = this.sums;
    if (c === 0) return;
    const th = s / c;
    const v = Math.max(0, ss - 2 * th * sc + th * th * cc) / t;
    const r = this.rho2;
    const half = Math.sqrt(v) * Math.sqrt(((2 * (t * r + 1)) / (t * t * r)) * Math.log(Math.sqrt(t * r + 1) / this.alpha)) * (t / c);
    if (t <= this.startAt) {
      this.lo = Math.max(-1, th - half);
      this.hi = Math.min(1, th + half);
      return;
    }
    const lo = Math.max(this.lo, th - half);
    const hi = Math.min(this.hi, th + half);
    // Disjoint from the running interval: keep the newest (an asymptotic CS can miss early on).
    if (lo <= hi) {
      this.lo = lo;
      this.hi = hi;
    } else {
      this.lo = Math.max(-1, th - half);
      this.hi = Math.min(1, th + half);
    }
  }

  interval(): ConfidenceInterval {
    if (this.sums.n === 0 || this.sums.c === 0) return this.sums.n === 0 ? { lo: NaN, hi: NaN } : { lo: -1, hi: 1 };
    return { lo: this.lo, hi: this.hi };
  }

  estimate(): number {
    return this.sums.c > 0 ? this.sums.s / this.sums.c : NaN;
  }
}
