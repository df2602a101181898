// The one message protocol between the extension host and its webviews (both sides import these types).
// Shape follows VS Code's markdown preview messaging and GitLens' IPC: discriminated unions by `type`,
// a `ready` handshake from the webview, and requests with ids that always settle (see webview/common/bridge.ts).
//
// Each panel has its own pair of unions; add a panel's messages in its own section below.

/** Every webview says `ready` once its script has loaded; the host sends nothing before that. */
export interface ReadyMessage {
  type: 'ready';
  /** State restored by the webview itself (vscode.getState()), if any. */
  restoredState?: unknown;
}

/** A webview → host request; the host answers with a `response` carrying the same id. */
export interface RequestEnvelope<M extends string = string, P = unknown> {
  type: 'request';
  id: number;
  method: M;
  params: P;
}
export interface ResponseEnvelope<R = unknown> {
  type: 'response';
  id: number;
  ok: boolean;
  result?: R;
  error?: string;
}

/** Host → webview: shown as a notice bar (errors never produce a blank panel). */
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'warning' | 'error';
  text: string;
}

// ---- Panel messages -------------------------------------------------------------------------------------
// (the preview and results sections are defined by their features)

export type PanelKind = 'preview' | 'results';

/** The JSON a webview keeps across reloads (setState) and the serializer hands back. */
export interface PersistedPanelState {
  kind: PanelKind;
  version: 1;
  data: unknown;
}

/** Narrow an unknown message from a webview to one of the known handshake/envelope shapes. */
export function isReadyMessage(m: unknown): m is ReadyMessage {
  return isObject(m) && m.type === 'ready';
}

export function isRequestEnvelope(m: unknown): m is RequestEnvelope {
  return isObject(m) && m.type === 'request' && Number.isInteger(m.id) && typeof m.method === 'string';
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
