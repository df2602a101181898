import * as vscode from 'vscode';

/**
 * Restricted Mode (an untrusted workspace, e.g. a repository just cloned): templates preview and diagnose with
 * the built-in helpers, and existing results can be read, but nothing is sent to an endpoint, no run starts or
 * resumes, and nothing is written (exports included). Every command that would do one of those asks here first.
 * See docs/security.md and `capabilities.untrustedWorkspaces` in package.json.
 */
export function requireTrust(action: string, log?: vscode.LogOutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  const message = `Alignment Studio: ${action} is off in Restricted Mode: nothing is sent, run, resumed or written until you trust this workspace.`;
  log?.warn(message);
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((a) => {
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** The error a webview request gets for an action Restricted Mode does not allow. */
export class RestrictedModeError extends Error {
  override readonly name = 'RestrictedModeError';
  constructor(action: string) {
    super(`${action} is off in Restricted Mode (trust the workspace first)`);
  }
}
