import * as vscode from 'vscode';
import type { CultureRunManifest } from '../../core/culture/cultureExperiment';
import type { CultureRunSummary } from '../../shared/protocol';

/** Culture runs in the workspace (`**\/.alignment/culture-runs/*\/manifest.json`), newest first; unreadable ones skipped. */
export async function findCultureRuns(): Promise<CultureRunSummary[]> {
  const files = await vscode.workspace.findFiles('**/.alignment/culture-runs/*/manifest.json', '**/node_modules/**', 500);
  const runs: CultureRunSummary[] = [];
  for (const f of files) {
    try {
      const m = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(f))) as CultureRunManifest;
      if (m.kind !== 'culture') continue;
      const dir = vscode.Uri.joinPath(f, '..');
      runs.push({
        label: vscode.workspace.asRelativePath(dir), uri: dir.toString(), runId: m.runId, experimentName: m.experiment?.name ?? '', createdAt: m.createdAt ?? '',
        recorded: m.recorded === true, status: m.status, models: (m.culture?.models ?? []).map((x) => x.id), templates: m.culture?.templates ?? [],
      });
    } catch {
      // A manifest being written or broken: not a run we can open yet.
    }
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.label.localeCompare(b.label));
}

/** Asks which culture run to open (a single run is taken without asking). */
export async function pickCultureRun(runs: CultureRunSummary[]): Promise<vscode.Uri | undefined> {
  if (runs.length <= 1) return runs[0] ? vscode.Uri.parse(runs[0].uri) : undefined;
  const pick = await vscode.window.showQuickPick(runs.map((r) => ({
    label: r.runId, description: `${r.experimentName}${r.recorded ? ' · recorded' : ''}${r.status ? ` · ${r.status}` : ''}`, detail: `${r.label} · models ${r.models.join(', ')}`, uri: r.uri,
  })), { title: 'Open which culture run?', matchOnDescription: true, matchOnDetail: true });
  return pick ? vscode.Uri.parse(pick.uri) : undefined;
}

/** Asks for a culture experiment (`*.culture.json`); the active editor's, or the only one, without asking. */
export async function pickCultureExperiment(title: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.culture.json', '**/{node_modules,.alignment}/**', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage('Alignment Studio: no *.culture.json in this workspace (see examples/culturellm).');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && files.some((f) => f.fsPath === active.fsPath)) return active;
  if (files.length === 1) return files[0];
  const items = await Promise.all(files.map(async (uri) => {
    let offline = false;
    try {
      const spec = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as { models?: Array<{ kind?: string }> };
      offline = Array.isArray(spec.models) && spec.models.length > 0 && spec.models.every((m) => m?.kind === 'replay');
    } catch {
      // shown without a note; opening it reports the error
    }
    return { label: vscode.workspace.asRelativePath(uri), uri, offline, description: offline ? 'offline · recorded answers' : 'live' };
  }));
  items.sort((a, b) => Number(b.offline) - Number(a.offline) || a.label.localeCompare(b.label));
  return (await vscode.window.showQuickPick(items, { title }))?.uri;
}
