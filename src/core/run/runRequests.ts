import { itemSampleKey } from './readRun';
import type { ModelSpec, ResponseRecord } from '../experiment';
import { RateLimiter, defaultSleep } from './RateLimiter';
import { RequestError } from './RequestError';
import type { ResponseCache } from './ResponseCache';
import type { RunStore } from './RunStore';
import type { Completer, WorkItem } from './WorkItem';

export interface RunProgress {
  /** Samples in the run (answered + to do). */
  planned: number;
  /** Samples with an answer in the run now (already there on resume + cached + live). */
  done: number;
  /** Of `done`: served from earlier runs' answers without a request. */
  cached: number;
  /** Samples that failed for good (recorded with an error; asked again on resume). */
  failed: number;
  inFlight: number;
  /** Live requests answered per second over the last few seconds. */
  ratePerSec: number;
  /** Seconds to go at the current rate, when known. */
  etaSec?: number;
  /** Cost of the live requests so far (cache hits cost nothing). */
  cost: number;
  inputTokens: number;
  outputTokens: number;
  retries: number;
  elapsedMs: number;
}

export interface RunSummary extends RunProgress {
  /** `stopped`: `shouldStop` ended the run early (a stop rule); the rest of the plan was not asked. */
  status: 'completed' | 'cancelled' | 'failed' | 'stopped';
  /** Why the run stopped early (a fatal endpoint error such as 401/404). */
  error?: string;
}

export interface RunRequestsOptions {
  store: RunStore;
  /** Completer per model id. */
  completers: ReadonlyMap<string, Completer>;
  /** Hashes already answered in this run (resume). */
  done?: ReadonlySet<string>;
  /** Answers of earlier runs. */
  cache?: ResponseCache;
  /** Total samples planned, for progress (from the estimate); counted while running when absent. */
  planned?: number;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  progressIntervalMs?: number;
  /** Parses a reply into an option number at write time (scoring re-parses anyway). */
  parse?: (text: string, item: WorkItem) => number | null;
  /** One line per notable event (retries, failures); never contains secrets. */
  log?: (message: string) => void;
  /** Every record right after it is written (live results, stop rules). */
  onRecord?: (record: ResponseRecord) => void;
  /**
   * Asked before each item (`request` false) and before each request is sent (`request` true, with the requests
   * pulled but not finished): true ends the run early — nothing more is scheduled, in-flight requests finish.
   */
  shouldStop?: (pendingRequests: number, request: boolean) => boolean;
  /** The run's models (sizes the worker pool to the sum of their concurrency limits). */
  models?: ModelSpec[];
  /** Defaults for models that do not say. */
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

interface Unit {
  item: WorkItem;
  samples: { sample: number; hash: string }[];
  /** Its records are written (or it is given up): no longer pending for the budget rules. */
  settled?: boolean;
}

interface ModelLane {
  completer: Completer;
  limiter: RateLimiter;
  /** Free slots of the model's own concurrency limit, and who waits for one. */
  free: number;
  waiting: (() => void)[];
  timeoutMs: number;
  maxRetries: number;
  price: [number, number];
}

const RATE_WINDOW_MS = 5000;

/**
 * The engine: answers every sample of `items` that the run does not hold yet, writing one record per sample
 * to the store. Bounded concurrency (global and per model), RPM/TPM limits, retries with exponential backoff
 * and jitter on retryable errors, Retry-After honoured, per-request timeout, cancellation through `signal`
 * (in-flight requests are aborted and nothing of theirs is written). Items are pulled lazily, so a run of any
 * size streams in constant memory.
 */
export async function runRequests(items: Iterable<WorkItem>, options: RunRequestsOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const random = options.random ?? Math.random;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const { store, done = new Set<string>(), cache } = options;
  const stop = new AbortController();
  const onUserAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  const signal = stop.signal;
  // One listener aborts every in-flight request (not one listener per request on the shared signal).
  const inFlight = new Set<AbortController>();
  signal.addEventListener('abort', () => {
    for (const c of inFlight) c.abort(signal.reason);
  }, { once: true });

  const p: RunProgress = { planned: options.planned ?? 0, done: 0, cached: 0, failed: 0, inFlight: 0, ratePerSec: 0, cost: 0, inputTokens: 0, outputTokens: 0, retries: 0, elapsedMs: 0 };
  let counted = 0;
  let live = 0;
  let fatal: RequestError | undefined;
  const window: [number, number][] = [[t0, 0]];

  const lanes = new Map<string, ModelLane>();
  const lane = (model: ModelSpec): ModelLane => {
    let l = lanes.get(model.id);
    if (!l) {
      const completer = options.completers.get(model.id);
      if (!completer) throw new Error(`no completer for model "${model.id}"`);
      l = {
        completer,
        limiter: new RateLimiter(model.requestsPerMinute, model.tokensPerMinute),
        free: model.concurrency ?? options.concurrency ?? 8,
        waiting: [],
        timeoutMs: model.timeoutMs ?? options.timeoutMs ?? 60_000,
        maxRetries: model.maxRetries ?? options.maxRetries ?? 5,
        price: [model.pricePer1kInput ?? 0, model.pricePer1kOutput ?? 0],
      };
      lanes.set(model.id, l);
    }
    return l;
  };

  function record(item: WorkItem, sample: { sample: number; hash: string }, fields: Partial<ResponseRecord>): ResponseRecord {
    return {
      hash: sample.hash, condition: item.condition, model: item.model.id, lang: item.lang, personaId: item.personaId,
      questionId: item.questionId, variant: item.variant, sample: sample.sample, text: null, t: Date.now(), ...fields,
    };
  }

  const append = (r: ResponseRecord): void => {
    store.append(r);
    options.onRecord?.(r);
  };
  // Units pulled by a worker whose records are not written yet (for budget stop rules), and whether a stop rule
  // ended the run.
  let pending = 0;
  let halted = false;
  const settle = (unit: Unit): void => {
    if (unit.settled) return;
    unit.settled = true;
    pending--;
  };

  // Pulls items lazily and turns the samples the run lacks into units of work; cache hits are written here.
  function* units(): Generator<Unit | null> {
    let sincePause = 0;
    for (const item of items) {
      if (options.shouldStop?.(pending, false)) {
        halted = true;
        // The run's earlier answers not reached yet still count as answered.
        p.done = Math.max(p.done, done.size + p.cached + live);
        return;
      }
      // A run served mostly from the cache would otherwise hold the event loop for its whole length.
      if (++sincePause >= 256) {
        sincePause = 0;
        yield null;
      }
      if (options.planned === undefined) p.planned += item.samples.length;
      counted += item.samples.length;
      let missing: Unit['samples'] | undefined;
      for (const s of item.samples) {
        if (done.has(itemSampleKey(item, s.sample))) {
          p.done++;
          continue;
        }
        const hit = cache?.get(s.hash);
        if (hit && hit.text !== null) {
          append({ ...hit, condition: item.condition, personaId: item.personaId, variant: item.variant, sample: s.sample, cached: true, cost: 0, t: Date.now() });
          p.done++;
          p.cached++;
          continue;
        }
        (missing ??= []).push(s);
      }
      if (!missing) continue;
      const batches = item.model.useN && missing.length > 1 ? [missing] : missing.map((s) => [s]);
      for (const samples of batches) {
        if (options.shouldStop?.(pending, true)) {
          halted = true;
          return;
        }
        pending++;
        yield { item, samples };
      }
    }
  }

  async function enterLane(l: ModelLane): Promise<void> {
    if (l.free > 0) {
      l.free--;
      return;
    }
    await new Promise<void>((resolve) => l.waiting.push(resolve));
  }
  function leaveLane(l: ModelLane): void {
    const next = l.waiting.shift();
    if (next) next();
    else l.free++;
  }

  async function attempt(l: ModelLane, unit: Unit, samples: Unit['samples']): Promise<void> {
    const { item } = unit;
    const estTokens = Math.ceil(item.messages.reduce((a, m) => a + m.content.length, 0) / 4) + (item.model.maxTokens ?? 16) * samples.length;
    for (let tries = 0; ; tries++) {
      await l.limiter.acquire(estTokens, signal);
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new RequestError(`timed out after ${l.timeoutMs} ms`, true));
      }, l.timeoutMs);
      inFlight.add(controller);
      const started = Date.now();
      p.inFlight++;
      try {
        const result = await l.completer.complete({ item, n: samples.length, signal: controller.signal, sampleIndices: samples.map((s) => s.sample) });
        if (signal.aborted) return; // cancelled while the answer arrived: write nothing
        const got = Math.min(result.texts.length, samples.length);
        const latencyMs = Date.now() - started;
        const inTok = result.inputTokens ?? 0;
        const outTok = result.outputTokens ?? 0;
        const cost = (inTok / 1000) * l.price[0] + (outTok / 1000) * l.price[1];
        for (let i = 0; i < got; i++) {
          const text = result.texts[i];
          // Tokens and cost of one call are shared evenly by the samples it returned.
          append(record(item, samples[i], {
            text, parsed: options.parse ? options.parse(text, item) : undefined, latencyMs,
            inputTokens: Math.round(inTok / got), outputTokens: Math.round(outTok / got), cost: cost / got,
          }));
        }
        p.done += got;
        live += got;
        p.cost += cost;
        p.inputTokens += inTok;
        p.outputTokens += outTok;
        // An endpoint that ignores `n` returns fewer choices: ask again for the rest.
        if (got < samples.length && got > 0) samples = samples.slice(got);
        else if (got === 0) throw new RequestError('the endpoint returned no choices', true);
        else {
          settle(unit);
          return;
        }
        tries = -1;
        continue;
      } catch (e) {
        if (signal.aborted) return;
        const err = e instanceof RequestError ? e
          : timedOut ? new RequestError(`timed out after ${l.timeoutMs} ms`, true)
            : new RequestError(e instanceof Error ? e.message : String(e), true);
        if (err.fatalForRun) {
          fatal ??= err;
          stop.abort(err);
          return;
        }
        if (!err.retryable || tries >= l.maxRetries) {
          for (const s of samples) append(record(item, s, { error: err.message, latencyMs: Date.now() - started }));
          p.failed += samples.length;
          settle(unit);
          options.log?.(`failed ${item.condition} ${item.personaId} ${item.questionId}#${item.variant} after ${tries + 1} attempt(s): ${err.message}`);
          return;
        }
        let delay: number;
        if (err.retryAfterMs !== undefined) {
          // Honour the server's wait (plus a little jitter so waiters do not return in lockstep) and hold the lane.
          delay = err.retryAfterMs + random() * Math.min(100, err.retryAfterMs * 0.1);
          l.limiter.pauseUntil(Date.now() + err.retryAfterMs);
        } else {
          const exp = Math.min(maxDelay, baseDelay * 2 ** tries);
          delay = exp / 2 + random() * (exp / 2);
        }
        p.retries++;
        options.log?.(`retry ${tries + 1}/${l.maxRetries} in ${Math.round(delay)} ms: ${err.message}`);
        try {
          await defaultSleep(delay, signal);
        } catch {
          return;
        }
      } finally {
        p.inFlight--;
        clearTimeout(timer);
        inFlight.delete(controller);
      }
    }
  }

  const source = units();
  async function worker(): Promise<void> {
    while (!signal.aborted) {
      const next = source.next();
      if (next.done) return;
      const unit = next.value;
      if (unit === null) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const l = lane(unit.item.model);
      try {
        await enterLane(l);
        try {
          if (signal.aborted) return;
          await attempt(l, unit, unit.samples);
        } finally {
          leaveLane(l);
        }
      } finally {
        settle(unit);
      }
    }
  }

  const tick = (): RunProgress => {
    const now = Date.now();
    window.push([now, live]);
    while (window.length > 2 && now - window[0][0] > RATE_WINDOW_MS) window.shift();
    const [wt, wl] = window[0];
    p.ratePerSec = now > wt ? ((live - wl) * 1000) / (now - wt) : 0;
    p.elapsedMs = now - t0;
    const remaining = Math.max(0, Math.max(p.planned, counted) - p.done - p.failed);
    p.etaSec = p.ratePerSec > 0 ? remaining / p.ratePerSec : undefined;
    return { ...p };
  };
  const timer = options.onProgress ? setInterval(() => options.onProgress!(tick()), options.progressIntervalMs ?? 250) : undefined;
  timer?.unref?.();

  // Enough workers to fill every model's limit; each waits in its lane, so one model's limit never starves another.
  const width = options.models?.length
    ? options.models.reduce((a, m) => a + (m.concurrency ?? options.concurrency ?? 8), 0)
    : (options.concurrency ?? 8);
  let crashed: unknown;
  const guarded = async (): Promise<void> => {
    try {
      await worker();
    } catch (e) {
      crashed ??= e;
      stop.abort(e);
    }
  };
  try {
    await Promise.all(Array.from({ length: width }, guarded));
  } finally {
    if (timer) clearInterval(timer);
    options.signal?.removeEventListener('abort', onUserAbort);
  }
  store.flush();
  const status: RunSummary['status'] = fatal || crashed ? 'failed' : options.signal?.aborted ? 'cancelled' : halted ? 'stopped' : 'completed';
  store.updateManifest({ status, finishedAt: new Date().toISOString() });
  const summary: RunSummary = { ...tick(), status, inFlight: 0 };
  if (options.planned === undefined) summary.planned = counted;
  if (fatal) summary.error = fatal.message;
  else if (crashed) summary.error = crashed instanceof Error ? crashed.message : String(crashed);
  options.onProgress?.(summary);
  return summary;
}
