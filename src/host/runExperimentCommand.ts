import type * as vscode from 'vscode';
import type { ExperimentRunner, RunOptions } from './run/ExperimentRunner';

/**
 * "Alignment Studio: Run Experiment": runs an *.experiment.json (the given one, the active one, or picked) through
 * the run engine; resolves to the run folder, or undefined when nothing ran.
 */
export function runExperimentCommand(runner: ExperimentRunner, file?: vscode.Uri, options?: RunOptions): Promise<vscode.Uri | undefined> {
  return runner.run(file, options);
}
