/**
 * Requests-per-minute and tokens-per-minute limits as two token buckets refilled continuously. The burst is one
 * second's worth (at least one request), so a limit paces requests evenly instead of firing a minute's worth
 * at once. `pauseUntil` holds everyone back after a 429 with Retry-After.
 */
export class RateLimiter {
  private requests: number;
  private tokens: number;
  private last = Date.now();
  private pausedUntil = 0;
  private readonly requestBurst: number;
  private readonly tokenBurst: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly requestsPerMinute?: number,
    private readonly tokensPerMinute?: number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
  ) {
    this.requestBurst = requestsPerMinute ? Math.max(1, requestsPerMinute / 60) : Infinity;
    this.tokenBurst = tokensPerMinute ? Math.max(1, tokensPerMinute / 60) : Infinity;
    this.requests = this.requestBurst;
    this.tokens = this.tokenBurst;
  }

  get limited(): boolean {
    return Boolean(this.requestsPerMinute || this.tokensPerMinute);
  }

  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  /** Waits until one request of `tokens` tokens may start. Callers are served in order. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    if (!this.limited && this.pausedUntil <= Date.now()) return Promise.resolve();
    const turn = this.queue.then(() => this.take(tokens, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(now: number): void {
    const dt = (now - this.last) / 60_000;
    this.last = now;
    if (this.requestsPerMinute) this.requests = Math.min(this.requestBurst, this.requests + dt * this.requestsPerMinute);
    if (this.tokensPerMinute) this.tokens = Math.min(this.tokenBurst, this.tokens + dt * this.tokensPerMinute);
  }

  private async take(tokens: number, signal?: AbortSignal): Promise<void> {
    const need = Math.min(tokens, this.tokenBurst); // a request larger than the burst goes when the bucket is full
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now, signal);
        continue;
      }
      this.refill(now);
      let wait = 0;
      if (this.requestsPerMinute && this.requests < 1) wait = Math.max(wait, ((1 - this.requests) / this.requestsPerMinute) * 60_000);
      if (this.tokensPerMinute && this.tokens < need) wait = Math.max(wait, ((need - this.tokens) / this.tokensPerMinute) * 60_000);
      if (wait <= 0) {
        if (this.requestsPerMinute) this.requests -= 1;
        if (this.tokensPerMinute) this.tokens -= need;
        return;
      }
      await this.sleep(Math.ceil(wait), signal);
    }
  }
}

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
