// The shared state of the results webview and the calls every view uses (requests, persistence, exports).
import type { ResultsPanelState, ResultsRequests, ResultsRunSummary } from '../../src/shared/protocol';
import type { ExportTable, ResultsView, RunComparison } from '../../src/core/results/types';
import { request, setState } from '../common/bridge';
import { resultsTables, tableToCsv, tableToJson } from '../../src/core/results/resultsTables';

export interface ResultsContext {
  view: ResultsView | null;
  comparison: RunComparison | null;
  runs: ResultsRunSummary[];
  runUri?: string;
  standalone: boolean;
  state: ResultsPanelState;
}

export const ctx: ResultsContext = { view: null, comparison: null, runs: [], standalone: false, state: {} };

/** Persists the UI state (restored by the host after a reload, see ResultsPanel.revive). */
export function saveState(patch: Partial<ResultsPanelState>): void {
  Object.assign(ctx.state, patch);
  setState({ kind: 'results', version: 1, data: ctx.state });
}

/** A typed request to the host. */
export function call<M extends keyof ResultsRequests>(method: M, params: ResultsRequests[M]['params'], timeoutMs?: number): Promise<ResultsRequests[M]['result']> {
  return request<ResultsRequests[M]['result']>(method, params, timeoutMs);
}

/** Exports a table: through the host's save dialog, or as a download in the standalone HTML report. */
export async function exportTable(format: 'csv' | 'json' | 'html', table?: string): Promise<string | null> {
  if (!ctx.standalone) return call('export', { format, table }, 120000);
  if (!ctx.view) return null;
  const tables = resultsTables(ctx.view, ctx.comparison);
  const pick: ExportTable | undefined = tables.find((t) => t.name === table);
  const text = format === 'csv' && pick ? tableToCsv(pick) : pick ? tableToJson(pick) : JSON.stringify({ view: ctx.view, comparison: ctx.comparison, tables }, null, 2);
  const name = `${ctx.view.runId}${pick ? `.${pick.name}` : ''}.${format === 'csv' && pick ? 'csv' : 'json'}`;
  const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
