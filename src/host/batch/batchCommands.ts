import * as vscode from 'vscode';
import type { BatchCommandOptions, BatchService } from './BatchService';

/** The batch commands (contributed in package.json), each a thin call into the BatchService. */
export function batchCommands(batch: BatchService): vscode.Disposable[] {
  const uriOf = (x: unknown): vscode.Uri | undefined => (x instanceof vscode.Uri ? x : undefined);
  return [
    vscode.commands.registerCommand('alignmentStudio.batch.run', (file?: unknown, options?: BatchCommandOptions) => batch.runAsBatch(uriOf(file), options)),
    vscode.commands.registerCommand('alignmentStudio.batch.export', (file?: unknown, options?: BatchCommandOptions) => batch.exportBatch(uriOf(file), options)),
    vscode.commands.registerCommand('alignmentStudio.batch.submit', (run?: unknown, options?: BatchCommandOptions) => batch.submit(uriOf(run), options)),
    vscode.commands.registerCommand('alignmentStudio.batch.showStatus', (run?: unknown, options?: BatchCommandOptions) => batch.showStatus(uriOf(run), options)),
    vscode.commands.registerCommand('alignmentStudio.batch.cancel', (run?: unknown) => batch.cancel(uriOf(run))),
    vscode.commands.registerCommand('alignmentStudio.batch.import', (run?: unknown, options?: BatchCommandOptions) => batch.importOutputs(uriOf(run), options)),
    // Not in the palette: what activation runs (finds pending batches in the run folders); for tests and tools.
    vscode.commands.registerCommand('alignmentStudio.batch.resumePending', (options?: BatchCommandOptions) => batch.resumePending(options)),
  ];
}
