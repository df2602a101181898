import * as vscode from 'vscode';
import type { ModelSpec } from '../../core/experiment';
import { parseModelList } from '../../core/run/parseExperiment';

/**
 * The models configured in settings (`alignmentStudio.models`), validated like an experiment's own. An invalid
 * entry is reported once (with a button to the setting) and the list is ignored rather than half-used.
 */
export function readModelSettings(log: vscode.LogOutputChannel): ModelSpec[] {
  const value = vscode.workspace.getConfiguration('alignmentStudio').get<unknown>('models', []);
  try {
    return parseModelList(value, 'settings: alignmentStudio.models');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.warn(`ignoring alignmentStudio.models: ${message}`);
    void vscode.window.showWarningMessage(`Alignment Studio: invalid model in settings — ${message}`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'alignmentStudio.models');
    });
    return [];
  }
}
