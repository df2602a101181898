/** Timer functions, injectable so tests control time. */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: SchedulerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * When to re-render, as in the built-in Markdown preview: `now()` renders at once (open, switch template,
 * new selection); `edit()` renders at once after a quiet period, otherwise once at the end of the current
 * `delayMs` window — so typing never waits more than `delayMs` and a burst of keystrokes costs one render
 * per window. Every render gets a new version; `isLatest(v)` tells an async render whether it is stale.
 */
export class RenderScheduler {
  private version = 0;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = undefined;
  private disposed = false;

  constructor(
    private readonly run: (version: number) => void,
    readonly delayMs = 100,
    private readonly clock: SchedulerClock = realClock,
  ) {}

  /** Render immediately (cancels a pending trailing render, which this one supersedes). */
  now(): number {
    this.cancelTimer();
    return this.fire();
  }

  /** A document edit: leading render after quiet, else one trailing render per window. */
  edit(): void {
    if (this.disposed || this.timer !== undefined) return;
    const wait = this.lastRunAt + this.delayMs - this.clock.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  /** True when no render started after `version` (an async render may still post its result). */
  isLatest(version: number): boolean {
    return version === this.version;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private fire(): number {
    if (this.disposed) return this.version;
    this.lastRunAt = this.clock.now();
    const v = ++this.version;
    this.run(v);
    return v;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
