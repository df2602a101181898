import * as vscode from 'vscode';

/** "Alignment Studio: Run Experiment": picks an *.experiment.json (the run engine feature executes it). */
export async function runExperimentCommand(log: vscode.LogOutputChannel, file?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const target = file ?? (await pickExperiment());
  if (!target) return undefined;
  log.info(`run experiment ${vscode.workspace.asRelativePath(target)}`);
  await vscode.window.showTextDocument(target, { preview: true });
  return target;
}

async function pickExperiment(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.experiment.json', '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage('Alignment Studio: no *.experiment.json in this workspace.');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { title: 'Run which experiment?' });
  return pick?.uri;
}
