import { standaloneHtmlPage } from '../results/renderHtmlReport';
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


/**
 * A self-contained HTML report of a culture run: the report data, CSS and the dashboard UI inlined; no network
 * (the CSP forbids it); opens in any browser. Static tables (summary, deltas) for readers without scripts.
 */
export function renderCultureHtmlReport(parts: CultureHtmlParts): string {
  const report = parts.comparison ? { ...parts.report, comparison: parts.comparison } : parts.report;
  return standaloneHtmlPage({
    title: `Culture alignment — ${report.experimentName} (${report.runId})`, panel: 'culture', data: { report },
    tables: cultureReportTables(report).filter((t) => t.name !== 'questions'), shim: SHIM, css: parts.css, script: parts.script, generatedAt: parts.generatedAt,
  });
}
