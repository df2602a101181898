import * as vscode from 'vscode';

/**
 * Template texts for the preview without a file-system round trip per keystroke: an open document is read
 * live (unsaved edits included); a closed file is read once and kept until a watcher reports a change.
 */
export class TemplateTexts implements vscode.Disposable {
  private readonly files = new Map<string, Promise<string | null>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** A template or partial changed on disk (or was created / deleted). */
  readonly onDidChangeOnDisk = this.changed.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{hbs,handlebars}');
    const forget = (uri: vscode.Uri) => {
      this.files.delete(uri.toString());
      this.changed.fire(uri);
    };
    this.disposables.push(watcher, watcher.onDidChange(forget), watcher.onDidCreate(forget), watcher.onDidDelete(forget),
      // A document closed with unsaved edits leaves the disk text as the truth again.
      vscode.workspace.onDidCloseTextDocument((d) => this.files.delete(d.uri.toString())));
  }

  /** The text, or null when the file does not exist. */
  read(uri: vscode.Uri): Promise<string | null> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return Promise.resolve(open.getText());
    const key = uri.toString();
    let p = this.files.get(key);
    if (!p) {
      p = Promise.resolve(vscode.workspace.fs.readFile(uri)).then((b) => new TextDecoder().decode(b), () => null);
      this.files.set(key, p);
    }
    return p;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
