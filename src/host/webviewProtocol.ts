import type * as vscode from 'vscode';
import type { ResponseEnvelope } from '../shared/protocol';
import { isObject, isReadyMessage, isRequestEnvelope } from '../shared/protocol';

export type RequestHandler = (params: unknown) => Promise<unknown> | unknown;

export interface ProtocolHandlers {
  /** The webview loaded (first time or after a reload); `restoredState` is what it had saved. */
  onReady(restoredState: unknown): void | Promise<void>;
  /** Any other validated message (with a string `type`). */
  onMessage?(message: Record<string, unknown> & { type: string }): void | Promise<void>;
  /** Request handlers by method; every request gets exactly one response. */
  requests?: Record<string, RequestHandler>;
}

/**
 * Host side of the protocol: validates every incoming message, answers requests (errors become `ok: false`
 * responses, never unhandled rejections) and reports problems to `onError` instead of throwing.
 */
export function attachProtocol(webview: vscode.Webview, handlers: ProtocolHandlers, onError: (e: unknown) => void): vscode.Disposable {
  return webview.onDidReceiveMessage(async (m: unknown) => {
    try {
      if (isReadyMessage(m)) {
        await handlers.onReady(m.restoredState);
      } else if (isRequestEnvelope(m)) {
        const handler = handlers.requests?.[m.method];
        let response: ResponseEnvelope;
        if (!handler) {
          response = { type: 'response', id: m.id, ok: false, error: `unknown method ${m.method}` };
        } else {
          try {
            response = { type: 'response', id: m.id, ok: true, result: await handler(m.params) };
          } catch (e) {
            response = { type: 'response', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
          }
        }
        await webview.postMessage(response);
      } else if (isObject(m) && typeof m.type === 'string') {
        await handlers.onMessage?.(m as Record<string, unknown> & { type: string });
      } else {
        onError(new Error(`ignored malformed webview message: ${JSON.stringify(m)?.slice(0, 200)}`));
      }
    } catch (e) {
      onError(e);
    }
  });
}
