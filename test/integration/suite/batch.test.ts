import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchJob } from '../../../src/core/batch/batchJobs';
import type { ImportReport } from '../../../src/core/batch/importBatchOutput';
import { exportRunBatch } from '../../../src/core/batch/batchRun';
import { submitExport } from '../../../src/core/batch/batchJobs';
import { createBatchClient } from '../../../src/core/batch/createBatchClient';
import type { JobsSummary } from '../../../src/core/batch/batchProgress';
import type { ExperimentSpec, ResponseRecord } from '../../../src/core/experiment';
import { createTemplateRenderer } from '../../../src/core/run/createTemplateRenderer';
import { openExperiment } from '../../../src/core/run/openExperiment';
import { readRun } from '../../../src/core/run/readRun';
import { runScoringInput } from '../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../src/core/score/scoringSettings';
import { FakeBatchServer } from '../../fake-server/FakeBatchServer';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { waitFor } from './util';

function records(runDir: string): ResponseRecord[] {
  return fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ResponseRecord);
}

function jobs(runDir: string): BatchJob[] {
  return (JSON.parse(fs.readFileSync(path.join(runDir, 'batch/jobs.json'), 'utf8')) as { jobs: BatchJob[] }).jobs;
}

/** The paper profile's report without its source, numbers to 12 digits, unparsed replies in one order (a batch's records come in output order). */
async function score(runDir: string): Promise<unknown> {
  const { source: _source, ...rest } = scoreResponses((await runScoringInput(readRun(runDir))).input, scoringSettings('paper'));
  const normal = JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v))) as typeof rest;
  normal.unparsed.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return normal;
}

describe('Batch runs in VS Code', function () {
  this.timeout(180000);
  let workspace: string;
  let chat: FakeOpenAIServer;
  let batch: FakeBatchServer;
  let example: ExperimentSpec;
  const created: string[] = [];

  /** The example's live experiment (4 conditions × 10 Egypt personas × 8 questions × 3 samples) at another endpoint. */
  function write(name: string, baseURL: string, extra: Record<string, unknown> = {}): vscode.Uri {
    const spec = { ...example, models: example.models.map((m) => ({ ...m, baseURL, pricePer1kInput: 0.15, pricePer1kOutput: 0.6, batchDiscount: 0.5, ...extra })) };
    const file = path.join(workspace, `${name}.experiment.json`);
    fs.writeFileSync(file, JSON.stringify(spec, null, 2));
    created.push(file);
    return vscode.Uri.file(file);
  }

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    example = JSON.parse(fs.readFileSync(path.join(workspace, 'live-anthro-vs-plain.experiment.json'), 'utf8')) as ExperimentSpec;
    chat = await new FakeOpenAIServer().start();
    batch = await new FakeBatchServer({ chatBaseURL: chat.baseURL }).start();
  });

  after(async () => {
    await batch.stop();
    await chat.stop();
    // The other suites share the workspace: leave no runs (the results panel would ask which one) and no experiments.
    const runsDir = path.join(workspace, '.alignment', 'runs');
    for (const id of fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []) {
      const m = JSON.parse(fs.readFileSync(path.join(runsDir, id, 'manifest.json'), 'utf8')) as { experimentFile?: string };
      if (created.some((f) => path.relative(workspace, f) === m.experimentFile)) fs.rmSync(path.join(runsDir, id), { recursive: true, force: true });
    }
    for (const f of created) fs.rmSync(f, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes the batch commands and the poll interval setting', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['run', 'export', 'submit', 'showStatus', 'cancel', 'import', 'resumePending']) assert.ok(all.includes(`alignmentStudio.batch.${c}`), c);
    assert.equal(vscode.workspace.getConfiguration('alignmentStudio.batch').inspect('pollIntervalSeconds')?.defaultValue, 60);
  });

  it('"Run Experiment as Batch" runs the example end to end through the fake batch endpoint; scores equal the same experiment run live', async () => {
    const liveRun = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', write('batch-e2e-live', chat.baseURL), { confirm: false, openResults: false });
    assert.ok(liveRun, 'live run');
    const t0 = Date.now();
    const runUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.batch.run', write('batch-e2e', batch.baseURL), { confirm: false, wait: true, openResults: false, pollIntervalMs: 100 });
    assert.ok(runUri, 'batch run');
    console.log(`[suite] batch run of 960 samples: exported, submitted, polled, imported in ${Date.now() - t0} ms`);
    const js = jobs(runUri.fsPath);
    assert.ok(js.length >= 1 && js.every((j) => j.status === 'completed' && j.imported && j.downloaded.length === 1), JSON.stringify(js));
    const recs = records(runUri.fsPath);
    assert.equal(recs.length, 960);
    assert.ok(recs.every((r) => r.via === 'batch' && typeof r.text === 'string'));
    assert.equal(readRun(runUri.fsPath).manifest.status, 'completed');
    assert.equal(readRun(runUri.fsPath).manifest.experimentFile, 'batch-e2e.experiment.json');
    assert.deepEqual(await score(runUri.fsPath), await score(liveRun.fsPath));
    const liveCost = records(liveRun.fsPath).reduce((s, r) => s + (r.cost ?? 0), 0);
    const batchCost = recs.reduce((s, r) => s + (r.cost ?? 0), 0);
    assert.ok(liveCost > 0 && Math.abs(batchCost - liveCost / 2) < 1e-9, `batch ${batchCost} = half of live ${liveCost}`);
  });

  it('batches submitted before a reload (ids in the run folder only) are found on activation, watched and imported', async () => {
    // Submitted by another window or the CLI: nothing but the run folder knows about it.
    const file = write('batch-reload', batch.baseURL, { temperature: 0.3 });
    const experiment = await openExperiment(file.fsPath, createTemplateRenderer);
    const out = exportRunBatch(experiment, { runsDir: path.join(workspace, '.alignment', 'runs'), resume: 'never', workspaceDir: workspace, maxLinesPerFile: 400 });
    const model = experiment.plan.spec.models[0];
    await submitExport(out.runDir, out.manifest, () => createBatchClient(model, () => undefined));
    assert.equal(jobs(out.runDir).length, 3);
    const found = await vscode.commands.executeCommand<string[]>('alignmentStudio.batch.resumePending', { pollIntervalMs: 100, openResults: false });
    assert.deepEqual(found, [out.runDir]);
    await waitFor(() => jobs(out.runDir).every((j) => j.imported), 'the pending batches imported', 60000);
    assert.equal(records(out.runDir).length, 960);
    assert.equal(readRun(out.runDir).manifest.status, 'completed');
    // Found once: nothing is pending any more.
    assert.deepEqual(await vscode.commands.executeCommand<string[]>('alignmentStudio.batch.resumePending', { pollIntervalMs: 100 }), []);
    const summary = await vscode.commands.executeCommand<JobsSummary | undefined>('alignmentStudio.batch.showStatus', vscode.Uri.file(out.runDir));
    assert.deepEqual([summary?.batches, summary?.ended, summary?.completed, summary?.fraction], [3, 3, 960, 1]);
  });

  it('export, submit, cancel and import through the commands: a cancelled batch\'s partial output is imported, the rest is missing', async () => {
    const slow = await new FakeBatchServer({ chatBaseURL: chat.baseURL, pollsPerStatus: 1000, partial: 0.25 }).start();
    try {
      const file = write('batch-cancel', slow.baseURL, { temperature: 0.2 });
      const exported = await vscode.commands.executeCommand<{ runDir: string; manifest: { lines: number } } | undefined>('alignmentStudio.batch.export', file, { shards: 2 });
      assert.equal(exported?.manifest.lines, 960);
      const runDir = exported.runDir;
      assert.equal((await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.batch.submit', vscode.Uri.file(runDir), { pollIntervalMs: 60000 }))?.fsPath, runDir);
      assert.deepEqual(jobs(runDir).map((j) => j.status), ['validating', 'validating']);
      const cancelled = await vscode.commands.executeCommand<BatchJob[] | undefined>('alignmentStudio.batch.cancel', file);
      assert.deepEqual(cancelled?.map((j) => j.status), ['cancelling', 'cancelling']);
      const report = await vscode.commands.executeCommand<ImportReport | undefined>('alignmentStudio.batch.import', vscode.Uri.file(runDir), { openResults: false });
      assert.deepEqual(jobs(runDir).map((j) => j.status), ['cancelled', 'cancelled']);
      assert.equal(report?.imported, 240);
      assert.equal(report?.pending, 720);
      assert.equal(records(runDir).length, 240);
      assert.notEqual(readRun(runDir).manifest.status, 'completed');
    } finally {
      await slow.stop();
    }
  });
});
