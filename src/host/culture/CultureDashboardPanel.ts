import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { cultureReportTables } from '../../core/culture/cultureReportTables';
import type { CultureComparison, CultureReport } from '../../core/culture/cultureReportTypes';
import { renderCultureHtmlReport } from '../../core/culture/renderCultureHtmlReport';
import { buildCultureReport, compareSides, loadCultureRun } from '../../core/culture/scoreCultureRun';
import { tableToCsv, tableToJson } from '../../core/results/resultsTables';
import type { CulturePanelState, CultureRequests, CultureSideRef, CultureToWebview, PersistedPanelState } from '../../shared/protocol';
import { isObject } from '../../shared/protocol';
import { restoredRun, runOfWorkspace } from '../results/findRuns';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';
import { findCultureRuns, pickCultureRun } from './findCultureRuns';

/**
 * The Culture dashboard: one per window. Loads and scores a culture run (cached per folder until its files change),
 * sends the report to the webview and answers its requests (open another run, compare two sides, export).
 */
export class CultureDashboardPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.culture';
  private static current: CultureDashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private report: CultureReport | undefined;
  private comparison: CultureComparison | null = null;
  private pending: vscode.Uri | undefined;
  private ready = false;
  private readonly cache = new Map<string, { stamp: string; report: CultureReport }>();

  /** The report shown now (tests, other commands). */
  static snapshot(): { runId: string; cultures: string[]; conditions: number; comparison: CultureComparison | null; title: string } | undefined {
    const p = CultureDashboardPanel.current;
    return p?.report ? { runId: p.report.runId, cultures: p.report.cultures.map((c) => c.id), conditions: p.report.scores.length, comparison: p.comparison ?? p.report.comparison, title: p.panel.title } : undefined;
  }

  static async show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, run?: unknown): Promise<CultureDashboardPanel> {
    const target = runArgument(run) ?? await pickCultureRun(await findCultureRuns());
    if (CultureDashboardPanel.current) {
      CultureDashboardPanel.current.panel.reveal();
      if (target) await CultureDashboardPanel.current.open(target);
      return CultureDashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(CultureDashboardPanel.viewType, 'Culture Dashboard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    CultureDashboardPanel.current = new CultureDashboardPanel(panel, extensionUri, log, target);
    return CultureDashboardPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
    panel.webview.options = webviewOptions(extensionUri);
    CultureDashboardPanel.current = new CultureDashboardPanel(panel, extensionUri, log, undefined);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, initial: vscode.Uri | undefined) {
    this.pending = initial;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'culture', 'Culture Dashboard');
    const requests: { [M in keyof CultureRequests]: (params: unknown) => Promise<CultureRequests[M]['result']> } = {
      // The webview is untrusted input: it may name only runs of this workspace (findRuns.ts, docs/security.md).
      openRun: async (p) => { await this.open(runOfWorkspace(param(p, 'uri', isString))); return null; },
      compare: async (p) => this.compare(param(p, 'a', isSide), param(p, 'b', isSide)),
      export: async (p) => this.export(param(p, 'format', (v): v is 'csv' | 'json' | 'html' => v === 'csv' || v === 'json' || v === 'html'), isObject(p) && typeof p.table === 'string' ? p.table : undefined),
    };
    this.disposables.push(
      attachProtocol(panel.webview, { onReady: (state) => this.onReady(state), requests }, (e) => this.log.error(String(e))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async onReady(restored: unknown): Promise<void> {
    this.ready = true;
    const runs = await findCultureRuns();
    await this.post({ type: 'culture/runs', runs });
    const saved = restoredState(restored);
    const target = this.pending ?? (saved?.runUri ? restoredRun(saved.runUri, this.log) : undefined) ?? (runs.length === 1 ? vscode.Uri.parse(runs[0]!.uri) : undefined);
    this.pending = undefined;
    if (target) await this.open(target);
  }

  /** Loads (or reuses) and scores a culture run and sends it; errors become a notice in the panel. */
  async open(runUri: vscode.Uri): Promise<void> {
    if (!this.ready) {
      this.pending = runUri;
      return;
    }
    const label = vscode.workspace.asRelativePath(runUri);
    await this.post({ type: 'culture/loading', label });
    try {
      const t0 = performance.now();
      this.report = this.load(runUri);
      this.comparison = null;
      this.panel.title = `Culture: ${this.report.runId}`;
      this.log.info(`culture: ${label} loaded and scored in ${(performance.now() - t0).toFixed(0)} ms`);
      await this.post({ type: 'culture/runs', runs: await findCultureRuns() });
      await this.post({ type: 'culture/report', report: this.report, runUri: runUri.toString() });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`culture: cannot open ${label}: ${msg}`);
      await this.post({ type: 'notice', level: 'error', text: `Cannot open ${label}: ${msg}` });
    }
  }

  private load(runUri: vscode.Uri): CultureReport {
    const dir = runUri.fsPath;
    const stamp = fileStamp(dir);
    const hit = this.cache.get(dir);
    if (hit && hit.stamp === stamp) return hit.report;
    const report = buildCultureReport(loadCultureRun(dir));
    this.cache.set(dir, { stamp, report });
    return report;
  }

  private compare(a: CultureSideRef, b: CultureSideRef): CultureComparison {
    const ra = this.load(runOfWorkspace(a.runUri));
    const rb = this.load(runOfWorkspace(b.runUri));
    for (const [r, s] of [[ra, a], [rb, b]] as const) if (!r.models.includes(s.model)) throw new Error(`no model "${s.model}" in run ${r.runId}`);
    this.comparison = compareSides(ra, { runId: ra.runId, model: a.model, template: a.template }, rb, { runId: rb.runId, model: b.model, template: b.template });
    return this.comparison;
  }

  private async export(format: 'csv' | 'json' | 'html', table: string | undefined): Promise<string | null> {
    if (!this.report) throw new Error('no culture run loaded');
    const report: CultureReport = { ...this.report, comparison: this.comparison ?? this.report.comparison };
    const tables = cultureReportTables(report);
    const pick = table ? tables.find((t) => t.name === table) : undefined;
    if (table && !pick) throw new Error(`no table "${table}" (have ${tables.map((t) => t.name).join(', ')})`);
    if (format === 'csv' && !pick) throw new Error('CSV export needs a table');
    const name = `${report.runId}${pick ? `.${pick.name}` : format === 'html' ? '.report' : ''}.${format}`;
    const dir = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, name) : undefined,
      filters: format === 'html' ? { 'HTML report': ['html'] } : format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      title: `Export ${pick ? `the ${pick.name} table` : format === 'html' ? 'the HTML report' : 'the culture report'}`,
    });
    if (!target) return null;
    let text: string;
    if (format === 'html') {
      const read = (...p: string[]) => fs.readFileSync(vscode.Uri.joinPath(this.extensionUri, ...p).fsPath, 'utf8');
      text = renderCultureHtmlReport({ report, script: read('dist', 'webview', 'culture.js'), css: [read('media', 'webview.css')], generatedAt: new Date().toISOString() });
    } else if (pick) text = format === 'csv' ? tableToCsv(pick) : tableToJson(pick);
    else text = JSON.stringify({ report, tables }, null, 2);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.log.info(`culture: exported ${format}${table ? ` ${table}` : ''} to ${target.fsPath}`);
    return target.fsPath;
  }

  private async post(m: CultureToWebview): Promise<void> {
    await this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (CultureDashboardPanel.current === this) CultureDashboardPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4000;
const isSide = (v: unknown): v is CultureSideRef => isObject(v) && isString(v.runUri) && isString(v.model) && isString(v.template);

function param<T>(params: unknown, key: string, ok: (v: unknown) => v is T): T {
  const v = isObject(params) ? params[key] : undefined;
  if (!ok(v)) throw new Error(`invalid parameter "${key}"`);
  return v;
}

/** A run directory from a command argument: a Uri, a tree node `{ uri }`, or a path / URI string (a manifest → its folder). */
function runArgument(arg: unknown): vscode.Uri | undefined {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (isObject(arg) && arg.uri instanceof vscode.Uri) uri = arg.uri;
  else if (isString(arg)) uri = /^[a-z][\w+.-]+:\/\//i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return uri && uri.path.endsWith('/manifest.json') ? vscode.Uri.joinPath(uri, '..') : uri;
}

function restoredState(s: unknown): CulturePanelState | undefined {
  const p = s as PersistedPanelState | undefined;
  return isObject(p) && p.kind === 'culture' && isObject(p.data) ? (p.data as CulturePanelState) : undefined;
}

function fileStamp(dir: string): string {
  const stat = (f: string) => { try { const s = fs.statSync(`${dir}/${f}`); return `${s.size}:${s.mtimeMs}`; } catch { return '-'; } };
  return `${stat('manifest.json')}|${stat('responses.jsonl')}|${stat('culture-truth.json')}`;
}

