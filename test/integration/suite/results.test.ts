import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './util';

// The bundled recorded run of the example (the test workspace is a copy without runs: copy it in).
const RUN_ID = 'recorded-gpt35-egypt';

function resultsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('alignmentStudio.results'));
}

describe('Results panel', function () {
  this.timeout(120000);
  let workspace: string;
  let runUri: vscode.Uri;

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    const repo = process.env.ALIGNMENT_STUDIO_REPO ?? path.resolve(__dirname, '../../../..');
    const source = path.join(repo, 'examples/wvs-egypt-us/.alignment/runs', RUN_ID);
    const target = path.join(workspace, '.alignment/runs', RUN_ID);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(source, target, { recursive: true });
    runUri = vscode.Uri.file(target);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the bundled recorded run from its Uri (as the runs tree and a finished run do)', async () => {
    const t0 = Date.now();
    await vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
    // The panel is retitled only once the run is loaded, scored and its view sent to the webview.
    await waitFor(() => resultsTabs().some((t) => t.label === `Results: ${RUN_ID}`), 'results tab titled with the run', 90000);
    console.log(`[suite] results of ${RUN_ID} shown in ${Date.now() - t0} ms`);
    assert.equal(resultsTabs().length, 1);
  });

  it('reuses the one panel when opened again', async () => {
    await vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(resultsTabs().length, 1);
  });

  it('with no argument and a single run in the workspace, opens that run without asking', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => resultsTabs().length === 0, 'panel closed');
    await vscode.commands.executeCommand('alignmentStudio.openResults');
    await waitFor(() => resultsTabs().some((t) => t.label === `Results: ${RUN_ID}`), 'results tab titled with the run', 90000);
  });

  it('a broken run does not take the panel down: it stays open on the previous run', async () => {
    const bad = path.join(workspace, '.alignment/runs/broken-run');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{ "runId": "broken-run" }');
    try {
      await vscode.commands.executeCommand('alignmentStudio.openResults', vscode.Uri.file(bad));
      await new Promise((r) => setTimeout(r, 1500));
      const tabs = resultsTabs();
      assert.equal(tabs.length, 1);
      assert.equal(tabs[0].label, `Results: ${RUN_ID}`);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});
