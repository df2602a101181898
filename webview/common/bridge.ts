// The webview side of src/shared/protocol.ts: typed posting, the `ready` handshake, requests that always settle,
// and state persistence through the VS Code webview API (restored after a window reload).
import type { ReadyMessage, RequestEnvelope, ResponseEnvelope } from '../../src/shared/protocol';
import { isObject } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

export function post<M extends { type: string }>(message: M): void {
  api.postMessage(message);
}

export function getState<S>(): S | undefined {
  return (api.getState() as S | undefined) ?? undefined;
}

export function setState<S>(state: S): void {
  api.setState(state);
}

/** Sends `ready` (with the restored state) and routes host messages to `onMessage`; responses settle requests. */
export function connect(onMessage: (message: Record<string, unknown> & { type: string }) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isObject(m) || typeof m.type !== 'string') return; // ignore anything that is not ours
    if (m.type === 'response' && typeof m.id === 'number') {
      const r = m as unknown as ResponseEnvelope;
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      clearTimeout(p.timer);
      if (r.ok) p.resolve(r.result);
      else p.reject(new Error(r.error ?? 'request failed'));
      return;
    }
    onMessage(m as Record<string, unknown> & { type: string });
  });
  const ready: ReadyMessage = { type: 'ready', restoredState: api.getState() ?? undefined };
  post(ready);
}

/** A request to the host; rejects after `timeoutMs` so no promise is left hanging. */
export function request<R>(method: string, params: unknown, timeoutMs = 15000): Promise<R> {
  const id = nextId++;
  const envelope: RequestEnvelope = { type: 'request', id, method, params };
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`request ${method} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    post(envelope);
  });
}
