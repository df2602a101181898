import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { exportsDir } from '../../core/batch/batchFormat';
import { allTerminal, cancelJobs, readJobs, submitExport, type BatchJob } from '../../core/batch/batchJobs';
import { collectBatch, findBatchRun, formatJobsSummary, isBatchPending, listBatchRuns, summarizeJobs, type JobsSummary } from '../../core/batch/batchProgress';
import { estimateRunBatch, exportRunBatch, importRunBatch, listDownloads, listExports, type ExportedRun } from '../../core/batch/batchRun';
import { createBatchClient, type BatchClient } from '../../core/batch/createBatchClient';
import { describeBatchError } from '../../core/batch/describeBatchError';
import { formatBatchChoice } from '../../core/batch/estimateBatch';
import type { ImportReport } from '../../core/batch/importBatchOutput';
import { vllmRunBatchCommands } from '../../core/batch/vllmCommands';
import { createTemplateRenderer } from '../../core/run/createTemplateRenderer';
import { createTokenCounter } from '../../core/run/createTokenCounter';
import { openExperiment, type OpenedExperiment } from '../../core/run/openExperiment';
import { ResumeError } from '../../core/run/prepareRun';
import { readManifest } from '../../core/run/RunStore';
import type { ApiKeyStore } from '../apiKeyStore';
import { runsDirFor, showInputError } from '../run/ExperimentRunner';
import { readModelSettings } from '../run/readModelSettings';

/** Options of the batch commands when called from code (tests, the run confirmation). */
export interface BatchCommandOptions {
  /** Ask before exporting and submitting (default true; the run confirmation already asked). */
  confirm?: boolean;
  /** Resolve only once the batches ended and were imported (default: after submitting; watching goes on). */
  wait?: boolean;
  /** Open the results when the import completes the run (default true). */
  openResults?: boolean;
  /** Poll interval in ms (default: the `alignmentStudio.batch.pollIntervalSeconds` setting). */
  pollIntervalMs?: number;
  /** Export: exactly this many files per model (vLLM on N nodes) instead of the OpenAI limits; 0 asks. */
  shards?: number;
  /** Import: these output files (default: the downloads, or a file dialog when there are none). */
  files?: vscode.Uri[];
}

/** A run whose batches are being watched. */
interface Watch {
  runDir: string;
  experiment: OpenedExperiment;
  name: string;
  intervalMs: number;
  timer?: ReturnType<typeof setTimeout>;
  summary?: JobsSummary;
  errors: number;
  listeners: Set<(w: Watch) => void>;
  done: Promise<ImportReport | undefined>;
  finish: (r: ImportReport | undefined) => void;
  openResults: boolean;
}

/**
 * The batch commands (export, submit, status, cancel, import, run as batch) and the watcher behind them: a
 * status bar item with the progress of every watched run, polling at an interval, importing a run once its
 * batches ended. Everything it knows is in the run folders (`<run>/batch/jobs.json`), so after a reload
 * `resumePending` finds the batches again and keeps watching.
 */
export class BatchService implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alignmentStudio.batch', vscode.StatusBarAlignment.Left, 49);
  private readonly watches = new Map<string, Watch>();
  /** One operation at a time per run (jobs.json is read, changed and written back). */
  private readonly queues = new Map<string, Promise<unknown>>();
  private disposed = false;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'Alignment Studio Batches';
    this.item.command = 'alignmentStudio.batch.showStatus';
  }

  /** "Run Experiment as Batch": export what the run lacks, submit it, watch it, import it when it is done. */
  async runAsBatch(file?: vscode.Uri, options: BatchCommandOptions = {}): Promise<vscode.Uri | undefined> {
    const target = file instanceof vscode.Uri ? file : await pickExperiment();
    if (!target) return undefined;
    return this.guard(async () => {
      const experiment = await this.open(target);
      const { runsDir, quickDir, workspaceDir } = runsDirFor(target);
      const countTokens = await createTokenCounter(experiment.plan.spec.models);
      if (options.confirm ?? true) {
        const e = estimateRunBatch(experiment, { runsDir, cacheDirs: [quickDir], countTokens });
        const pick = await vscode.window.showInformationMessage(`Run "${experiment.plan.spec.name}" as a batch?`, { modal: true, detail: formatBatchChoice(e.choice).join('\n') }, 'Submit Batch');
        if (!pick) return undefined;
      }
      const exported = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting "${experiment.plan.spec.name}" as a batch…` }, async () =>
        exportRunBatch(experiment, { runsDir, cacheDirs: [quickDir], countTokens, workspaceDir }));
      this.logExport(exported);
      if (!exported.manifest.lines) {
        void vscode.window.showInformationMessage(`Alignment Studio: nothing left to ask for "${experiment.plan.spec.name}" (${exported.manifest.cached} answers from earlier runs, ${exported.manifest.recorded} from recordings).`);
        return vscode.Uri.file(exported.runDir);
      }
      if (!(await this.submitRun(exported.runDir, experiment))) return vscode.Uri.file(exported.runDir);
      const report = this.watch(exported.runDir, experiment, options);
      if (options.wait) await report;
      return vscode.Uri.file(exported.runDir);
    });
  }

  /** "Export Experiment as Batch…": the shards for the OpenAI Batch API, or N shards for vLLM run_batch on N nodes. */
  async exportBatch(file?: vscode.Uri, options: BatchCommandOptions = {}): Promise<ExportedRun | undefined> {
    const target = file instanceof vscode.Uri ? file : await pickExperiment();
    if (!target) return undefined;
    let shards = options.shards;
    if (shards === undefined) {
      const pick = await vscode.window.showQuickPick([
        { label: 'For the OpenAI Batch API', description: 'files of ≤ 50,000 requests and ≤ 200 MB', shards: 0 },
        { label: 'For vLLM run_batch on N GPU nodes…', description: 'exactly N files per model, one per node', shards: -1 },
      ], { title: 'Export the requests the run still lacks as Batch JSONL' });
      if (!pick) return undefined;
      shards = pick.shards;
      if (shards < 0) {
        const n = await vscode.window.showInputBox({ title: 'How many GPU nodes?', value: '1', validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'a whole number ≥ 1') });
        if (!n) return undefined;
        shards = Number(n.trim());
      }
    }
    return this.guard(async () => {
      const experiment = await this.open(target);
      const { runsDir, quickDir, workspaceDir } = runsDirFor(target);
      const countTokens = await createTokenCounter(experiment.plan.spec.models);
      const exported = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting "${experiment.plan.spec.name}"…` }, async () =>
        exportRunBatch(experiment, { runsDir, cacheDirs: [quickDir], countTokens, workspaceDir, shards: shards || undefined }));
      this.logExport(exported);
      const m = exported.manifest;
      const commands = vllmRunBatchCommands(m, experiment.plan.spec);
      void vscode.window.showInformationMessage(
        `Alignment Studio: exported ${m.lines} requests in ${m.shards.length} file(s) to ${vscode.workspace.asRelativePath(exported.exportDir)}. ${formatBatchChoice(exported.choice)[1]}`,
        'Submit Batch', 'Copy vLLM Commands', 'Reveal',
      ).then(async (a) => {
        if (a === 'Submit Batch') await vscode.commands.executeCommand('alignmentStudio.batch.submit', vscode.Uri.file(exported.runDir));
        if (a === 'Copy vLLM Commands') await vscode.env.clipboard.writeText(`cd ${exported.exportDir}\n${commands.join('\n')}\n`);
        if (a === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(exported.exportDir, 'manifest.json')));
      });
      return exported;
    });
  }

  /** "Submit Batch": uploads the latest export of a run and creates its batches, then watches them. */
  async submit(target?: vscode.Uri, options: BatchCommandOptions = {}): Promise<vscode.Uri | undefined> {
    return this.guard(async () => {
      const run = await this.resolveRun(target);
      if (!run) return undefined;
      if (!(await this.submitRun(run.runDir, run.experiment))) return undefined;
      const report = this.watch(run.runDir, run.experiment, options);
      if (options.wait) await report;
      return vscode.Uri.file(run.runDir);
    });
  }

  /** "Show Batch Status": refreshes a run's batches now and shows them (with a progress notification while watched). */
  async showStatus(target?: vscode.Uri, options: BatchCommandOptions = {}): Promise<JobsSummary | undefined> {
    return this.guard(async () => {
      const run = await this.resolveRun(target);
      if (!run) return undefined;
      const w = this.watches.get(run.runDir) ?? (readJobs(run.runDir).jobs.length ? this.startWatch(run.runDir, run.experiment, options, false) : undefined);
      if (!w) {
        void vscode.window.showInformationMessage(`Alignment Studio: run ${path.basename(run.runDir)} has no submitted batch.`, 'Submit Batch').then((a) => {
          if (a) void vscode.commands.executeCommand('alignmentStudio.batch.submit', vscode.Uri.file(run.runDir));
        });
        return undefined;
      }
      await this.tick(w);
      const summary = w.summary;
      if (this.watches.has(run.runDir)) void this.showProgress(w);
      else if (summary) void vscode.window.showInformationMessage(`Alignment Studio: batches of "${w.name}": ${formatJobsSummary(summary)}.`);
      return summary;
    });
  }

  /** "Cancel Batch": asks the unfinished batches of a run to stop; their partial output is imported when they end. */
  async cancel(target?: vscode.Uri): Promise<BatchJob[] | undefined> {
    return this.guard(async () => {
      const run = await this.resolveRun(target);
      if (!run) return undefined;
      const jobs = await this.exclusive(run.runDir, () => cancelJobs(run.runDir, this.clientFor(run.experiment)));
      void vscode.window.showInformationMessage(jobs.length
        ? `Alignment Studio: cancelling ${jobs.length} batch(es) of "${run.experiment.plan.spec.name}"; what they answered is imported when they stop.`
        : 'Alignment Studio: no unfinished batch to cancel.');
      if (jobs.length) this.watch(run.runDir, run.experiment, {});
      return jobs;
    });
  }

  /**
   * "Import Batch Output…": downloads what ended and imports it (OpenAI), or imports output files chosen in a
   * dialog (vLLM run_batch). Importing twice adds nothing.
   */
  async importOutputs(target?: vscode.Uri, options: BatchCommandOptions = {}): Promise<ImportReport | undefined> {
    return this.guard(async () => {
      const run = await this.resolveRun(target);
      if (!run) return undefined;
      let files = options.files?.map((f) => f.fsPath);
      if (!files && readJobs(run.runDir).jobs.length) {
        const c = await this.exclusive(run.runDir, () => collectBatch(run.experiment, run.runDir, this.clientFor(run.experiment)));
        if (c.report) {
          this.reportImport(run.runDir, run.experiment, c.report, options.openResults ?? true);
          return c.report;
        }
        if (!allTerminal(c.jobs)) {
          void vscode.window.showInformationMessage(`Alignment Studio: the batches of "${run.experiment.plan.spec.name}" are still running (${formatJobsSummary(summarizeJobs(c.jobs))}); they are imported when they end.`);
          this.watch(run.runDir, run.experiment, options);
          return undefined;
        }
      }
      files ??= listDownloads(run.runDir);
      if (!files.length) {
        const picked = await vscode.window.showOpenDialog({
          title: 'Batch output files to import (OpenAI Batch or vLLM run_batch)', canSelectMany: true, filters: { 'JSON Lines': ['jsonl'] },
          defaultUri: vscode.Uri.file(exportsDir(run.runDir)),
        });
        if (!picked?.length) return undefined;
        files = picked.map((f) => f.fsPath);
      }
      const chosen = files;
      const report = await this.exclusive(run.runDir, async () => importRunBatch(run.experiment, run.runDir, chosen));
      this.reportImport(run.runDir, run.experiment, report, options.openResults ?? true);
      return report;
    });
  }

  /**
   * After a reload or a restart: finds the runs whose batches are still running or not imported (from their run
   * folders) and watches them. Returns their folders.
   */
  async resumePending(options: BatchCommandOptions = {}): Promise<string[]> {
    return (await this.guard(async () => {
      const found: string[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        for (const r of listBatchRuns(path.join(folder.uri.fsPath, '.alignment', 'runs'))) {
          if (!isBatchPending(r.jobs) || this.watches.has(r.dir) || !r.manifest.experimentFile) continue;
          const file = vscode.Uri.file(path.resolve(folder.uri.fsPath, r.manifest.experimentFile));
          let experiment: OpenedExperiment;
          try {
            experiment = await this.open(file);
          } catch (e) {
            this.log.warn(`batch run ${r.runId}: cannot open ${r.manifest.experimentFile}: ${e instanceof Error ? e.message : String(e)}`);
            continue;
          }
          this.log.info(`batch run ${r.runId} of ${r.manifest.experimentFile} is pending: watching it`);
          this.watch(r.dir, experiment, options);
          found.push(r.dir);
        }
      }
      if (found.length) {
        const names = [...new Set(found.map((d) => this.watches.get(d)?.name))].join('", "');
        void vscode.window.showInformationMessage(`Alignment Studio: batches of "${names}" are pending; watching them, their answers are imported when they are done.`, 'Show Status', 'Cancel Batch').then((a) => {
          if (a === 'Show Status') void vscode.commands.executeCommand('alignmentStudio.batch.showStatus', vscode.Uri.file(found[0]));
          if (a === 'Cancel Batch') void vscode.commands.executeCommand('alignmentStudio.batch.cancel', vscode.Uri.file(found[0]));
        });
      }
      return found;
    })) ?? [];
  }

  /** Watches a run until its batches ended and were imported; resolves to the import (undefined: stopped, nothing to import). */
  private watch(runDir: string, experiment: OpenedExperiment, options: BatchCommandOptions): Promise<ImportReport | undefined> {
    return (this.watches.get(runDir) ?? this.startWatch(runDir, experiment, options)).done;
  }

  /** Starts polling a run (at once, or after one interval when the caller polls first). */
  private startWatch(runDir: string, experiment: OpenedExperiment, options: BatchCommandOptions, immediate = true): Watch {
    let finish!: (r: ImportReport | undefined) => void;
    const done = new Promise<ImportReport | undefined>((resolve) => (finish = resolve));
    const seconds = vscode.workspace.getConfiguration('alignmentStudio.batch').get<number>('pollIntervalSeconds', 60);
    const w: Watch = {
      runDir, experiment, name: experiment.plan.spec.name, intervalMs: options.pollIntervalMs ?? Math.max(1, seconds) * 1000,
      errors: 0, listeners: new Set(), done, finish, openResults: options.openResults ?? true,
    };
    this.watches.set(runDir, w);
    this.render();
    const next = (): void => {
      if (this.watches.has(runDir) && !this.disposed) w.timer = setTimeout(() => void loop(), w.intervalMs);
    };
    const loop = async (): Promise<void> => {
      if (this.disposed || !this.watches.has(runDir)) return;
      await this.tick(w);
      next();
    };
    if (immediate) void loop();
    else next();
    return w;
  }

  /** One poll of a watched run; imports and stops watching once every batch ended. */
  private async tick(w: Watch): Promise<void> {
    try {
      const c = await this.exclusive(w.runDir, () => collectBatch(w.experiment, w.runDir, this.clientFor(w.experiment)));
      w.errors = 0;
      w.summary = summarizeJobs(c.jobs);
      for (const f of c.downloaded) this.log.info(`batch run ${path.basename(w.runDir)}: downloaded ${path.relative(w.runDir, f)}`);
      for (const l of w.listeners) l(w);
      if (!isBatchPending(c.jobs)) {
        this.unwatch(w);
        const failed = c.jobs.filter((j) => j.status === 'failed');
        for (const j of failed) this.log.error(`batch ${j.batchId} (${j.shard}) failed${j.errors?.length ? `: ${j.errors.join('; ')}` : ''}`);
        if (c.report) this.reportImport(w.runDir, w.experiment, c.report, w.openResults);
        else if (failed.length) void vscode.window.showErrorMessage(`Alignment Studio: the batch of "${w.name}" failed: ${failed[0].errors?.[0] ?? 'see the log'}`, 'Show Log').then((a) => a && this.log.show());
        w.finish(c.report);
      }
    } catch (e) {
      w.errors++;
      const baseURL = w.experiment.plan.spec.models.find((m) => m.kind === 'openai')?.baseURL ?? '';
      const message = e instanceof InputError ? e.message : describeBatchError(e, baseURL);
      this.log.warn(`batch run ${path.basename(w.runDir)}: ${message}`);
      // A network hiccup is retried at the next poll; say so once when it persists.
      if (w.errors === 3) void vscode.window.showWarningMessage(`Alignment Studio: checking the batches of "${w.name}" keeps failing: ${message}`, 'Show Log').then((a) => a && this.log.show());
    }
    this.render();
  }

  private unwatch(w: Watch): void {
    if (w.timer) clearTimeout(w.timer);
    this.watches.delete(w.runDir);
    for (const l of w.listeners) l(w);
    w.listeners.clear();
    this.render();
  }

  /** A cancellable notification following a watched run (closing it only stops showing; watching goes on). */
  private showProgress(w: Watch): Thenable<void> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Batch "${w.name}"`, cancellable: true }, (progress, token) => new Promise<void>((resolve) => {
      let reported = 0;
      const update = (x: Watch): void => {
        const pct = Math.floor((x.summary?.fraction ?? 0) * 100);
        progress.report({ increment: Math.max(0, pct - reported), message: x.summary ? formatJobsSummary(x.summary) : 'checking…' });
        reported = Math.max(reported, pct);
        if (!this.watches.has(x.runDir)) resolve();
      };
      w.listeners.add(update);
      update(w);
      token.onCancellationRequested(() => {
        w.listeners.delete(update);
        resolve();
      });
    }));
  }

  /** Uploads and creates the batches of a run's latest export; false (and says why) when that fails. */
  private async submitRun(runDir: string, experiment: OpenedExperiment): Promise<boolean> {
    const latest = listExports(runDir).pop();
    if (!latest) throw new ResumeError(`run ${path.basename(runDir)} has no export: use "Export Experiment as Batch" first`);
    const baseURL = experiment.plan.spec.models.find((m) => m.id === latest.shards[0]?.model)?.baseURL ?? '';
    try {
      const jobs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Submitting "${experiment.plan.spec.name}"`, cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return this.exclusive(runDir, () => submitExport(runDir, latest, this.clientFor(experiment), (j) => {
          progress.report({ increment: 100 / latest.shards.length, message: `${j.shard} → ${j.batchId}` });
          this.log.info(`batch run ${path.basename(runDir)}: submitted ${j.shard} as ${j.batchId} (${j.status})`);
        }, controller.signal));
      });
      this.log.info(`batch run ${path.basename(runDir)}: ${jobs.length} batch(es) submitted; state in batch/jobs.json`);
      return true;
    } catch (e) {
      const message = describeBatchError(e, baseURL);
      this.log.error(message);
      void vscode.window.showErrorMessage(`Alignment Studio: ${message}`, 'Copy vLLM Commands', 'Show Log').then(async (a) => {
        if (a === 'Copy vLLM Commands') await vscode.env.clipboard.writeText(`cd ${path.join(exportsDir(runDir), latest.exportId)}\n${vllmRunBatchCommands(latest, experiment.plan.spec).join('\n')}\n`);
        if (a === 'Show Log') this.log.show();
      });
      return false;
    }
  }

  private reportImport(runDir: string, experiment: OpenedExperiment, r: ImportReport, openResults: boolean): void {
    const name = experiment.plan.spec.name;
    for (const e of r.errors) this.log.error(`${e.file}:${e.line}: ${e.message}`);
    for (const t of r.truncated) this.log.warn(`${t.file}:${t.line}: ${t.message}`);
    for (const f of r.failed.slice(0, 50)) this.log.warn(`${f.file}:${f.line}: failed request ${f.customId ?? ''}: ${f.message}`);
    const line = `imported ${r.imported} answers (${r.duplicates} already in the run), ${r.failed.length} failed, ${r.pending} missing${r.errorCount ? `, ${r.errorCount} invalid lines` : ''}`;
    this.log.info(`batch run ${path.basename(runDir)}: ${line}`);
    const runUri = vscode.Uri.file(runDir);
    const complete = r.pending === 0;
    if (complete && openResults) void vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
    const actions = complete ? ['Open Results'] : ['Export Missing as Batch', 'Run Missing Live', 'Show Log'];
    const notify = complete && !r.errorCount ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void notify(`Alignment Studio: "${name}" — ${line}.`, ...actions).then(async (a) => {
      const file = experiment.file ? vscode.Uri.file(experiment.file) : undefined;
      if (a === 'Open Results') await vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
      if (a === 'Export Missing as Batch' && file) await vscode.commands.executeCommand('alignmentStudio.batch.export', file);
      if (a === 'Run Missing Live' && file) await vscode.commands.executeCommand('alignmentStudio.runExperiment', file);
      if (a === 'Show Log') this.log.show();
    });
  }

  private logExport(x: ExportedRun): void {
    const m = x.manifest;
    this.log.info(`batch run ${x.runId}${x.resumed ? ' (continued)' : ''}: export ${m.exportId}, ${m.lines} lines (${m.samples} samples) in ${m.shards.length} file(s), ${m.cached} from earlier runs, ${m.recorded} of replay models`);
    for (const l of formatBatchChoice(x.choice)) this.log.info(l);
  }

  /** The run a command is about: a run folder, the latest batch run of an experiment, or the one pending / picked. */
  private async resolveRun(target?: vscode.Uri): Promise<{ runDir: string; experiment: OpenedExperiment } | undefined> {
    if (target instanceof vscode.Uri) {
      if (fs.existsSync(path.join(target.fsPath, 'manifest.json'))) return this.runOf(target.fsPath);
      const experiment = await this.open(target);
      return { runDir: findBatchRun(runsDirFor(target).runsDir, experiment), experiment };
    }
    const runs = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => listBatchRuns(path.join(f.uri.fsPath, '.alignment', 'runs')));
    if (!runs.length) {
      void vscode.window.showInformationMessage('Alignment Studio: no batch run in this workspace. Use "Run Experiment" → "Run as Batch", or "Export Experiment as Batch".');
      return undefined;
    }
    const pending = runs.filter((r) => isBatchPending(r.jobs));
    if (runs.length === 1 || pending.length === 1) return this.runOf((pending[0] ?? runs[0]).dir);
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({
      label: r.manifest.experiment.name, description: r.runId,
      detail: r.jobs.length ? formatJobsSummary(summarizeJobs(r.jobs)) : 'exported, not submitted', dir: r.dir,
    })), { title: 'Which batch run?' });
    return pick ? this.runOf(pick.dir) : undefined;
  }

  private async runOf(runDir: string): Promise<{ runDir: string; experiment: OpenedExperiment }> {
    const m = readManifest(runDir);
    if (!m.experimentFile) throw new ResumeError(`run ${path.basename(runDir)} does not name its experiment file`);
    // <workspace>/.alignment/runs/<run>: the experiment file is relative to the workspace.
    const workspaceDir = path.dirname(path.dirname(path.dirname(runDir)));
    return { runDir, experiment: await this.open(vscode.Uri.file(path.resolve(workspaceDir, m.experimentFile))) };
  }

  private open(file: vscode.Uri): Promise<OpenedExperiment> {
    return openExperiment(file.fsPath, createTemplateRenderer, readModelSettings(this.log));
  }

  private clientFor(experiment: OpenedExperiment): (model: string) => Promise<BatchClient> {
    const clients = new Map<string, Promise<BatchClient>>();
    return (id) => {
      let c = clients.get(id);
      if (!c) {
        const m = experiment.plan.spec.models.find((x) => x.id === id);
        if (!m) return Promise.reject(new InputError(`model "${id}" of the batch is not in the experiment any more`, { file: experiment.file, line: 1, column: 1 }, 'models'));
        clients.set(id, (c = createBatchClient(m, this.keys.lookup)));
      }
      return c;
    };
  }

  private exclusive<T>(runDir: string, fn: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(runDir) ?? Promise.resolve()).then(fn, fn);
    this.queues.set(runDir, next.catch(() => undefined));
    return next;
  }

  /** Input problems become notifications with the file and line; anything else is shown and logged. */
  private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof InputError || e instanceof ResumeError) showInputError(e, this.log);
      else {
        this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        void vscode.window.showErrorMessage(`Alignment Studio: ${e instanceof Error ? e.message : String(e)}`);
      }
      return undefined;
    }
  }

  private render(): void {
    if (this.disposed) return;
    const ws = [...this.watches.values()];
    if (!ws.length) {
      this.item.hide();
      return;
    }
    const total = ws.reduce((s, w) => s + (w.summary?.total ?? 0), 0);
    const progress = ws.reduce((s, w) => s + (w.summary ? w.summary.fraction * w.summary.total : 0), 0);
    const pct = total ? Math.floor((progress / total) * 100) : 0;
    this.item.text = `$(cloud-upload) Batch${ws.length > 1 ? `es (${ws.length})` : ''}: ${pct}%`;
    this.item.tooltip = ws.map((w) => `${w.name}: ${w.summary ? formatJobsSummary(w.summary) : 'checking…'}${w.errors ? ` (last check failed)` : ''}`).join('\n');
    this.item.show();
  }

  /** Watches in progress (tests). */
  get watching(): string[] {
    return [...this.watches.keys()];
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watches.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.finish(undefined);
    }
    this.watches.clear();
    this.item.dispose();
  }
}

async function pickExperiment(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.fsPath.endsWith('.experiment.json')) return active;
  const files = await vscode.workspace.findFiles('**/*.experiment.json', '**/{node_modules,.alignment}/**', 200);
  if (files.length <= 1) {
    if (!files.length) void vscode.window.showWarningMessage('Alignment Studio: no *.experiment.json in this workspace.');
    return files[0];
  }
  const pick = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Run which experiment as a batch?' });
  return pick?.uri;
}
