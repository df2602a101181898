// Watches a run as its records land: live scores (LiveScorer), the anytime-valid confidence sequence of the headline
// delta over personas in the run's seeded order, the requests and cost spent, and the stop rules of `scoring.stop`.
import type { ResponseRecord, RunStopRecord } from '../experiment';
import { createConfidenceSequence, CS_METHODS, type ConfidenceSequenceMethod, type RatioConfidenceSequence } from '../stop/confidenceSequence';
import { evaluateStop, resolveStopRules, type ResolvedStopRules, type StopDecision, type StopRules } from '../stop/stopRules';
import type { LiveScorer, LiveScores } from './LiveScorer';

/** One point of the headline's confidence sequence: after `personas` personas in schedule order. */
export interface SequencePoint {
  personas: number;
  estimate: number;
  lo: number;
  hi: number;
}

/** The confidence sequence of the headline delta (fractions; × 100 = points). */
export interface LiveSequence {
  method: ConfidenceSequenceMethod;
  /** The method, cited. */
  methodName: string;
  alpha: number;
  /** Personas in the sequence (done, in schedule order) and in the plan. */
  personas: number;
  personasPlanned: number;
  estimate: number;
  lo: number;
  hi: number;
  /** Its path so far (at most ~400 points, evenly thinned). */
  trajectory: SequencePoint[];
}

/** Everything the live views show at one moment of a run. Plain JSON. */
export interface LiveSnapshot extends LiveScores {
  runId: string;
  /** Requests made in the run (replay lookups count, cache hits do not) and their cost (USD). */
  requests: number;
  cost: number;
  sequence: LiveSequence | null;
  rules: ResolvedStopRules | null;
  /** The stop rule that ended (or will end) the run, once one holds; null while it goes on. */
  stop: LiveStop | null;
  /** Stop rules are ignored (the run continues past a stop). */
  ignoreStop: boolean;
  /** Set on the final snapshot of a run. */
  final?: { status: string };
}

export interface RunMonitorOptions {
  runId: string;
  scorer: LiveScorer;
  /** Persona ids in the engine's schedule order (the order personas enter the confidence sequence). */
  order: readonly string[];
  rules?: StopRules;
  ignoreStop?: boolean;
  /** Seed of the persona order (recorded with a stop). */
  seed: number;
  /** Share of one request a record stands for (1; 1 / samples for models asked with `n`). */
  requestShare?: (record: ResponseRecord) => number;
}

/** A stop decision and the sequence when it was taken. */
export interface LiveStop extends StopDecision {
  personas: number;
  estimate: number;
  lo: number;
  hi: number;
}

const MAX_POINTS = 400;

export class RunMonitor {
  readonly scorer: LiveScorer;
  readonly rules: ResolvedStopRules | null;
  private cs: RatioConfidenceSequence | null;
  /** Why the sequence was given up (see admit). */
  csError: string | undefined;
  private readonly order: readonly string[];
  private next = 0;
  private readonly trajectory: SequencePoint[] = [];
  private requestsMade = 0;
  private spent = 0;
  private decision: LiveStop | null = null;
  private version = 0;
  private readonly ignoreStop: boolean;

  constructor(private readonly options: RunMonitorOptions) {
    this.scorer = options.scorer;
    this.order = options.order;
    this.ignoreStop = options.ignoreStop === true;
    this.rules = options.rules ? resolveStopRules(options.rules) : null;
    const method = this.rules?.method ?? 'betting';
    const N = this.order.length;
    this.cs = this.scorer.pair && N > 0
      ? createConfidenceSequence(method, { alpha: this.rules?.alpha ?? 0.05, population: N, maxCount: Math.max(1, this.scorer.maxPairedItems), startAt: this.rules?.minPersonas })
      : null;
  }

  /** Changes with every record or decision (callers skip identical snapshots). */
  get changes(): number {
    return this.version;
  }

  get requests(): number {
    return Math.round(this.requestsMade);
  }

  get cost(): number {
    return this.spent;
  }

  /** The stop rule that holds (null when none, or when stop rules are ignored). */
  get stopped(): LiveStop | null {
    return this.ignoreStop ? null : this.decision;
  }

  /** Takes one record written to the run (also the run's earlier records, when resuming). */
  record(r: ResponseRecord): void {
    this.version++;
    if (!r.cached) {
      this.requestsMade += this.options.requestShare?.(r) ?? 1;
      this.spent += r.cost ?? 0;
    }
    if (!this.scorer.add(r)) return;
    if (this.scorer.takeCompleted().length) this.admit();
    // Interval rules change only when a persona enters the sequence (admit); budgets with every request.
    else if (this.rules && (this.rules.maxRequests !== undefined || this.rules.maxCost !== undefined)) this.evaluate();
  }

  /** Personas enter the sequence in schedule order, each once all its samples are in (later ones wait). */
  private admit(): void {
    if (!this.cs) return;
    while (this.next < this.order.length) {
      const p = this.scorer.paired(this.order[this.next]!);
      if (!p.complete) break;
      try {
        this.cs.add(p.sum, p.count);
      } catch (e) {
        // A persona outside the sequence's bounds (cannot happen with a plan's a priori bound): stop trusting the
        // sequence rather than the run; the interval rules then never fire.
        this.csError = e instanceof Error ? e.message : String(e);
        this.cs = null;
        return;
      }
      this.next++;
      const { lo, hi } = this.cs.interval();
      this.trajectory.push({ personas: this.cs.n, estimate: this.cs.estimate(), lo, hi });
      this.evaluate();
    }
  }

  private evaluate(): void {
    if (!this.rules || this.decision) return;
    const interval = this.cs ? this.cs.interval() : { lo: NaN, hi: NaN };
    const d = evaluateStop(this.rules, { personas: this.cs?.n ?? 0, personasPlanned: this.order.length, interval, requests: this.requests, cost: this.spent });
    if (d) this.decide(d);
  }

  private decide(d: StopDecision): void {
    const { lo, hi } = this.cs ? this.cs.interval() : { lo: NaN, hi: NaN };
    this.decision = { ...d, personas: this.cs?.n ?? 0, estimate: this.cs?.estimate() ?? NaN, lo, hi };
    this.version++;
  }

  /**
   * The engine asks before each item and request: stop once a rule holds, or when the next request would pass the
   * request budget, or (at the mean cost per request so far) the cost budget, counting the requests in flight.
   */
  shouldStop(pendingRequests: number, request: boolean): boolean {
    if (this.ignoreStop || !this.rules) return false;
    if (this.decision) return true;
    if (!request) return false;
    const r = this.rules;
    const ahead = this.requestsMade + pendingRequests + 1;
    if (r.maxRequests !== undefined && ahead > r.maxRequests) {
      this.decide({ rule: 'maxRequests', reason: `request budget reached: ${Math.round(ahead - 1)} of at most ${r.maxRequests} requests` });
      return true;
    }
    if (r.maxCost !== undefined && this.requestsMade > 0 && this.spent > 0) {
      const mean = this.spent / this.requestsMade;
      if (this.spent + (pendingRequests + 1) * mean > r.maxCost) {
        this.decide({ rule: 'maxCost', reason: `cost budget reached: $${this.spent.toFixed(4)} spent, the next request would pass $${r.maxCost}` });
        return true;
      }
    }
    return false;
  }

  sequence(): LiveSequence | null {
    if (!this.cs) return null;
    const { lo, hi } = this.cs.interval();
    const t = this.trajectory;
    const step = Math.ceil(t.length / MAX_POINTS);
    const thinned = step <= 1 ? [...t] : t.filter((_, i) => i % step === 0 || i === t.length - 1);
    return {
      method: this.cs.method, methodName: CS_METHODS[this.cs.method], alpha: this.cs.alpha, personas: this.cs.n, personasPlanned: this.order.length,
      estimate: this.cs.estimate(), lo, hi, trajectory: thinned,
    };
  }

  snapshot(options: { resamples?: number } = {}): LiveSnapshot {
    return {
      runId: this.options.runId, ...this.scorer.scores(options), requests: this.requests, cost: this.spent,
      sequence: this.sequence(), rules: this.rules, stop: this.stopped, ignoreStop: this.ignoreStop,
    };
  }

  /** The manifest's record of the stop (call once the run stopped). */
  stopRecord(samples: number): RunStopRecord | undefined {
    const d = this.decision;
    if (!d) return undefined;
    const method = this.cs?.method;
    return {
      rule: d.rule, reason: d.reason, at: new Date().toISOString(), personas: d.personas, personasPlanned: this.order.length,
      requests: this.requests, samples, cost: this.spent, pair: this.scorer.pair, delta: Number.isFinite(d.estimate) ? d.estimate : null,
      interval: Number.isFinite(d.lo) && Number.isFinite(d.hi) ? [d.lo, d.hi] : null, method: method ? `${method}: ${CS_METHODS[method]}` : 'none',
      alpha: this.rules?.alpha ?? 0.05, seed: this.options.seed,
    };
  }
}
