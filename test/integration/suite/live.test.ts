import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsPanelSnapshot } from '../../../src/host/results/ResultsPanel';
import { waitFor } from './util';

const state = async (): Promise<ResultsPanelSnapshot> => (await vscode.commands.executeCommand<ResultsPanelSnapshot>('alignmentStudio.results.state'))!;

describe('Live results and early stopping in VS Code', function () {
  this.timeout(180000);
  let workspace: string;
  let experiment: vscode.Uri;

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    // The example's 50 Egypt personas × 31 questions × 4 variants × EN/AR × 5 samples (62,000), replayed, stopping
    // once the Arabic − English delta is decided.
    const base = JSON.parse(fs.readFileSync(path.join(workspace, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as { scoring: Record<string, unknown> } & Record<string, unknown>;
    const spec = { ...base, name: 'Live stop run', scoring: { ...base.scoring, stop: { excludesZero: true, minPersonas: 20, method: 'normal-mixture' } } };
    const file = path.join(workspace, 'live-stop.experiment.json');
    fs.writeFileSync(file, JSON.stringify(spec, null, 2));
    experiment = vscode.Uri.file(file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Leave the workspace as the other suites expect it (one bundled run, no extra experiment).
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(experiment.fsPath, { force: true });
  });
  const created: string[] = [];

  it('the results panel follows the run live, then shows the stop reason; the manifest records it', async () => {
    const before = (await state()).painted.length;
    const t0 = Date.now();
    const runUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', experiment, { confirm: false });
    assert.ok(runUri, 'the command returns the run folder');
    created.push(runUri.fsPath);
    const manifest = JSON.parse(fs.readFileSync(path.join(runUri.fsPath, 'manifest.json'), 'utf8')) as { status: string; stop?: { rule: string; reason: string; personas: number; personasPlanned: number } };
    assert.equal(manifest.status, 'stopped');
    assert.equal(manifest.stop?.rule, 'excludesZero');
    assert.equal(manifest.stop?.personasPlanned, 50);
    assert.ok(manifest.stop!.personas >= 20 && manifest.stop!.personas < 50);
    const run = runUri.toString();
    // Live snapshots were posted and drawn while it ran (throttled), the last ones with the stop reason …
    await waitFor(async () => (await state()).painted.slice(before).some((p) => p.kind === 'live' && p.runUri === run && p.stop !== null), 'a live snapshot with the stop reason drawn', 60000);
    const s = await state();
    const live = s.painted.slice(before).filter((p) => p.kind === 'live' && p.runUri === run);
    console.log(`[suite] live run stopped after ${manifest.stop!.personas}/50 personas in ${Date.now() - t0} ms; ${live.length} live snapshots drawn, ${s.livePosted} posted`);
    assert.ok(live.length >= 3, `${live.length} live snapshots drawn`);
    assert.ok(new Set(live.map((p) => p.records)).size >= 3, `the delta was drawn at ${new Set(live.map((p) => p.records)).size} moments of the run`);
    assert.ok(live.some((p) => p.records > 0 && /^[+−±]\d+\.\d+ pts$/.test(p.delta)), JSON.stringify(live.slice(-3)));
    for (let i = 1; i < live.length; i++) assert.ok(live[i]!.records >= live[i - 1]!.records, 'records only grow');
    assert.match(live.at(-1)!.stop!, /^excludesZero: decided after \d+ of 50 personas: the 95% confidence sequence \[\+\d+\.\d\d, \+\d+\.\d\d\] points excludes 0/);
    // … then the run's results, with the same stop reason in their banner.
    await waitFor(async () => (await state()).painted.slice(before).some((p) => p.kind === 'results' && p.runUri === run && p.stop?.startsWith('excludesZero') === true), 'the results with the stop banner', 90000);
  });
});
