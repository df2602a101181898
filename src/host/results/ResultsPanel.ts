import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LiveSnapshot } from '../../core/live/RunMonitor';
import { workspaceOf } from '../../core/results/loadRunResults';
import { buildDrillDown } from '../../core/results/buildDrillDown';
import { buildResultsView } from '../../core/results/buildResultsView';
import { compareRuns } from '../../core/results/compareRuns';
import type { LoadedRun } from '../../core/results/loadRunResults';
import { loadRunResults } from '../../core/results/loadRunResults';
import { personaQuestionCells } from '../../core/results/personaQuestionCells';
import type { ResultsView, RunComparison } from '../../core/results/types';
import type { PersistedPanelState, ResultsLiveMessage, ResultsPaintedMessage, ResultsPanelState, ResultsRequests, ResultsToWebview } from '../../shared/protocol';
import { isObject } from '../../shared/protocol';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';
import { exportResults } from './exportResults';
import { findRuns, pickRun, restoredRun, runOfWorkspace } from './findRuns';
import { RestrictedModeError } from '../workspaceTrust';

/** A live snapshot of a run in progress, as the run engine hands it to the panel. */
export interface LiveUpdate {
  runDir: string;
  /** Absent for the run's start: the panel opens (or is taken over) and says the run is starting. */
  snapshot?: LiveSnapshot;
  experimentName: string;
  labels: Record<string, string>;
}

/** What the panel posted and the webview drew (`alignmentStudio.results.state`, for tests). */
export interface ResultsPanelSnapshot {
  livePosted: number;
  painted: ResultsPaintedMessage[];
}

/**
 * The results panel: one per window. Loads and scores a run (cached per run directory until its files change),
 * sends the view model to the webview, and answers its requests (pair change, drill-down, compare, export).
 * While a run goes it shows the run's live snapshots (`showLive`), then the run's results once it ends.
 */
export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.results';
  private static current: ResultsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private run: LoadedRun | undefined;
  private view: ResultsView | undefined;
  private comparison: RunComparison | null = null;
  private pending: vscode.Uri | undefined;
  private ready = false;
  private readonly cache = new Map<string, { stamp: string; run: Promise<LoadedRun> }>();
  private readonly requests: Record<string, (params: unknown) => Promise<unknown>>;

  /**
   * Answers a request exactly as if the webview had sent it (same validation): for the integration tests, which
   * cannot post from inside the webview. Rejects when no panel is open.
   */
  static request(method: string, params: unknown): Promise<unknown> {
    const handler = ResultsPanel.current?.requests[method];
    if (!handler) return Promise.reject(new Error(ResultsPanel.current ? `unknown method ${method}` : 'no results panel'));
    return handler(params);
  }

  private pendingLive: ResultsLiveMessage | undefined;
  /** A run is about to show here live: the ready handshake opens no other run. */
  private starting = false;
  private markReady: () => void = () => undefined;
  private readonly whenReady = new Promise<void>((resolve) => { this.markReady = resolve; });
  private static livePosted = 0;
  private static painted: ResultsPaintedMessage[] = [];

  /**
   * Shows a run's live snapshot: opens the panel when needed (without taking focus from the editor), else updates
   * it in place. The engine throttles snapshots to a few per second; only the latest pending one is kept.
   */
  static async showLive(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, update: LiveUpdate): Promise<void> {
    let current = ResultsPanel.current;
    if (!current) {
      const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, 'Alignment Results', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, webviewOptions(extensionUri));
      current = ResultsPanel.current = new ResultsPanel(panel, extensionUri, log, undefined);
    }
    if (!update.snapshot) {
      // The run is about to start: have the webview ready (at most a few seconds) so it follows the run from its start.
      current.starting = true;
      await Promise.race([current.whenReady, new Promise((r) => setTimeout(r, 5000))]);
      if (current.ready) await current.post({ type: 'loading', label: `${update.experimentName}: starting the run` });
      return;
    }
    current.postLive({ type: 'live', live: update.snapshot, runUri: vscode.Uri.file(update.runDir).toString(), experimentName: update.experimentName, labels: update.labels });
  }

  static snapshot(): ResultsPanelSnapshot {
    return { livePosted: ResultsPanel.livePosted, painted: [...ResultsPanel.painted] };
  }

  private postLive(message: ResultsLiveMessage): void {
    if (!this.ready) {
      this.pendingLive = message;
      return;
    }
    ResultsPanel.livePosted++;
    this.panel.title = `Live: ${message.live.runId}`;
    void this.post(message);
  }

  /** Opens (or reveals) the panel on a run; with no run, asks which one (QuickPick) when there are several. */
  static async show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, runUri?: unknown): Promise<ResultsPanel> {
    const target = runArgument(runUri) ?? await pickRun(await findRuns());
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal();
      if (target) await ResultsPanel.current.open(target);
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, 'Alignment Results', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, log, target);
    return ResultsPanel.current;
  }

  /** Restores the panel after a reload: the webview's saved state names the run (see onReady). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
    panel.webview.options = webviewOptions(extensionUri);
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, log, undefined);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, initial: vscode.Uri | undefined) {
    this.pending = initial;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'results', 'Alignment Results');
    const requests: { [M in keyof ResultsRequests]: (params: unknown) => Promise<ResultsRequests[M]['result']> } = {
      setPair: async (p) => this.setPair(param(p, 'pair', (v): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'))),
      // The webview is untrusted input: it may name only runs of this workspace (findRuns.ts).
      openRun: async (p) => { await this.open(runOfWorkspace(param(p, 'uri', isString))); return null; },
      compare: async (p) => this.compareWith(runOfWorkspace(param(p, 'beforeUri', isString))),
      personaCells: async (p) => personaQuestionCells(this.loaded().input, param(p, 'personaId', isString)),
      drill: async (p) => buildDrillDown(this.loaded(), param(p, 'personaId', isString), param(p, 'questionId', isString)),
      openTemplate: async (p) => { await this.openTemplate(param(p, 'condition', isString), param(p, 'line', (v): v is number => Number.isInteger(v))); return null; },
      continuePastStop: async () => {
        await this.continuePastStop();
        return null;
      },
      export: async (p) => {
        const format = param(p, 'format', (v): v is 'csv' | 'json' | 'html' => v === 'csv' || v === 'json' || v === 'html');
        const table = isObject(p) && typeof p.table === 'string' ? p.table : undefined;
        if (!this.view) throw new Error('no results loaded');
        if (!vscode.workspace.isTrusted) throw new RestrictedModeError('Exporting results (it writes a file)');
        const file = await exportResults(this.extensionUri, this.view, this.comparison, format, table, vscode.workspace.workspaceFolders?.[0]?.uri);
        if (file) this.log.info(`results: exported ${format}${table ? ` ${table}` : ''} to ${file}`);
        return file;
      },
    };
    this.requests = requests;
    this.disposables.push(
      attachProtocol(panel.webview, { onReady: (state) => this.onReady(state), onMessage: (m) => this.onMessage(m), requests }, (e) => this.log.error(String(e))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private onMessage(m: Record<string, unknown> & { type: string }): void {
    if (m.type !== 'results/painted' || (m.kind !== 'live' && m.kind !== 'results') || typeof m.runUri !== 'string') return;
    const painted: ResultsPaintedMessage = {
      type: 'results/painted', kind: m.kind, runUri: m.runUri, records: typeof m.records === 'number' ? m.records : 0,
      delta: typeof m.delta === 'string' ? m.delta.slice(0, 200) : '', stop: typeof m.stop === 'string' ? m.stop.slice(0, 500) : null,
    };
    ResultsPanel.painted.push(painted);
    if (ResultsPanel.painted.length > 200) ResultsPanel.painted.shift();
  }

  /** Resumes the shown run past its stop rule: "Run Experiment" on its experiment file, ignoring `scoring.stop`. */
  private async continuePastStop(): Promise<void> {
    const run = this.loaded();
    const rel = run.manifest.experimentFile;
    if (!rel) throw new Error('the run does not name its experiment file');
    const file = path.isAbsolute(rel) ? rel : path.resolve(workspaceOf(run.runDir, rel), rel);
    this.log.info(`results: continuing ${run.manifest.runId} past its stop`);
    void vscode.commands.executeCommand('alignmentStudio.runExperiment', vscode.Uri.file(file), { ignoreStop: true, resume: run.manifest.runId });
  }

  private async onReady(restored: unknown): Promise<void> {
    this.ready = true;
    this.markReady();
    if (this.pendingLive || this.starting) {
      const live = this.pendingLive;
      this.pendingLive = undefined;
      this.starting = false;
      if (live) this.postLive(live);
      await this.post({ type: 'runs', runs: await findRuns() });
      return;
    }
    const runs = await findRuns();
    await this.post({ type: 'runs', runs });
    const saved = restoredState(restored);
    const target = this.pending ?? (saved?.runUri ? restoredRun(saved.runUri, this.log) : undefined) ?? (runs.length === 1 ? vscode.Uri.parse(runs[0].uri) : undefined);
    this.pending = undefined;
    if (target) await this.open(target, saved?.pair);
  }

  /** Loads (or reuses) a run, builds the view and sends it; errors become a notice in the panel. */
  async open(runUri: vscode.Uri, pair?: [string, string]): Promise<void> {
    if (!this.ready) {
      this.pending = runUri;
      return;
    }
    const label = vscode.workspace.asRelativePath(runUri);
    await this.post({ type: 'loading', label });
    try {
      const t0 = performance.now();
      this.run = await this.load(runUri);
      const t1 = performance.now();
      // Paint at once with the quick view (group CIs pending), then send the full one.
      const quick = buildResultsView(this.run.inputFor(pair), { pair, breakdownResamples: 0 });
      const t2 = performance.now();
      this.view = quick;
      this.comparison = null;
      this.panel.title = `Results: ${quick.runId}`;
      await this.post({ type: 'results', view: quick, comparison: null, runUri: runUri.toString() });
      const t3 = performance.now();
      this.view = buildResultsView(this.run.inputFor(quick.pair), { pair: quick.pair ?? undefined });
      this.log.info(`results: ${label} ${this.run.fromSnapshot ? 'loaded from its score snapshot' : 'loaded and scored'} in ${(t1 - t0).toFixed(0)} ms, first view ${(t2 - t1).toFixed(0)} ms, full view ${(performance.now() - t3).toFixed(0)} ms`);
      await this.post({ type: 'results', view: this.view, comparison: null, runUri: runUri.toString() });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`results: cannot open ${label}: ${msg}`);
      await this.post({ type: 'notice', level: 'error', text: `Cannot open ${label}: ${msg}` });
    }
  }

  private load(runUri: vscode.Uri): Promise<LoadedRun> {
    const dir = runUri.fsPath;
    const stamp = fileStamp(dir);
    const hit = this.cache.get(dir);
    if (hit && hit.stamp === stamp) return hit.run;
    // Restricted Mode writes nothing and trusts no file a repository may have planted: no score snapshot then.
    const run = loadRunResults(dir, { snapshot: vscode.workspace.isTrusted });
    this.cache.set(dir, { stamp, run });
    run.catch(() => this.cache.delete(dir));
    return run;
  }

  private loaded(): LoadedRun {
    if (!this.run) throw new Error('no run loaded');
    return this.run;
  }

  private setPair(pair: [string, string]): ResultsView {
    this.view = buildResultsView(this.loaded().inputFor(pair), { pair });
    return this.view;
  }

  private async compareWith(before: vscode.Uri): Promise<RunComparison> {
    const other = await this.load(before);
    this.comparison = compareRuns(other.input, this.loaded().input);
    return this.comparison;
  }

  private async openTemplate(condition: string, line: number): Promise<void> {
    const run = this.loaded();
    const c = run.manifest.experiment.conditions.find((x) => x.id === condition);
    if (!c) throw new Error(`unknown condition ${condition}`);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(run.resolve(c.template)));
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preview: true });
  }

  private async post(m: ResultsToWebview): Promise<void> {
    await this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * The run directory a command argument names: a Uri (run engine, tree item click), a tree node `{ uri }` (inline
 * action; its uri is the manifest), or a path / URI string. Anything else: undefined (then we ask).
 */
function runArgument(arg: unknown): vscode.Uri | undefined {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (isObject(arg) && arg.uri instanceof vscode.Uri) uri = arg.uri;
  else if (isString(arg)) uri = /^[a-z][\w+.-]+:\/\//i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return uri && uri.path.endsWith('/manifest.json') ? vscode.Uri.joinPath(uri, '..') : uri;
}

/** A validated request parameter (the webview is untrusted input). */
function param<T>(params: unknown, key: string, ok: (v: unknown) => v is T): T {
  const v = isObject(params) ? params[key] : undefined;
  if (!ok(v)) throw new Error(`invalid parameter "${key}"`);
  return v;
}

/** A run named by the webview's saved state: only a run of this workspace (else none). */
function restoredState(s: unknown): ResultsPanelState | undefined {
  const p = s as PersistedPanelState | undefined;
  return isObject(p) && p.kind === 'results' && isObject(p.data) ? (p.data as ResultsPanelState) : undefined;
}

/** Size + mtime of the run's files: a finished or resumed run invalidates the cached scoring. */
function fileStamp(dir: string): string {
  const stat = (f: string) => { try { const s = fs.statSync(`${dir}/${f}`); return `${s.size}:${s.mtimeMs}`; } catch { return '-'; } };
  return `${stat('manifest.json')}|${stat('responses.jsonl')}`;
}
