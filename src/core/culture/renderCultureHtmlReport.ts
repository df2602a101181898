import { THEME_FALLBACK } from '../results/renderHtmlReport';
import { cultureReportTables } from './cultureReportTables';
import type { CultureComparison, CultureReport } from './cultureReportTypes';

export interface CultureHtmlParts {
  report: CultureReport;
  /** The comparison shown (when it is not the report's own). */
  comparison?: CultureComparison | null;
  /** The culture dashboard bundle (dist/webview/culture.js): the report runs the same UI offline. */
  script: string;
  css: string[];
  generatedAt?: string;
}

// Stands in for the VS Code webview API: answers `ready` with the inline report; requests fail with a clear message.
const SHIM = `(()=>{const data=JSON.parse(document.getElementById('report-data').textContent);let state;
const reply=(m)=>setTimeout(()=>window.dispatchEvent(new MessageEvent('message',{data:m})),0);
window.acquireVsCodeApi=()=>({getState:()=>state,setState:(s)=>{state=s},postMessage:(m)=>{
if(m&&m.type==='ready'){reply({type:'culture/report',report:data.report,standalone:true});}
else if(m&&m.type==='request'){reply({type:'response',id:m.id,ok:false,error:'Not available in the exported report: open the run in VS Code (Alignment Studio: Open Culture Dashboard).'});}}});})();`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const inlineSafe = (s: string, tag: 'script' | 'style'): string => s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

/**
 * A self-contained HTML report of a culture run: the report data, CSS and the dashboard UI inlined; no network
 * (the CSP forbids it); opens in any browser. Static tables (summary, deltas) for readers without scripts.
 */
export function renderCultureHtmlReport(parts: CultureHtmlParts): string {
  const report = parts.comparison ? { ...parts.report, comparison: parts.comparison } : parts.report;
  const title = `Culture alignment — ${report.experimentName} (${report.runId})`;
  const json = JSON.stringify({ report }).replace(/</g, '\\u003c');
  const tables = cultureReportTables(report).filter((t) => t.name !== 'questions');
  const staticTables = tables.map((t) => `<h3>${escapeHtml(t.name)}</h3><table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${
    t.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v === null ? '' : String(v))}</td>`).join('')}</tr>`).join('')}</tbody></table>`).join('\n');
  const csp = `default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Alignment Studio${parts.generatedAt ? ` ${escapeHtml(parts.generatedAt)}` : ''}">
<title>${escapeHtml(title)}</title>
<style>${inlineSafe(THEME_FALLBACK, 'style')}</style>
${parts.css.map((c) => `<style>${inlineSafe(c, 'style')}</style>`).join('\n')}
</head>
<body data-panel="culture" data-standalone="true">
<div id="app" role="main" aria-busy="true"></div>
<noscript><h1>${escapeHtml(title)}</h1>${staticTables}</noscript>
<script type="application/json" id="report-data">${json}</script>
<script>${inlineSafe(SHIM, 'script')}</script>
<script type="module">${inlineSafe(parts.script.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'), 'script')}</script>
</body>
</html>
`;
}
