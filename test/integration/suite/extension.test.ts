import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AlignmentStudioApi } from '../../../src/extension';
import { waitFor } from './util';

const EXTENSION_ID = 'alignment-studio.alignment-studio';

describe('Foundation', () => {
  it('runs inside a real VS Code extension host', () => {
    console.log(`[suite] VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI), Node ${process.version}`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });

  it('activates lazily on the example workspace and reports its activation time', async () => {
    const ext = vscode.extensions.getExtension<AlignmentStudioApi>(EXTENSION_ID);
    assert.ok(ext, 'extension is loaded');
    const api = await ext.activate();
    assert.ok(api.activationMs > 0 && api.activationMs < 5000, `activation time ${api.activationMs}`);
    console.log(`[suite] activation time ${api.activationMs.toFixed(1)} ms (bundle evaluation ${api.loadMs.toFixed(1)} ms, activate() ${api.activateMs.toFixed(1)} ms)`);
    const pkg = ext.packageJSON as { activationEvents: string[] };
    assert.ok(!pkg.activationEvents.includes('*'), 'no eager activation');
  });

  it('contributes its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['alignmentStudio.openPreview', 'alignmentStudio.openResults', 'alignmentStudio.runExperiment', 'alignmentStudio.setApiKey']) {
      assert.ok(all.includes(c), `command ${c} registered`);
    }
  });

  it('opens the preview and results panels as webviews', async () => {
    await vscode.commands.executeCommand('alignmentStudio.openResults');
    await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'Alignment Results')), 'results tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
