import * as vscode from 'vscode';
import type { RunProgress } from '../../core/run/runRequests';

/** The status bar item shown while runs are going: progress of the latest one, click to show its log. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alignmentStudio.run', vscode.StatusBarAlignment.Left, 50);
  private active = 0;

  constructor() {
    this.item.name = 'Alignment Studio Run';
  }

  start(name: string, logCommand: vscode.Command): void {
    this.active++;
    this.item.text = `$(sync~spin) ${name}`;
    this.item.tooltip = `Alignment Studio: running ${name}`;
    this.item.command = logCommand;
    this.item.show();
  }

  update(name: string, p: RunProgress): void {
    const pct = p.planned ? Math.floor(((p.done + p.failed) / p.planned) * 100) : 0;
    this.item.text = `$(sync~spin) ${name}: ${pct}% · ${p.done}/${p.planned}${p.failed ? ` · ${p.failed} failed` : ''}`;
    this.item.tooltip = `${p.done} answered (${p.cached} cached), ${p.failed} failed, ${p.ratePerSec.toFixed(1)} req/s${p.etaSec !== undefined ? `, ~${Math.ceil(p.etaSec)} s left` : ''}${p.cost ? `, $${p.cost.toFixed(4)} so far` : ''}`;
  }

  finish(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.active === 0) this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
