import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decide, parseAugmentationFile, reviewProgress, undo, type AugmentationFile, type Decision } from '../../core/culture/augmentationFile';
import { applyThreshold } from '../../core/culture/augmentSeeds';
import { saveAugmentation } from '../../core/culture/augmentExperiment';
import type { AugmentPanelState, AugmentRequests, AugmentStateMessage, AugmentToWebview, PersistedPanelState } from '../../shared/protocol';
import { isObject } from '../../shared/protocol';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';

/** τ from the `alignmentStudio.augment.tau` setting; null → the decisions file's own. */
export function tauSetting(): number | null {
  const v = vscode.workspace.getConfiguration('alignmentStudio.augment').get<number | null>('tau', null);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The augmentation review: one per window, on one decisions file. Every decision (accept, edit, reject, reset, undo)
 * is written to the file at once; the file is re-read when something else (the CLI, another augment run) changes it.
 */
export class AugmentReviewPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.augmentReview';
  private static current: AugmentReviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private augmentation: AugmentationFile | undefined;
  private lastWritten = '';
  private watcher: vscode.FileSystemWatcher | undefined;

  static snapshot(): { file: string; progress: ReturnType<typeof reviewProgress> } | undefined {
    const p = AugmentReviewPanel.current;
    return p?.augmentation && p.file ? { file: p.file, progress: reviewProgress(p.augmentation) } : undefined;
  }

  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, file: string): AugmentReviewPanel {
    if (AugmentReviewPanel.current) {
      AugmentReviewPanel.current.panel.reveal();
      void AugmentReviewPanel.current.open(file);
      return AugmentReviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(AugmentReviewPanel.viewType, 'Review Augmentation', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    AugmentReviewPanel.current = new AugmentReviewPanel(panel, extensionUri, log, file);
    return AugmentReviewPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
    panel.webview.options = webviewOptions(extensionUri);
    AugmentReviewPanel.current = new AugmentReviewPanel(panel, extensionUri, log, undefined);
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private file: string | undefined) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'augment', 'Review Augmentation');
    const requests: { [M in keyof AugmentRequests]: (params: unknown) => Promise<AugmentRequests[M]['result']> } = {
      decide: async (p) => {
        if (!isObject(p) || typeof p.id !== 'string') throw new Error('invalid parameter "id"');
        const action = p.action;
        let d: Decision;
        if (action === 'accept') {
          if (p.edited !== undefined && (typeof p.edited !== 'string' || p.edited.length > 4000)) throw new Error('invalid parameter "edited"');
          d = { action, ...(typeof p.edited === 'string' ? { edited: p.edited } : {}) };
        } else if (action === 'reject' || action === 'reset') d = { action };
        else throw new Error('invalid parameter "action"');
        return this.write(decide(this.loaded(), p.id, d));
      },
      undo: async () => {
        const { file, undone } = undo(this.loaded());
        return this.write(file, undone);
      },
    };
    this.disposables.push(
      attachProtocol(panel.webview, { onReady: (state) => this.onReady(state), requests }, (e) => this.log.error(String(e))),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('alignmentStudio.augment.tau') && this.file) void this.open(this.file); }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async onReady(restored: unknown): Promise<void> {
    const p = restored as PersistedPanelState | undefined;
    const saved = isObject(p) && p.kind === 'augment' && isObject(p.data) ? (p.data as AugmentPanelState) : undefined;
    const file = this.file ?? (saved?.fileUri ? vscode.Uri.parse(saved.fileUri).fsPath : undefined);
    if (file) await this.open(file);
    else await this.post({ type: 'notice', level: 'info', text: 'Open a decisions file with "Alignment Studio: Review Augmentation".' });
  }

  /** Reads the decisions file (τ from the setting applied) and shows it. */
  async open(file: string): Promise<void> {
    this.file = file;
    this.watch(file);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const a = parseAugmentationFile(text, file);
      const tau = tauSetting();
      this.augmentation = tau === null ? a : applyThreshold(a, tau);
      this.panel.title = `Review: ${path.basename(file)}`;
      await this.post(this.state());
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`augment review: ${msg}`);
      await this.post({ type: 'notice', level: 'error', text: `Cannot open ${vscode.workspace.asRelativePath(file)}: ${msg}` });
    }
  }

  private watch(file: string): void {
    this.watcher?.dispose();
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const reload = (): void => {
      let text = '';
      try { text = fs.readFileSync(file, 'utf8'); } catch { return; }
      if (text !== this.lastWritten) void this.open(file);
    };
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
  }

  private loaded(): AugmentationFile {
    if (!this.augmentation || !this.file) throw new Error('no decisions file open');
    return this.augmentation;
  }

  private write(next: AugmentationFile, undone?: string): AugmentStateMessage {
    saveAugmentation(this.file!, next);
    this.lastWritten = fs.readFileSync(this.file!, 'utf8');
    this.augmentation = next;
    return this.state(undone);
  }

  private state(undone?: string): AugmentStateMessage {
    const a = this.loaded();
    return { type: 'augment/state', file: vscode.workspace.asRelativePath(this.file!), fileUri: vscode.Uri.file(this.file!).toString(), augmentation: a, progress: reviewProgress(a), tau: a.settings.tau, ...(undone ? { undone } : {}) };
  }

  private async post(m: AugmentToWebview): Promise<void> {
    await this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (AugmentReviewPanel.current === this) AugmentReviewPanel.current = undefined;
    this.watcher?.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
