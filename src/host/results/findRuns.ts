import * as vscode from 'vscode';
import type { RunManifest } from '../../core/experiment';
import type { ResultsRunSummary } from '../../shared/protocol';

/** Runs in the workspace (`**\/.alignment/runs/*\/manifest.json`), newest first. Unreadable manifests are skipped. */
export async function findRuns(): Promise<ResultsRunSummary[]> {
  const files = await vscode.workspace.findFiles('**/.alignment/runs/*/manifest.json', '**/node_modules/**', 500);
  const runs: ResultsRunSummary[] = [];
  for (const f of files) {
    try {
      const m = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(f))) as RunManifest;
      const dir = vscode.Uri.joinPath(f, '..');
      runs.push({
        label: vscode.workspace.asRelativePath(dir), uri: dir.toString(), runId: m.runId ?? dir.path.split('/').pop() ?? '',
        experimentName: m.experiment?.name ?? '', createdAt: m.createdAt ?? '', recorded: m.recorded === true, status: m.status,
      });
    } catch {
      // A manifest being written or broken: not a run we can open yet.
    }
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.label.localeCompare(b.label));
}

/** Asks which run to open (none → undefined; a single run is picked without asking). */
export async function pickRun(runs: ResultsRunSummary[], title = 'Open results of which run?'): Promise<vscode.Uri | undefined> {
  if (runs.length <= 1) return runs[0] ? vscode.Uri.parse(runs[0].uri) : undefined;
  const pick = await vscode.window.showQuickPick(runs.map((r) => ({
    label: r.runId, description: `${r.experimentName}${r.recorded ? ' · recorded' : ''}${r.status ? ` · ${r.status}` : ''}`,
    detail: `${r.label} · ${r.createdAt.replace('T', ' ').slice(0, 19)}`, uri: r.uri,
  })), { title, matchOnDescription: true, matchOnDetail: true });
  return pick ? vscode.Uri.parse(pick.uri) : undefined;
}
