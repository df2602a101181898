import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { renderHtmlReport } from '../../core/results/renderHtmlReport';
import { resultsTables, tableToCsv, tableToJson } from '../../core/results/resultsTables';
import type { ResultsView, RunComparison } from '../../core/results/types';

/**
 * Saves a table (CSV/JSON), the whole view (JSON) or the self-contained HTML report where the user chooses.
 * Returns the saved path, or null when the dialog was cancelled. Never overwrites without the dialog's consent.
 */
export async function exportResults(extensionUri: vscode.Uri, view: ResultsView, comparison: RunComparison | null, format: 'csv' | 'json' | 'html', table: string | undefined, defaultDir: vscode.Uri | undefined): Promise<string | null> {
  const tables = resultsTables(view, comparison);
  const pick = table ? tables.find((t) => t.name === table) : undefined;
  if (table && !pick) throw new Error(`no table "${table}" (have ${tables.map((t) => t.name).join(', ')})`);
  if (format === 'csv' && !pick) throw new Error('CSV export needs a table');
  const ext = format === 'html' ? 'html' : format;
  const name = `${view.runId}${pick ? `.${pick.name}` : format === 'html' ? '.report' : ''}.${ext}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultDir ? vscode.Uri.joinPath(defaultDir, name) : undefined,
    filters: format === 'html' ? { 'HTML report': ['html'] } : format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    title: `Export ${pick ? `the ${pick.name} table` : format === 'html' ? 'the HTML report' : 'all results'}`,
  });
  if (!target) return null;
  let text: string;
  if (format === 'html') text = htmlReport(extensionUri, view, comparison);
  else if (pick) text = format === 'csv' ? tableToCsv(pick) : tableToJson(pick);
  else text = JSON.stringify({ view, comparison, tables }, null, 2);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  return target.fsPath;
}

/** The HTML report with the shipped webview bundle and styles inlined. */
export function htmlReport(extensionUri: vscode.Uri, view: ResultsView, comparison: RunComparison | null): string {
  const read = (...p: string[]) => fs.readFileSync(vscode.Uri.joinPath(extensionUri, ...p).fsPath, 'utf8');
  return renderHtmlReport({ view, comparison, script: read('dist', 'webview', 'results.js'), css: [read('media', 'webview.css')], generatedAt: new Date().toISOString() });
}
