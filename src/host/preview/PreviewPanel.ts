import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';

/** Foundation preview: shows the active template's text; the preview feature replaces the body. */
export class PreviewPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.preview';
  private static current: PreviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): PreviewPanel {
    if (PreviewPanel.current) {
      PreviewPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return PreviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PreviewPanel.viewType, 'Alignment Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, log);
    return PreviewPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
    panel.webview.options = webviewOptions(extensionUri);
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, log);
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', 'Alignment Preview');
    this.disposables.push(
      attachProtocol(panel.webview, { onReady: () => { this.ready = true; void this.update(); } }, (e) => this.log.error(String(e))),
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async update(): Promise<void> {
    if (!this.ready) return;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !doc.fileName.endsWith('.hbs')) return;
    await this.panel.webview.postMessage({ type: 'template', file: vscode.workspace.asRelativePath(doc.uri), text: doc.getText() });
  }

  dispose(): void {
    PreviewPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
