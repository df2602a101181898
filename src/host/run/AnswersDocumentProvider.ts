import * as vscode from 'vscode';

/** Read-only virtual Markdown documents (`alignment-answers:`) showing the answers of quick persona runs. */
export class AnswersDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'alignment-answers';
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Sets (or replaces) the content of `name` and returns its Uri. */
  set(name: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: AnswersDocumentProvider.scheme, path: `/${name}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
