import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { batchDir } from '../../core/batch/batchFormat';
import { hasPendingBatches } from '../../core/batch/batchProgress';
import { batchChoiceOf, formatBatchConfirm } from '../../core/batch/estimateBatch';
import { InputError } from '../../core/errors';
import { originOf } from '../../core/run/createOpenAICompleter';
import { experimentEndpoints, experimentKindOfText, findUnreachableEndpoints, unreachableMessage } from '../../core/run/checkEndpoints';
import { createTemplateRenderer } from '../../core/run/createTemplateRenderer';
import { createTokenCounter } from '../../core/run/createTokenCounter';
import { describeEarlyStop, estimateEarlyStop } from '../../core/live/estimateEarlyStop';
import type { LiveSnapshot } from '../../core/live/RunMonitor';
import { executeRun, type ExecutedRun } from '../../core/run/executeRun';
import { openExperiment, type OpenedExperiment } from '../../core/run/openExperiment';
import { prepareRun, ResumeError, type PreparedRun, type PrepareRunOptions } from '../../core/run/prepareRun';
import type { RunProgress } from '../../core/run/runRequests';
import { listIdleRuns } from '../../core/run/RunStore';
import { isWithin } from '../../core/workspace/containPath';
import type { ApiKeyStore } from '../apiKeyStore';
import { requireTrust } from '../workspaceTrust';
import { readModelSettings } from './readModelSettings';
import type { RunStatusBar } from './RunStatusBar';

/** Options of a run started from code (tests, other commands). */
export interface RunOptions {
  /** Ask before starting (default: the `alignmentStudio.run.confirm` setting). */
  confirm?: boolean;
  /** Open the results panel when the run completes (default true); it also shows the run live while it goes. */
  openResults?: boolean;
  /** Reuse answers of earlier runs (default: the `alignmentStudio.run.useCache` setting). */
  useCache?: boolean;
  /** Continue past the experiment's stop rules (`scoring.stop`): "Continue Past Stop". */
  ignoreStop?: boolean;
  /** Continue this run id (default: the latest unfinished run of the experiment). */
  resume?: string;
}

function useCacheSetting(): boolean {
  return vscode.workspace.getConfiguration('alignmentStudio.run').get<boolean>('useCache', true);
}

/** Where a workspace keeps its runs. */
export function runsDirFor(file: vscode.Uri): { workspaceDir: string; runsDir: string; quickDir: string } {
  const workspaceDir = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
  return { workspaceDir, runsDir: path.join(workspaceDir, '.alignment', 'runs'), quickDir: path.join(workspaceDir, '.alignment', 'quick') };
}

/** Turns a core input error into a notification that opens the file at the line (not awaited: nobody may click). */
export function showInputError(e: unknown, log: vscode.LogOutputChannel): void {
  const message = e instanceof Error ? e.message : String(e);
  log.error(message);
  if (!(e instanceof InputError)) {
    void vscode.window.showErrorMessage(`Alignment Studio: ${message}`);
    return;
  }
  void vscode.window.showErrorMessage(`Alignment Studio: ${message}`, 'Open File').then(async (action) => {
    if (!action) return;
    const pos = new vscode.Position(Math.max(0, e.location.line - 1), Math.max(0, e.location.column - 1));
    await vscode.window.showTextDocument(vscode.Uri.file(e.location.file), { selection: new vscode.Range(pos, pos) });
  });
}

/**
 * "Run Experiment": validates the experiment, shows the estimate (requests, cache, tokens, cost) and asks to
 * confirm, then runs it with a cancellable progress notification, a status bar item and a log channel per run,
 * and opens the results. An unfinished run of the same experiment (a crash, a window reload, a cancel) is
 * continued rather than started again.
 */
export class ExperimentRunner implements vscode.Disposable {
  private readonly running = new Set<string>();
  private readonly channels: vscode.LogOutputChannel[] = [];

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly statusBar: RunStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(file?: vscode.Uri, options: RunOptions = {}): Promise<vscode.Uri | undefined> {
    // Restricted Mode: no request is sent, no run starts or resumes, nothing is written.
    if (!requireTrust('Running an experiment', this.log)) return undefined;
    // Menus and trees may pass other objects than a Uri: then ask.
    const target = file instanceof vscode.Uri ? file : await pickExperiment();
    if (!target) return undefined;
    if (this.running.has(target.fsPath)) {
      void vscode.window.showWarningMessage(`Alignment Studio: ${vscode.workspace.asRelativePath(target)} is already running.`);
      return undefined;
    }
    this.running.add(target.fsPath);
    try {
      return await this.runUnguarded(target, options);
    } finally {
      this.running.delete(target.fsPath);
    }
  }

  private async runUnguarded(target: vscode.Uri, options: RunOptions): Promise<vscode.Uri | undefined> {
    const { workspaceDir, runsDir, quickDir } = runsDirFor(target);
    let experiment: OpenedExperiment;
    let prepared: PreparedRun;
    let prepareOptions: PrepareRunOptions;
    try {
      // Every file the experiment names must lie inside its workspace folder (docs/security.md).
      experiment = await openExperiment(target.fsPath, createTemplateRenderer, readModelSettings(this.log), { root: workspaceDir });
      for (const w of experiment.warnings) this.log.warn(`${w.file}:${w.line}:${w.column}: ${w.message}`);
      prepareOptions = {
        runsDir, cacheDirs: [quickDir], workspaceDir, countTokens: await createTokenCounter(experiment.plan.spec.models), cache: options.useCache ?? useCacheSetting(),
        ...(options.resume ? { resume: options.resume } : {}),
      };
      prepared = prepareRun(experiment, prepareOptions);
    } catch (e) {
      if (e instanceof InputError || e instanceof ResumeError) {
        showInputError(e, this.log);
        return undefined;
      }
      throw e;
    }
    const { spec } = experiment.plan;
    if (prepared.estimate.requests > prepared.estimate.recordedRequests) {
      // A live experiment whose server is not there fails here, at once, with what to do, not after every retry.
      const unreachable = await findUnreachableEndpoints(experimentEndpoints(spec).endpoints);
      if (unreachable.length) {
        const message = unreachableMessage(unreachable, vscode.workspace.asRelativePath(target), 'editor');
        this.log.error(message);
        void vscode.window.showErrorMessage(`Alignment Studio: ${message}`, 'Open Experiment', 'Set API Key').then(async (action) => {
          if (action === 'Open Experiment') await vscode.window.showTextDocument(target);
          if (action === 'Set API Key') await vscode.commands.executeCommand('alignmentStudio.setApiKey');
        });
        return undefined;
      }
    }
    const confirm = options.confirm ?? vscode.workspace.getConfiguration('alignmentStudio.run').get<boolean>('confirm', true);
    // What the stop rules would likely save, simulated on recorded (or earlier) answers, shown with the estimate.
    let saving: string[] = [];
    if (spec.scoring?.stop) {
      if (options.ignoreStop) saving = ['Stop rules ignored: every persona is asked (continuing past the stop).'];
      else {
        try {
          const e = await estimateEarlyStop(prepared);
          if (e) saving = describeEarlyStop(e).map((l) => l.trim());
        } catch (err) {
          this.log.warn(`early-stop estimate failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    const how = confirm ? await this.confirm(prepared, saving) : 'live';
    if (how !== 'live') prepared.cache.close();
    if (!how) return undefined;
    if (how === 'batch') {
      return vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.batch.run', target, { confirm: false });
    }
    // "Run Without Cache": every answer asked again, none taken from earlier runs.
    if (how === 'no-cache') prepared = prepareRun(experiment, { ...prepareOptions, cache: false });

    const channel = vscode.window.createOutputChannel(`Alignment Run ${prepared.runId}`, { log: true });
    this.channels.push(channel);
    while (this.channels.length > 5) this.channels.shift()!.dispose();
    const e = prepared.estimate;
    channel.info(`${prepared.resuming ? 'resuming' : 'starting'} run ${prepared.runId} of ${vscode.workspace.asRelativePath(target)}`);
    channel.info(`${e.samples} samples: ${e.alreadyDone} already in the run, ${e.cached} cached, ${e.requests} requests (${e.recordedRequests} recorded); ~${e.inputTokens} input tokens; cost ${formatCost(e.cost)}`);
    for (const l of saving) channel.info(l);
    const live = options.openResults ?? true;
    const labels = Object.fromEntries(spec.conditions.map((c) => [c.id, c.label ?? c.id]));
    const runDir = path.join(runsDir, prepared.runId);
    // Live snapshots reach the panel in order, all of them before the final results.
    let liveChain: Promise<unknown> = Promise.resolve();
    const showLive = (snapshot?: LiveSnapshot): Promise<unknown> => (liveChain = liveChain.then(() => vscode.commands.executeCommand('alignmentStudio.results.live', { runDir, snapshot, experimentName: spec.name, labels })).catch((err: unknown) => this.log.warn(`live results: ${String(err)}`)));
    if (live) await showLive();
    const name = spec.name.length > 30 ? `${spec.name.slice(0, 29)}…` : spec.name;
    this.statusBar.start(name, { title: 'Show Run Log', command: 'alignmentStudio.showRunLog', arguments: [prepared.runId] });

    let result: ExecutedRun | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${spec.name}${prepared.recorded ? ' (recorded answers)' : ''}`, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => {
            channel.info('cancel requested: aborting in-flight requests');
            controller.abort();
          });
          let reported = 0;
          return executeRun(prepared, {
            keys: this.keys.lookup,
            signal: controller.signal,
            workspaceDir,
            ignoreStop: options.ignoreStop,
            // The results panel follows the run: scores, the delta and its interval, coverage, the stop reason.
            ...(live ? {
              liveIntervalMs: 300,
              onLive: (snapshot: LiveSnapshot) => void showLive(snapshot),
            } : {}),
            log: (m) => channel.info(m),
            onProgress: (p) => {
              const pct = p.planned ? ((p.done + p.failed) / p.planned) * 100 : 0;
              progress.report({ increment: Math.max(0, pct - reported), message: progressMessage(p) });
              reported = Math.max(reported, pct);
              this.statusBar.update(name, p);
            },
          });
        },
      );
    } catch (err) {
      channel.error(err instanceof Error ? err.message : String(err));
      showInputError(err, this.log);
      return undefined;
    } finally {
      this.statusBar.finish();
    }
    const s = result.summary;
    const line = `${s.status}: ${s.done}/${s.planned} answered (${s.cached} cached), ${s.failed} failed, ${s.retries} retries in ${(s.elapsedMs / 1000).toFixed(1)} s${s.cost ? `, $${s.cost.toFixed(4)}` : ''}`;
    channel.info(line);
    this.log.info(`run ${result.runId}: ${line}`);
    const runUri = vscode.Uri.file(result.runDir);
    await liveChain;
    const finished = s.status === 'completed' || s.status === 'stopped';
    if (finished && (options.openResults ?? true)) await vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
    const actions = finished ? ['Show Log'] : ['Open Results', 'Show Log'];
    if (result.stop) actions.unshift('Continue Past Stop');
    const notify = s.status === 'failed' || s.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const why = result.stop ? ` Stopped early (${result.stop.rule}): ${result.stop.reason}.` : '';
    void notify(`Alignment Studio: ${spec.name} — ${line}${s.error ? ` (${s.error})` : ''}${why}${s.status === 'cancelled' ? '. Run again to continue where it stopped.' : ''}`, ...actions).then((a) => {
      if (a === 'Open Results') void vscode.commands.executeCommand('alignmentStudio.openResults', runUri);
      if (a === 'Show Log') channel.show();
      if (a === 'Continue Past Stop') void this.run(target, { ...options, ignoreStop: true, resume: result.runId });
    });
    return runUri;
  }

  /**
   * The estimate as a modal; a live endpoint without a stored key is pointed out (local servers need none). With
   * live models it offers both ways, live or as a batch (price and duration of each), and "Run Without Cache" when
   * earlier answers would be reused; undefined = cancelled.
   */
  private async confirm(prepared: PreparedRun, saving: string[] = []): Promise<'live' | 'batch' | 'no-cache' | undefined> {
    const e = prepared.estimate;
    const { spec } = prepared.experiment.plan;
    const lines = [
      `${e.samples} samples${prepared.resuming ? ` — continuing run ${prepared.runId} (${e.alreadyDone} already answered)` : ''}`,
      `${e.cached} from earlier runs (cache), ${e.requests} requests to make${e.recordedRequests ? ` (${e.recordedRequests} from recorded answers, offline)` : ''}`,
      `~${e.inputTokens.toLocaleString('en-US')} input tokens, ≤ ${e.outputTokensMax.toLocaleString('en-US')} output tokens`,
      `Cost: ${formatCost(e.cost)}`,
      ...saving,
    ];
    for (const m of spec.models) {
      if (m.kind !== 'openai' || !m.baseURL || !spec.conditions.some((c) => c.model === m.id)) continue;
      if (!(await this.keys.has(m.baseURL))) lines.push(`No API key stored for ${originOf(m.baseURL)} (fine for a local server; else use "Set API Key").`);
    }
    const noCache = 'Run Without Cache';
    const extra = e.cached > 0 ? [noCache] : [];
    const batchable = e.requests > e.recordedRequests;
    if (!batchable) {
      const run = prepared.resuming ? 'Continue Run' : 'Run';
      const choice = await vscode.window.showInformationMessage(`Run "${spec.name}"?`, { modal: true, detail: lines.join('\n') }, run, ...extra);
      return choice === run ? 'live' : choice === noCache ? 'no-cache' : undefined;
    }
    lines.push('', ...formatBatchConfirm(batchChoiceOf(prepared, await createTokenCounter(spec.models))));
    if (prepared.resuming && hasPendingBatches(path.join(prepared.runsDir, prepared.runId))) {
      lines.push('This run has batches still running: running it live asks their requests again.');
    }
    const [live, batch] = prepared.resuming ? ['Continue Live', 'Continue as Batch'] : ['Run Live', 'Run as Batch'];
    const choice = await vscode.window.showInformationMessage(`Run "${spec.name}"?`, { modal: true, detail: lines.join('\n') }, live, batch, ...extra);
    return choice === live ? 'live' : choice === batch ? 'batch' : choice === noCache ? 'no-cache' : undefined;
  }

  /**
   * After a crash or a window reload: offers to continue runs left `running` with no live writer. Running the
   * experiment again continues them anyway; this only saves finding it.
   */
  async offerResume(): Promise<void> {
    if (!vscode.workspace.isTrusted) return; // asked again when the workspace is trusted (extension.ts)
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const { id, dir, manifest: m } of listIdleRuns(path.join(folder.uri.fsPath, '.alignment', 'runs'))) {
        // A batch run waits for its batches (BatchService watches it), it was not interrupted.
        if (m.status !== 'running' || !m.experimentFile || fs.existsSync(batchDir(dir))) continue;
        const file = vscode.Uri.file(path.resolve(folder.uri.fsPath, m.experimentFile));
        // A manifest is workspace data: it may only name an experiment of this workspace folder.
        if (!isWithin(folder.uri.fsPath, file.fsPath)) continue;
        this.log.info(`run ${id} of ${m.experimentFile} was interrupted`);
        const action = await vscode.window.showInformationMessage(`Alignment Studio: the run of "${m.experiment.name}" was interrupted. Continue it?`, 'Continue Run');
        if (action) await this.run(file);
        return;
      }
    }
  }

  /** Shows the log channel of a run of this session. */
  showLog(runId?: string): void {
    const channel = (runId && this.channels.find((c) => c.name.endsWith(runId))) || this.channels.at(-1);
    if (channel) channel.show();
    else this.log.show();
  }

  dispose(): void {
    for (const c of this.channels) c.dispose();
  }
}

function formatCost(cost: number | null): string {
  return cost === null ? 'unknown (a model has no price)' : cost === 0 ? 'free' : `≤ $${cost.toFixed(4)}`;
}

function progressMessage(p: RunProgress): string {
  const eta = p.etaSec === undefined ? '' : ` · ~${p.etaSec < 90 ? `${Math.ceil(p.etaSec)} s` : `${Math.ceil(p.etaSec / 60)} min`} left`;
  return `${p.done}/${p.planned} done · ${p.cached} cached · ${p.failed} failed · ${p.ratePerSec.toFixed(1)}/s${eta}${p.cost ? ` · $${p.cost.toFixed(4)}` : ''}`;
}

async function pickExperiment(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.experiment.json', '**/{node_modules,.alignment}/**', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage('Alignment Studio: no *.experiment.json in this workspace.');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && files.some((f) => f.fsPath === active.fsPath)) return active;
  if (files.length === 1) return files[0];
  // Offline (recorded) experiments first, so Enter on a new machine runs one that works without a server or a key.
  const items = await Promise.all(files.map(async (uri) => {
    const kind = experimentKindOfText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    const endpoints = kind?.endpoints.map((e) => e.baseURL).join(', ');
    return { label: vscode.workspace.asRelativePath(uri), uri, offline: kind?.offline ?? false,
      description: kind?.offline ? 'offline · recorded answers, no key needed' : endpoints ? `live · ${endpoints}` : 'live' };
  }));
  items.sort((a, b) => Number(b.offline) - Number(a.offline) || a.label.localeCompare(b.label));
  const pick = await vscode.window.showQuickPick(items, { title: 'Run which experiment?' });
  return pick?.uri;
}
