import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';

/** Foundation results panel: lists the runs in the workspace; the results feature replaces the body. */
export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.results';
  private static current: ResultsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): ResultsPanel {
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal();
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, 'Alignment Results', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, log);
    return ResultsPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
    panel.webview.options = webviewOptions(extensionUri);
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, log);
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'results', 'Alignment Results');
    this.disposables.push(
      attachProtocol(panel.webview, { onReady: () => this.sendRuns() }, (e) => this.log.error(String(e))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async sendRuns(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/.alignment/runs/*/manifest.json', '**/node_modules/**', 500);
    const runs = files.map((f) => vscode.workspace.asRelativePath(vscode.Uri.joinPath(f, '..'))).sort();
    await this.panel.webview.postMessage({ type: 'runs', runs });
  }

  dispose(): void {
    ResultsPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
