// Stop rules of an experiment (`scoring.stop`) and the decision they take. Pure.
import type { ConfidenceInterval, ConfidenceSequenceMethod } from './confidenceSequence';

/** `scoring.stop` of an experiment file: stop when any rule holds (after `minPersonas` for the interval rules). */
export interface StopRules {
  /** Stop when the headline delta's confidence sequence excludes 0 (its sign is decided). */
  excludesZero?: boolean;
  /** Stop when the confidence sequence is at most this wide, in points (alignment × 100). */
  maxWidth?: number;
  /** Stop before making more than this many requests in the run (replay lookups count; cache hits do not). */
  maxRequests?: number;
  /** Stop before the run's cost (USD) would pass this. */
  maxCost?: number;
  /** Error level of the confidence sequence (default 0.05). */
  alpha?: number;
  /** Personas that must be done before an interval rule may stop the run (default 20). */
  minPersonas?: number;
  /** The confidence sequence (default `betting`, exact; `normal-mixture` is tighter and asymptotic). */
  method?: ConfidenceSequenceMethod;
}

export type StopRuleName = 'excludesZero' | 'maxWidth' | 'maxRequests' | 'maxCost';

export const STOP_DEFAULTS = { alpha: 0.05, minPersonas: 20, method: 'betting' as ConfidenceSequenceMethod };

/** The rules with their defaults filled in. */
export interface ResolvedStopRules extends StopRules {
  alpha: number;
  minPersonas: number;
  method: ConfidenceSequenceMethod;
}

export function resolveStopRules(rules: StopRules): ResolvedStopRules {
  return { ...rules, alpha: rules.alpha ?? STOP_DEFAULTS.alpha, minPersonas: rules.minPersonas ?? STOP_DEFAULTS.minPersonas, method: rules.method ?? STOP_DEFAULTS.method };
}

/** What the rules see at one moment of a run. */
export interface StopState {
  /** Personas in the sequence (done, in schedule order) and in the plan. */
  personas: number;
  personasPlanned: number;
  /** The confidence sequence of the headline delta (fractions, not points); NaN ends when unknown. */
  interval: ConfidenceInterval;
  requests: number;
  cost: number;
}

/** Why a run stopped. */
export interface StopDecision {
  rule: StopRuleName;
  /** One sentence for the CLI, the notification and the panel. */
  reason: string;
}

const pts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;

/**
 * The first rule that holds, in the order excludesZero, maxWidth (interval rules, once `minPersonas` are done),
 * maxRequests, maxCost (budget rules, on what has been spent); null when the run goes on.
 */
export function evaluateStop(rules: ResolvedStopRules, s: StopState): StopDecision | null {
  const { lo, hi } = s.interval;
  const known = Number.isFinite(lo) && Number.isFinite(hi);
  const ci = (): string => `[${pts(lo)}, ${pts(hi)}] points`;
  if (known && s.personas >= rules.minPersonas && s.personas < s.personasPlanned) {
    if (rules.excludesZero && (lo > 0 || hi < 0)) {
      return { rule: 'excludesZero', reason: `decided after ${s.personas} of ${s.personasPlanned} personas: the ${pctLevel(rules.alpha)} confidence sequence ${ci()} excludes 0` };
    }
    if (rules.maxWidth !== undefined && (hi - lo) * 100 <= rules.maxWidth) {
      return { rule: 'maxWidth', reason: `precise enough after ${s.personas} of ${s.personasPlanned} personas: the confidence sequence ${ci()} is ${((hi - lo) * 100).toFixed(2)} points wide (≤ ${rules.maxWidth})` };
    }
  }
  if (rules.maxRequests !== undefined && s.requests >= rules.maxRequests) {
    return { rule: 'maxRequests', reason: `request budget reached: ${s.requests} of at most ${rules.maxRequests} requests` };
  }
  if (rules.maxCost !== undefined && s.cost >= rules.maxCost) {
    return { rule: 'maxCost', reason: `cost budget reached: $${s.cost.toFixed(4)} of at most $${rules.maxCost}` };
  }
  return null;
}

const pctLevel = (alpha: number): string => `${+((1 - alpha) * 100).toFixed(2)}%`;
