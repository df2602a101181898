import * as vscode from 'vscode';
import type { SelectionService, WorkspaceSelection } from './SelectionService';

/** Status bar item showing the selected persona while a template is open; a click runs "Select Persona…". */
export class SelectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alignmentStudio.persona', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly selection: SelectionService) {
    this.item.name = 'Alignment Studio Persona';
    this.item.command = 'alignmentStudio.selectPersona';
    this.disposables.push(
      selection.onDidChange((s) => this.update(s)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
    );
    this.refresh();
  }

  private refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !/\.(hbs|handlebars)$/i.test(doc.uri.path)) {
      this.item.hide();
      return;
    }
    void this.selection.ready().then((s) => this.update(s));
  }

  private update(s: WorkspaceSelection): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !/\.(hbs|handlebars)$/i.test(doc.uri.path) || !s.persona) {
      this.item.hide();
      return;
    }
    const v = s.persona.values.en;
    this.item.text = `$(person) ${s.persona.id}${s.question ? ` · ${s.question.id} v${s.variant + 1}` : ''}`;
    this.item.tooltip = `${v.sex}, ${v.age}, ${v.marital_status}, ${v.education}, ${v.social_class} — ${v.region}, ${v.country}\nClick to select another persona`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
