import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunManifest } from '../../core/experiment';
import { isWithin, realPathOf } from '../../core/workspace/containPath';
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

/**
 * The run folder a webview names (openRun, compare, a restored state): only a real folder (not a link) inside one
 * of the workspace folders, through every link, holding a manifest.json. The webview is untrusted input: without
 * this it could make the host read and show any folder on disk.
 */
export function runOfWorkspace(uri: string): vscode.Uri {
  let u: vscode.Uri;
  try {
    u = vscode.Uri.parse(uri, true);
  } catch {
    throw new Error('not a run of this workspace: not a URI');
  }
  const dir = u.scheme === 'file' ? path.resolve(u.fsPath) : undefined;
  const real = dir ? realPathOf(dir) : undefined;
  const inside = real !== undefined && (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && isWithin(realPathOf(f.uri.fsPath) ?? f.uri.fsPath, real));
  let isRun = false;
  try {
    isRun = inside && fs.lstatSync(dir!).isDirectory() && fs.lstatSync(path.join(dir!, 'manifest.json')).isFile();
  } catch {
    // not there
  }
  if (!isRun) throw new Error(`not a run of this workspace: ${u.scheme === 'file' ? u.fsPath : uri}`);
  return vscode.Uri.file(dir!);
}

/** A run URI saved in a webview's state, when it still names a run of this workspace (else logged, undefined). */
export function restoredRun(uri: string, log: vscode.LogOutputChannel): vscode.Uri | undefined {
  try {
    return runOfWorkspace(uri);
  } catch (e) {
    log.warn(`not restoring ${uri}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
