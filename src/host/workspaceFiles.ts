import * as vscode from 'vscode';
import { checkContained } from '../core/workspace/containPath';

/**
 * A file an experiment names (survey, personas, a template), resolved against the experiment's folder. It must
 * really lie inside the experiment's workspace folder, through links: else an InputError at the experiment file
 * naming the field, and nothing is read (docs/security.md). The preview and the selection read through this.
 */
export function experimentPath(experimentUri: vscode.Uri, relative: string, field: string): vscode.Uri {
  const target = vscode.Uri.joinPath(experimentUri, '..', relative);
  const folder = vscode.workspace.getWorkspaceFolder(experimentUri);
  const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : experimentUri.scheme === 'file' ? vscode.Uri.joinPath(experimentUri, '..').fsPath : undefined;
  if (root && target.scheme === 'file') checkContained(root, target.fsPath, { file: experimentUri.fsPath, field }, relative);
  return target;
}
