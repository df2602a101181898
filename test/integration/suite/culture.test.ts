import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { acceptPassing, parseAugmentationFile, serializeAugmentation } from '../../../src/core/culture/augmentationFile';
import { validateFineTuneJsonl } from '../../../src/core/culture/validateFineTuneJsonl';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { waitFor } from './util';

interface State {
  dashboard?: { runId: string; cultures: string[]; conditions: number; comparison: { a: { model: string }; b: { model: string }; deltas: unknown[] } | null; title: string };
  review?: { file: string; progress: { total: number; pending: number; passed: number; accepted: number } };
}
const state = async (): Promise<State> => (await vscode.commands.executeCommand<State>('alignmentStudio.culture.state')) ?? {};
const tabs = (viewType: string): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));

describe('CultureLLM in VS Code', function () {
  this.timeout(180000);
  let dir: string;
  let experiment: vscode.Uri;
  let server: FakeOpenAIServer;

  before(async () => {
    const workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    const repo = process.env.ALIGNMENT_STUDIO_REPO ?? path.resolve(__dirname, '../../../..');
    dir = path.join(workspace, 'culturellm');
    fs.cpSync(path.join(repo, 'examples/culturellm'), dir, { recursive: true, filter: (src) => !/[\\/](\.alignment|augment)([\\/]|$)/.test(src) });
    server = await new FakeOpenAIServer({ mode: 'scale' }).start();
    // The example's paraphraser and embeddings are the fake server on a fixed port: point them at this one.
    const file = path.join(dir, 'cultures.culture.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('http://127.0.0.1:8765/v1').join(server.baseURL));
    experiment = vscode.Uri.file(file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('alignmentStudio.augment').update('tau', undefined, vscode.ConfigurationTarget.Workspace);
    await server.stop();
  });

  it('contributes the culture commands and the τ setting', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['runCultureExperiment', 'openCultureDashboard', 'augmentSeeds', 'reviewAugmentation', 'exportFineTuneData']) assert.ok(all.includes(`alignmentStudio.${c}`), c);
    assert.equal(vscode.workspace.getConfiguration('alignmentStudio.augment').inspect('tau')?.defaultValue, null);
  });

  it('Evaluate Cultures runs the example offline on the engine and opens the dashboard on the run', async () => {
    const t0 = Date.now();
    const run = await vscode.commands.executeCommand<vscode.Uri>('alignmentStudio.runCultureExperiment', experiment, { confirm: false });
    assert.ok(run, 'a run folder');
    const lines = fs.readFileSync(path.join(run.fsPath, 'responses.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 6 * 2 * 50 * 20);
    const runId = path.basename(run.fsPath);
    await waitFor(() => tabs('alignmentStudio.culture').some((t) => t.label === `Culture: ${runId}`), 'dashboard titled with the run', 60000);
    console.log(`[suite] culture run + dashboard in ${Date.now() - t0} ms`);
    const s = await state();
    assert.deepEqual(s.dashboard?.cultures, ['arabic', 'chinese', 'english', 'german', 'turkish', 'egyptian']);
    assert.equal(s.dashboard?.conditions, 12);
    assert.deepEqual([s.dashboard?.comparison?.a.model, s.dashboard?.comparison?.b.model], ['sim-base', 'sim-tuned']);
    assert.equal(s.dashboard?.comparison?.deltas.length, 18);
  });

  it('a second run is answered from the cache; the dashboard is reused', async () => {
    const run = await vscode.commands.executeCommand<vscode.Uri>('alignmentStudio.runCultureExperiment', experiment, { confirm: false });
    const records = fs.readFileSync(path.join(run.fsPath, 'responses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cached?: boolean });
    assert.ok(records.every((r) => r.cached === true));
    await waitFor(async () => (await state()).dashboard?.runId === path.basename(run.fsPath), 'dashboard on the new run', 60000);
    assert.equal(tabs('alignmentStudio.culture').length, 1);
  });

  it('Augment Seeds asks the fake model and embeddings, saves the candidates and opens the review; τ setting re-applies', async () => {
    const result = await vscode.commands.executeCommand<{ file: string; added: number; passed: number; failed: number }>('alignmentStudio.augmentSeeds', experiment, { questions: ['Q27', 'Q28'] });
    assert.deepEqual([result.added, result.failed], [10, 0]);
    assert.ok(result.passed >= 4 && result.passed <= 8, `passed ${result.passed}`);
    await waitFor(() => tabs('alignmentStudio.augmentReview').some((t) => t.label === 'Review: seeds.augment.json'), 'review tab', 30000);
    await waitFor(async () => (await state()).review?.progress.pending === 10, 'review state', 30000);
    await vscode.workspace.getConfiguration('alignmentStudio.augment').update('tau', 0.99, vscode.ConfigurationTarget.Workspace);
    await waitFor(async () => (await state()).review?.progress.passed === 0, 'τ 0.99 passes nothing', 30000);
    await vscode.workspace.getConfiguration('alignmentStudio.augment').update('tau', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(async () => (await state()).review?.progress.passed === result.passed, 'τ back to the file\'s', 30000);
  });

  it('Review Augmentation on the experiment opens its decisions file; a change on disk (e.g. the CLI) is picked up', async () => {
    const file = await vscode.commands.executeCommand<string>('alignmentStudio.reviewAugmentation', experiment);
    assert.equal(file, path.join(dir, 'augment', 'seeds.augment.json'));
    const a = acceptPassing(parseAugmentationFile(fs.readFileSync(file, 'utf8'), file));
    fs.writeFileSync(file, serializeAugmentation(a));
    await waitFor(async () => (await state()).review?.progress.accepted === a.candidates.filter((c) => c.status === 'accepted').length, 'review reloaded from disk', 30000);
  });

  it('Export Fine-Tuning Data writes per-culture and all-cultures files that validate, with the accepted paraphrases', async () => {
    const out = await vscode.commands.executeCommand<{ dir: string; valid: boolean; files: string[] }>('alignmentStudio.exportFineTuneData', experiment);
    assert.equal(out.valid, true);
    assert.deepEqual(out.files, ['arabic.jsonl', 'chinese.jsonl', 'english.jsonl', 'german.jsonl', 'turkish.jsonl', 'egyptian.jsonl', 'culturellm-one.jsonl']);
    for (const f of out.files) {
      const text = fs.readFileSync(path.join(out.dir, f), 'utf8');
      assert.deepEqual(validateFineTuneJsonl(text, f, { countTokens: (t) => t.length }).errors, [], f);
    }
    const report = JSON.parse(fs.readFileSync(path.join(out.dir, 'report.json'), 'utf8')) as { files: Array<{ name: string; paraphraseRecords: number }>; split: { heldOut: string[] } };
    const split = report.split.heldOut;
    const trainAccepted = ['Q27', 'Q28'].filter((q) => !split.includes(q)).length;
    if (trainAccepted) assert.ok(report.files[0]!.paraphraseRecords > 0, 'accepted paraphrases of training seeds became records');
  });

  it('a broken culture run does not take the dashboard down', async () => {
    const bad = path.join(dir, '.alignment/culture-runs/broken');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{"runId":"broken","kind":"culture"}');
    const before = (await state()).dashboard?.runId;
    await vscode.commands.executeCommand('alignmentStudio.openCultureDashboard', vscode.Uri.file(bad));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(tabs('alignmentStudio.culture').length, 1);
    assert.equal((await state()).dashboard?.runId, before);
    fs.rmSync(bad, { recursive: true, force: true });
  });
});
