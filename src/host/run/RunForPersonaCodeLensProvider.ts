import * as vscode from 'vscode';
import type { SelectionService } from '../selection/SelectionService';

/**
 * CodeLens at the top of prompt templates (`prompts/*.hbs`, not partials): "▶ Run for <persona> · <question>" runs
 * the current selection in one click; "Run for persona…" picks persona, questions and models first.
 */
export class RunForPersonaCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly selection: SelectionService) {
    this.subscription = selection.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (/[\\/]partials[\\/]/.test(document.uri.path)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const s = this.selection.current;
    const lenses: vscode.CodeLens[] = [];
    if (s.persona && s.question) {
      lenses.push(new vscode.CodeLens(top, {
        title: `▶ Run for ${s.persona.id} · ${s.question.id}`,
        tooltip: 'Run the selected question for the selected persona with this template and show the answers',
        command: 'alignmentStudio.runForPersona',
        arguments: [{ template: document.uri, personaId: s.persona.id, questionIds: [s.question.id] }],
      }));
    }
    lenses.push(new vscode.CodeLens(top, {
      title: s.persona && s.question ? 'Run for persona…' : '▶ Run for persona…',
      tooltip: 'Pick a persona, questions and models, run them with this template and show the answers',
      command: 'alignmentStudio.runForPersona',
      arguments: [{ template: document.uri, pick: true }],
    }));
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
