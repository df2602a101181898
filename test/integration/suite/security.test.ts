import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './util';

// Issue 13, attack 6 in the layer it belongs to: the results webview is untrusted input. It may open and compare
// only runs of this workspace, never a folder elsewhere on disk (a valid run copied outside, /etc, a link out).
const RUN_ID = 'recorded-gpt35-egypt';
const request = (method: string, params: unknown): Promise<unknown> => Promise.resolve(vscode.commands.executeCommand('alignmentStudio.results.request', method, params));

function resultsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('alignmentStudio.results'));
}

describe('Trust boundaries: the results webview', function () {
  this.timeout(120000);
  let workspace: string;
  let runUri: vscode.Uri;
  let outside: string;

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    const repo = process.env.ALIGNMENT_STUDIO_REPO ?? path.resolve(__dirname, '../../../..');
    const source = path.join(repo, 'examples/wvs-egypt-us/.alignment/runs', RUN_ID);
    const target = path.join(workspace, '.alignment/runs', RUN_ID);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(source, target, { recursive: true });
    runUri = vscode.Uri.file(target);
    // A perfectly valid run, but outside the workspace (with the workspace's files beside it, so it would load).
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'as-outside-'));
    fs.cpSync(workspace, outside, { recursive: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    fs.rmSync(path.join(workspace, '.alignment/runs/linked-out'), { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('attack 6: openRun and compare refuse any folder that is not a run of this workspace; the panel stays on its run', async () => {
    await vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
    await waitFor(() => resultsTabs().some((t) => t.label === `Results: ${RUN_ID}`), 'results of the bundled run', 90000);
    const outsideRun = path.join(outside, '.alignment/runs', RUN_ID);
    assert.ok(fs.existsSync(path.join(outsideRun, 'manifest.json')));
    fs.symlinkSync(outsideRun, path.join(workspace, '.alignment/runs/linked-out'));
    const refused = [
      vscode.Uri.file(outsideRun).toString(), 'file:///etc', vscode.Uri.file(path.join(workspace, 'prompts')).toString(),
      vscode.Uri.file(path.join(workspace, '.alignment/runs/linked-out')).toString(), 'https://example.invalid/run', 'not a uri',
    ];
    for (const uri of refused) {
      await assert.rejects(request('openRun', { uri }), /not a run of this workspace/, `openRun ${uri}`);
      await assert.rejects(request('compare', { beforeUri: uri }), /not a run of this workspace/, `compare ${uri}`);
    }
    await assert.rejects(request('openRun', { uri: 42 }), /invalid parameter "uri"/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(resultsTabs().map((t) => t.label), [`Results: ${RUN_ID}`], 'the panel still shows the workspace run');
    // A run of the workspace is fine.
    const comparison = await request('compare', { beforeUri: runUri.toString() }) as { rows?: unknown[] } | undefined;
    assert.ok(comparison && typeof comparison === 'object');
  });
});
