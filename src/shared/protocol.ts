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

export type PanelKind = 'preview' | 'results' | 'culture' | 'augment';

/** The JSON a webview keeps across reloads (setState) and the serializer hands back. */
export interface PersistedPanelState {
  kind: PanelKind;
  version: 1;
  data: unknown;
}

// ---- Results panel (#6) ----------------------------------------------------------------------------------
// Host → webview: `results` (a run's view model, sent after `ready` and after `openRun`), `runs` (the run list),
// `loading`, `notice`. Webview → host: requests by `ResultsMethod` with `ResultsRequests[method]` params.

import type { LiveSnapshot } from '../core/live/RunMonitor';
import type { DrillDown, PersonaQuestionCell, ResultsView, RunComparison } from '../core/results/types';

/** A run found in the workspace, for the run pickers. */
export interface ResultsRunSummary {
  /** Run directory, workspace-relative (as shown) and as a URI string (to open). */
  label: string;
  uri: string;
  runId: string;
  experimentName: string;
  createdAt: string;
  recorded: boolean;
  status?: string;
}

export interface ResultsMessage {
  type: 'results';
  view: ResultsView;
  comparison?: RunComparison | null;
  /** URI string of the run directory shown. */
  runUri?: string;
  /** True in the exported HTML report (no extension host behind it). */
  standalone?: boolean;
}
export interface ResultsRunsMessage { type: 'runs'; runs: ResultsRunSummary[] }
export interface ResultsLoadingMessage { type: 'loading'; label: string }
/** A run in progress: its live snapshot (throttled by the engine), until the run ends and `results` follows. */
export interface ResultsLiveMessage {
  type: 'live';
  live: LiveSnapshot;
  /** URI string of the run directory. */
  runUri: string;
  experimentName: string;
  /** Condition id → label. */
  labels: Record<string, string>;
}
export type ResultsToWebview = ResultsMessage | ResultsRunsMessage | ResultsLoadingMessage | ResultsLiveMessage | NoticeMessage;

/** Webview → host after it drew a live snapshot (or a results view): what is on screen, for tests and logs. */
export interface ResultsPaintedMessage {
  type: 'results/painted';
  kind: 'live' | 'results';
  runUri: string;
  /** Records in the snapshot drawn (live). */
  records: number;
  /** The headline delta and the stop reason as shown. */
  delta: string;
  stop: string | null;
}

/** Request params and results of the results panel, by method. */
export interface ResultsRequests {
  /** Recompute the view for another headline pair (delta = pair[1] − pair[0]). */
  setPair: { params: { pair: [string, string] }; result: ResultsView };
  /** Load another run (the host then sends `results`). */
  openRun: { params: { uri: string }; result: null };
  /** Compare the shown run (after) with another one (before). */
  compare: { params: { beforeUri: string }; result: RunComparison };
  personaCells: { params: { personaId: string }; result: PersonaQuestionCell[] };
  drill: { params: { personaId: string; questionId: string }; result: DrillDown };
  openTemplate: { params: { condition: string; line: number }; result: null };
  /** Save a table (csv/json), everything (json) or the HTML report; resolves to the saved path or null (cancelled). */
  export: { params: { format: 'csv' | 'json' | 'html'; table?: string }; result: string | null };
  /** Resume the shown run (stopped early by a stop rule) past its stop: every persona is asked. */
  continuePastStop: { params: Record<string, never>; result: null };
}
export type ResultsMethod = keyof ResultsRequests;

/** What the results webview persists (inside PersistedPanelState.data). */
export interface ResultsPanelState {
  runUri?: string;
  pair?: [string, string];
  tab?: string;
  field?: string;
  search?: string;
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  filters?: Record<string, string[]>;
  deltaSign?: 'gain' | 'loss' | 'any';
  personaId?: string;
  questionId?: string;
  compareUri?: string;
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

// ---- Preview panel (issue #5) ---------------------------------------------------------------------------
// Host → webview: the catalog (pickers) once per workspace load, then one `preview/render` per render
// (stamped with a version: the webview drops anything older than what it shows), `preview/estimate` when
// the whole-experiment estimate is ready, `preview/empty` when there is nothing to preview.
// Webview → host: selection changes, jump to a diagnostic, run for the persona, and a `painted` ack.
import type { ExperimentEstimate, PaneMode, PreviewCatalog, PreviewRender, PreviewSelection } from '../core/preview/previewModel';

export interface PreviewCatalogMessage { type: 'preview/catalog'; catalog: PreviewCatalog }
export interface PreviewRenderMessage { type: 'preview/render'; render: PreviewRender }
export interface PreviewEstimateMessage { type: 'preview/estimate'; estimate: ExperimentEstimate | null; error?: string }
export interface PreviewEmptyMessage { type: 'preview/empty'; reason: string }
export type PreviewToWebview = PreviewCatalogMessage | PreviewRenderMessage | PreviewEstimateMessage | PreviewEmptyMessage | NoticeMessage;

export interface PreviewSelectMessage { type: 'preview/select'; selection: PreviewSelection }
export interface PreviewOpenSourceMessage { type: 'preview/openSource'; file: string; line: number; column: number }
export interface PreviewRunMessage { type: 'preview/runForPersona' }
/** The webview drew render `version` (after the next animation frame); `at` is its Date.now(). */
export interface PreviewPaintedMessage { type: 'preview/painted'; version: number; at: number }
export type PreviewFromWebview = PreviewSelectMessage | PreviewOpenSourceMessage | PreviewRunMessage | PreviewPaintedMessage;

/** What the preview webview keeps across reloads (inside PersistedPanelState.data). */
export interface PreviewPersistedData {
  /** Workspace-relative template the preview showed. */
  template?: string;
  selection: PreviewSelection;
  mode: PaneMode;
  syncScroll: boolean;
  query: string;
  /** Scroll offset of the panes per template base. */
  scroll: Record<string, number>;
}

/** Validates a message from the preview webview; anything malformed → undefined (and is ignored). */
export function parsePreviewFromWebview(m: unknown): PreviewFromWebview | undefined {
  if (!isObject(m)) return undefined;
  const optStr = (v: unknown) => v === undefined || (typeof v === 'string' && v.length < 500);
  const isPos = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  switch (m.type) {
    case 'preview/select': {
      const s = m.selection;
      if (!isObject(s) || !optStr(s.personaId) || !optStr(s.questionId) || !optStr(s.modelId)) return undefined;
      if (s.variant !== undefined && !(Number.isInteger(s.variant) && (s.variant as number) >= 0)) return undefined;
      return { type: 'preview/select', selection: { personaId: s.personaId as string | undefined, questionId: s.questionId as string | undefined, variant: s.variant as number | undefined, modelId: s.modelId as string | undefined } };
    }
    case 'preview/openSource':
      return typeof m.file === 'string' && m.file.length < 1000 && isPos(m.line) && isPos(m.column)
        ? { type: 'preview/openSource', file: m.file, line: m.line as number, column: m.column as number } : undefined;
    case 'preview/runForPersona':
      return { type: 'preview/runForPersona' };
    case 'preview/painted':
      return Number.isInteger(m.version) && typeof m.at === 'number' ? { type: 'preview/painted', version: m.version as number, at: m.at } : undefined;
    default:
      return undefined;
  }
}

// ---- Culture dashboard (issue #14) -----------------------------------------------------------------------
// Host → webview: `culture/report` (a culture run's scored report, after `ready` and after `openRun`), `culture/runs`
// (the culture runs of the workspace, for the pickers), `culture/loading`, `notice`. The drill-down to a question
// needs no request (the report holds both distributions); comparing two sides of any two runs does.
import type { CultureComparison, CultureReport } from '../core/culture/cultureReportTypes';

export interface CultureRunSummary {
  label: string;
  uri: string;
  runId: string;
  experimentName: string;
  createdAt: string;
  recorded: boolean;
  status?: string;
  models: string[];
  templates: string[];
}
export interface CultureReportMessage { type: 'culture/report'; report: CultureReport; runUri?: string; standalone?: boolean }
export interface CultureRunsMessage { type: 'culture/runs'; runs: CultureRunSummary[] }
export interface CultureLoadingMessage { type: 'culture/loading'; label: string }
export type CultureToWebview = CultureReportMessage | CultureRunsMessage | CultureLoadingMessage | NoticeMessage;

/** One side of a comparison: a model under a template pattern, in a run. */
export interface CultureSideRef { runUri: string; model: string; template: string }
export interface CultureRequests {
  openRun: { params: { uri: string }; result: null };
  /** Paired deltas b − a per culture and metric (the two sides may come from two runs). */
  compare: { params: { a: CultureSideRef; b: CultureSideRef }; result: CultureComparison };
  /** Save a table (csv/json), the whole report (json) or the self-contained HTML report; the saved path or null. */
  export: { params: { format: 'csv' | 'json' | 'html'; table?: string }; result: string | null };
}

/** What the culture dashboard persists (inside PersistedPanelState.data). */
export interface CulturePanelState {
  runUri?: string;
  tab?: 'overview' | 'questions' | 'compare';
  metric?: 'jsd' | 'wasserstein' | 'accuracy';
  culture?: string;
  questionId?: string;
  sortKey?: string;
  compareA?: CultureSideRef;
  compareB?: CultureSideRef;
}

// ---- Augmentation review (issue #14) ---------------------------------------------------------------------
// Host → webview: `augment/state` (the decisions file as it is on disk now, τ applied). Webview → host: requests
// `decide` and `undo`, each answered with the new state after the file was written.
import type { AugmentationFile, ReviewProgress } from '../core/culture/augmentationTypes';

export interface AugmentStateMessage {
  type: 'augment/state';
  /** Workspace-relative path of the decisions file, and its URI (what the webview saves to reopen it). */
  file: string;
  fileUri: string;
  augmentation: AugmentationFile;
  progress: ReviewProgress;
  tau: number;
  /** The candidate the last undo restored (to select it). */
  undone?: string;
}
export type AugmentToWebview = AugmentStateMessage | NoticeMessage;
export interface AugmentRequests {
  decide: { params: { id: string; action: 'accept' | 'reject' | 'reset'; edited?: string }; result: AugmentStateMessage };
  undo: { params: Record<string, never>; result: AugmentStateMessage };
}
export interface AugmentPanelState { fileUri?: string; selected?: string; filter?: 'all' | 'pending' | 'passed' | 'failed' }
