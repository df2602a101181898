import type { ResultsView, RunComparison } from './types';
import { resultsTables } from './resultsTables';

export interface HtmlReportParts {
  view: ResultsView;
  comparison?: RunComparison | null;
  /** The results webview bundle (dist/webview/results.js): the report runs the same UI offline. */
  script: string;
  /** Stylesheets to inline (media/webview.css, …). */
  css: string[];
  generatedAt?: string;
}

// Outside VS Code no --vscode-* variables exist: these defaults (light, and dark by the OS setting) stand in.
export const THEME_FALLBACK = `:root{--vscode-font-family:system-ui,-apple-system,"Segoe UI",sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:ui-monospace,Menlo,Consolas,monospace;--vscode-editor-font-size:12px;
--vscode-foreground:#3b3b3b;--vscode-editor-background:#ffffff;--vscode-descriptionForeground:#717171;--vscode-focusBorder:#005fb8;--vscode-widget-border:#e5e5e5;
--vscode-textBlockQuote-background:#f2f2f2;--vscode-errorForeground:#d13438;--vscode-charts-blue:#1a85ff;--vscode-charts-orange:#d18616;--vscode-charts-green:#388a34;
--vscode-charts-red:#e51400;--vscode-charts-purple:#652d90;--vscode-charts-yellow:#bf8803;--vscode-charts-lines:rgba(0,0,0,.2);--vscode-button-background:#005fb8;--vscode-button-foreground:#fff;
--vscode-button-secondaryBackground:#e5e5e5;--vscode-button-secondaryForeground:#3b3b3b;--vscode-input-background:#fff;--vscode-input-foreground:#3b3b3b;--vscode-input-border:#cecece;
--vscode-list-hoverBackground:#f2f2f2;--vscode-list-activeSelectionBackground:#e8e8e8;--vscode-textLink-foreground:#005fb8;--vscode-sideBar-background:#f8f8f8;--vscode-panel-border:#e5e5e5}
@media (prefers-color-scheme: dark){:root{--vscode-foreground:#cccccc;--vscode-editor-background:#1f1f1f;--vscode-descriptionForeground:#9d9d9d;--vscode-widget-border:#313131;
--vscode-textBlockQuote-background:#2b2b2b;--vscode-charts-blue:#3794ff;--vscode-charts-orange:#d18616;--vscode-charts-green:#89d185;--vscode-charts-red:#f14c4c;--vscode-charts-purple:#b180d7;
--vscode-charts-yellow:#cca700;--vscode-charts-lines:rgba(255,255,255,.2);--vscode-button-secondaryBackground:#313131;--vscode-button-secondaryForeground:#ccc;--vscode-input-background:#313131;
--vscode-input-foreground:#ccc;--vscode-input-border:#3c3c3c;--vscode-list-hoverBackground:#2a2d2e;--vscode-list-activeSelectionBackground:#37373d;--vscode-textLink-foreground:#4daafc;
--vscode-sideBar-background:#181818;--vscode-panel-border:#2b2b2b}}`;

// Stands in for the VS Code webview API: answers `ready` with the inline data; requests that need the
// extension host (drill-down to raw responses, opening files) fail with a clear message.
const SHIM = `(()=>{const data=JSON.parse(document.getElementById('report-data').textContent);let state;
const reply=(m)=>setTimeout(()=>window.dispatchEvent(new MessageEvent('message',{data:m})),0);
window.acquireVsCodeApi=()=>({getState:()=>state,setState:(s)=>{state=s},postMessage:(m)=>{
if(m&&m.type==='ready'){reply({type:'results',view:data.view,comparison:data.comparison||null,standalone:true});}
else if(m&&m.type==='request'){reply({type:'response',id:m.id,ok:false,error:'Not available in the exported report: open the run in VS Code (Alignment Studio: Open Results).'});}}});})();`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Inline <script>/<style> content must never contain its own closing tag. */
const inlineSafe = (s: string, tag: 'script' | 'style'): string => s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

/**
 * A self-contained HTML report of a run: the data, CSS and the results UI inlined, no network access (the CSP
 * forbids it), opens in any browser without VS Code. Also carries static tables for readers without scripts.
 */
export function renderHtmlReport(parts: HtmlReportParts): string {
  const { view } = parts;
  const tables = resultsTables(view, parts.comparison).filter((t) => t.name === 'overview' || t.name === 'headline' || t.name === 'comparison');
  return standaloneHtmlPage({
    title: `Alignment results — ${view.experimentName} (${view.runId})`, panel: 'results', data: { view, comparison: parts.comparison ?? null },
    tables, shim: SHIM, css: parts.css, script: parts.script, generatedAt: parts.generatedAt,
  });
}

/** What a self-contained report page holds: its data, the panel's UI bundle, and static tables for readers without scripts. */
export interface StandalonePage {
  title: string;
  /** `data-panel` of the body: which UI the bundle draws. */
  panel: string;
  /** The report data (inlined as JSON in `#report-data`). */
  data: unknown;
  tables: { name: string; columns: string[]; rows: (string | number | null)[][] }[];
  /** Stands in for the VS Code webview API (reads `#report-data`). */
  shim: string;
  css: string[];
  script: string;
  generatedAt?: string;
}

/**
 * The one page shell of every exported HTML report (results, culture dashboard): strict CSP without network, theme
 * fallback, the bundle inlined (`</script>` / `</style>` in data or code made inert), a `<noscript>` table view.
 */
export function standaloneHtmlPage(p: StandalonePage): string {
  const json = JSON.stringify(p.data).replace(/</g, '\\u003c');
  const staticTables = p.tables.map((t) => `<h3>${escapeHtml(t.name)}</h3><table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${
    t.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v === null ? '' : String(v))}</td>`).join('')}</tr>`).join('')}</tbody></table>`).join('\n');
  const csp = `default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Alignment Studio${p.generatedAt ? ` ${escapeHtml(p.generatedAt)}` : ''}">
<title>${escapeHtml(p.title)}</title>
<style>${inlineSafe(THEME_FALLBACK, 'style')}</style>
${p.css.map((c) => `<style>${inlineSafe(c, 'style')}</style>`).join('\n')}
</head>
<body data-panel="${escapeHtml(p.panel)}" data-standalone="true">
<div id="app" role="main" aria-busy="true"></div>
<noscript><h1>${escapeHtml(p.title)}</h1>${staticTables}</noscript>
<script type="application/json" id="report-data">${json}</script>
<script>${inlineSafe(p.shim, 'script')}</script>
<script type="module">${inlineSafe(p.script.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'), 'script')}</script>
</body>
</html>
`;
}
