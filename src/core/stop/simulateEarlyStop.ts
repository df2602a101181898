// What early stopping does on known answers: replays the personas' paired differences in many seeded random orders
// through the confidence sequence and the stop rules. Used for the "expected saving" of the estimate (on recorded
// answers) and, in the tests and the bench, to check coverage and the false-stop rate.
import { seededRandom } from '../score/rng';
import { createConfidenceSequence, type ConfidenceInterval } from './confidenceSequence';
import { evaluateStop, type ResolvedStopRules, type StopRuleName } from './stopRules';

/** One persona's paired differences: Σ (b − a) over its paired items, and their number. */
export interface PersonaDelta {
  sum: number;
  count: number;
}

export interface SimulationOptions {
  rules: ResolvedStopRules;
  /** Random orders to replay. */
  orders: number;
  seed: number;
  /** A priori bound on paired items per persona (the confidence sequence's `maxCount`). */
  maxCount: number;
  /** Requests and cost of one persona (budget rules); default 1 and 0. */
  requestsPerPersona?: number;
  costPerPersona?: number;
  /** Betting grid (default 2001). */
  grid?: number;
}

export interface SimulationResult {
  orders: number;
  personas: number;
  /** The full-run delta Σ sum / Σ count. */
  fullDelta: number;
  /** Share of orders that stopped before the last persona. */
  stoppedEarly: number;
  /** Share of orders that stopped because the interval excluded 0. */
  decided: number;
  /** Share of orders whose interval at the stop (or at the end) contains the full-run delta. */
  coverage: number;
  /** Mean and median personas done at the stop (N when it never stopped). */
  meanPersonas: number;
  medianPersonas: number;
  /** Mean share of the personas (hence requests) not asked. */
  meanSaved: number;
  /** Mean width of the interval at the stop, in points. */
  meanWidth: number;
  byRule: Partial<Record<StopRuleName, number>>;
}

/** One replay of the personas in `order`: where it stops, why, and the interval then. */
export function replayOrder(units: readonly PersonaDelta[], order: readonly number[], options: SimulationOptions): { personas: number; rule: StopRuleName | null; interval: ConfidenceInterval } {
  const { rules } = options;
  const cs = createConfidenceSequence(rules.method, { alpha: rules.alpha, population: units.length, maxCount: options.maxCount, grid: options.grid, startAt: rules.minPersonas });
  const rpp = options.requestsPerPersona ?? 1;
  const cpp = options.costPerPersona ?? 0;
  for (let t = 0; t < order.length; t++) {
    const u = units[order[t]!]!;
    cs.add(u.sum, u.count);
    const interval = cs.interval();
    const decision = evaluateStop(rules, { personas: t + 1, personasPlanned: units.length, interval, requests: (t + 1) * rpp, cost: (t + 1) * cpp });
    if (decision) return { personas: t + 1, rule: decision.rule, interval };
  }
  return { personas: order.length, rule: null, interval: cs.interval() };
}

/** A seeded uniformly random permutation of 0..n−1 (Fisher–Yates). */
export function randomOrder(n: number, seed: number, context: string): number[] {
  const rand = seededRandom(seed, context);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const x = order[i]!;
    order[i] = order[j]!;
    order[j] = x;
  }
  return order;
}

/** Replays `orders` seeded random orders of the personas; see SimulationResult. */
export function simulateEarlyStop(units: readonly PersonaDelta[], options: SimulationOptions): SimulationResult {
  const N = units.length;
  let total = 0;
  let count = 0;
  for (const u of units) {
    total += u.sum;
    count += u.count;
  }
  const fullDelta = count > 0 ? total / count : NaN;
  const stops: number[] = [];
  let early = 0;
  let decided = 0;
  let covered = 0;
  let width = 0;
  const byRule: Partial<Record<StopRuleName, number>> = {};
  for (let k = 0; k < options.orders; k++) {
    const r = replayOrder(units, randomOrder(N, options.seed, `simulate:${k}`), options);
    stops.push(r.personas);
    if (r.personas < N) early++;
    if (r.rule) byRule[r.rule] = (byRule[r.rule] ?? 0) + 1;
    if (r.rule === 'excludesZero') decided++;
    if (r.interval.lo <= fullDelta && fullDelta <= r.interval.hi) covered++;
    width += (r.interval.hi - r.interval.lo) * 100;
  }
  const K = options.orders || NaN;
  const sorted = [...stops].sort((a, b) => a - b);
  const mean = stops.reduce((a, b) => a + b, 0) / K;
  return {
    orders: options.orders, personas: N, fullDelta,
    stoppedEarly: early / K, decided: decided / K, coverage: covered / K,
    meanPersonas: mean, medianPersonas: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN,
    meanSaved: N ? 1 - mean / N : NaN, meanWidth: width / K, byRule,
  };
}
