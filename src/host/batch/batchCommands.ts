import * as vscode from 'vscode';
import { requireTrust } from '../workspaceTrust';
import type { BatchCommandOptions, BatchService } from './BatchService';

/**
 * The batch commands (contributed in package.json), each a thin call into the BatchService. Every one sends or
 * writes, so none runs in Restricted Mode (docs/security.md).
 */
export function batchCommands(batch: BatchService): vscode.Disposable[] {
  const uriOf = (x: unknown): vscode.Uri | undefined => (x instanceof vscode.Uri ? x : undefined);
  const trusted = <A extends unknown[], R>(action: string, f: (...a: A) => R) => (...a: A): R | undefined => (requireTrust(action) ? f(...a) : undefined);
  return [
    vscode.commands.registerCommand('alignmentStudio.batch.run', trusted('Running an experiment as a batch', (file?: unknown, options?: BatchCommandOptions) => batch.runAsBatch(uriOf(file), options))),
    vscode.commands.registerCommand('alignmentStudio.batch.export', trusted('Exporting a batch', (file?: unknown, options?: BatchCommandOptions) => batch.exportBatch(uriOf(file), options))),
    vscode.commands.registerCommand('alignmentStudio.batch.submit', trusted('Submitting a batch', (run?: unknown, options?: BatchCommandOptions) => batch.submit(uriOf(run), options))),
    vscode.commands.registerCommand('alignmentStudio.batch.showStatus', trusted('Polling batches', (run?: unknown, options?: BatchCommandOptions) => batch.showStatus(uriOf(run), options))),
    vscode.commands.registerCommand('alignmentStudio.batch.cancel', trusted('Cancelling batches', (run?: unknown) => batch.cancel(uriOf(run)))),
    vscode.commands.registerCommand('alignmentStudio.batch.import', trusted('Importing batch output', (run?: unknown, options?: BatchCommandOptions) => batch.importOutputs(uriOf(run), options))),
    // Not in the palette: what activation runs (finds pending batches in the run folders); for tests and tools.
    vscode.commands.registerCommand('alignmentStudio.batch.resumePending', (options?: BatchCommandOptions) => (vscode.workspace.isTrusted ? batch.resumePending(options) : undefined)),
  ];
}
