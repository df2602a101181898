/**
 * A failed model request, classified for the engine: `retryable` errors (408/429/5xx, network, timeout,
 * malformed body) are retried with backoff; `fatalForRun` errors (401/403/404: a wrong key, model or URL)
 * stop the whole run since every other request would fail the same way.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Server-requested wait (Retry-After / retry-after-ms), in ms. */
    readonly retryAfterMs?: number,
    readonly fatalForRun = false,
  ) {
    super(message);
  }
}

/** Retry-After as ms: delta-seconds or an HTTP date; `retry-after-ms` wins when present. */
export function parseRetryAfter(retryAfter: string | null | undefined, retryAfterMs?: string | null, now = Date.now()): number | undefined {
  if (retryAfterMs) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (!retryAfter) return undefined;
  const s = Number(retryAfter);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Classify an HTTP status the way the engine retries it. */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): RequestError {
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  const fatal = status === 401 || status === 403 || status === 404;
  return new RequestError(`HTTP ${status}: ${message}`, retryable, status, retryAfterMs, fatal);
}
