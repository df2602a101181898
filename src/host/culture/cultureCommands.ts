import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { reviewProgress } from '../../core/culture/augmentationFile';
import { augmentExperiment, loadAugmentation } from '../../core/culture/augmentExperiment';
import { CULTURE_RUNS_DIR } from '../../core/culture/cultureExperiment';
import { exportFineTuneData, type LabelRule } from '../../core/culture/exportFineTuneData';
import { openCultureExperiment, type OpenedCultureExperiment } from '../../core/culture/openCultureExperiment';
import { executeCultureRun, prepareCultureRun } from '../../core/culture/runCultureExperiment';
import { InputError } from '../../core/errors';
import { findUnreachableEndpoints, unreachableMessage, type LiveEndpoint } from '../../core/run/checkEndpoints';
import { createTokenCounter } from '../../core/run/createTokenCounter';
import { ResumeError } from '../../core/run/prepareRun';
import type { ApiKeyStore } from '../apiKeyStore';
import { showInputError } from '../run/ExperimentRunner';
import { readModelSettings } from '../run/readModelSettings';
import { AugmentReviewPanel, tauSetting } from './AugmentReviewPanel';
import { pickCultureExperiment } from './findCultureRuns';

export interface CultureServices {
  extensionUri: vscode.Uri;
  keys: ApiKeyStore;
  log: vscode.LogOutputChannel;
}

/** Options of the culture commands when called from code (tests, walkthrough links). */
export interface CultureCommandOptions {
  confirm?: boolean;
  /** Open the dashboard / the review when done (default true). */
  open?: boolean;
  /** augmentSeeds: the seed ids (else a QuickPick); exportFineTuneData: labels, held-out fraction. */
  questions?: string[];
  labels?: LabelRule;
  heldOutFraction?: number;
}

const asUri = (v: unknown): vscode.Uri | undefined => (v instanceof vscode.Uri ? v : undefined);

async function open(file: vscode.Uri, s: CultureServices): Promise<OpenedCultureExperiment | undefined> {
  try {
    const exp = await openCultureExperiment(file.fsPath, readModelSettings(s.log));
    for (const w of exp.warnings) s.log.warn(`${w.file}:${w.line}:${w.column}: ${w.message}`);
    return exp;
  } catch (e) {
    if (e instanceof InputError || e instanceof ResumeError || e instanceof RangeError) {
      showInputError(e, s.log);
      return undefined;
    }
    throw e;
  }
}

async function reachable(endpoints: LiveEndpoint[], file: vscode.Uri, s: CultureServices): Promise<boolean> {
  const unreachable = await findUnreachableEndpoints(endpoints);
  if (!unreachable.length) return true;
  const message = unreachableMessage(unreachable, vscode.workspace.asRelativePath(file), 'editor');
  s.log.error(message);
  void vscode.window.showErrorMessage(`Alignment Studio: ${message}`, 'Open Experiment', 'Set API Key').then(async (a) => {
    if (a === 'Open Experiment') await vscode.window.showTextDocument(file);
    if (a === 'Set API Key') await vscode.commands.executeCommand('alignmentStudio.setApiKey');
  });
  return false;
}

/**
 * "Evaluate Cultures (Culture Experiment)": the estimate (confirm), then the run on the engine with a cancellable progress
 * notification, then the Culture dashboard. Returns the run folder (or undefined when nothing ran).
 */
export async function runCultureExperiment(s: CultureServices, fileArg?: unknown, options: CultureCommandOptions = {}): Promise<vscode.Uri | undefined> {
  const file = asUri(fileArg) ?? await pickCultureExperiment('Run which culture experiment?');
  if (!file) return undefined;
  const exp = await open(file, s);
  if (!exp) return undefined;
  const runsDir = path.join(path.dirname(exp.file), CULTURE_RUNS_DIR);
  let prepared;
  try {
    prepared = prepareCultureRun(exp, { runsDir, countTokens: await createTokenCounter(exp.spec.models) });
  } catch (e) {
    showInputError(e, s.log);
    return undefined;
  }
  const e = prepared.estimate;
  if (e.requests > e.recordedRequests && !(await reachable(exp.spec.models.filter((m) => m.kind !== 'replay').map((m) => ({ modelId: m.id, baseURL: m.baseURL ?? 'https://api.openai.com/v1' })), file, s))) {
    prepared.cache.close();
    return undefined;
  }
  const confirm = options.confirm ?? vscode.workspace.getConfiguration('alignmentStudio.run').get<boolean>('confirm', true);
  if (confirm) {
    const detail = [
      `${exp.conditions.length} conditions (${exp.spec.cultures.length} cultures × ${exp.spec.models.length} models × ${exp.spec.templates.length} templates) × ${exp.questions.length} questions × ${exp.spec.samples} samples = ${e.samples} samples${prepared.resuming ? ` — continuing run ${prepared.runId} (${e.alreadyDone} already answered)` : ''}`,
      `${e.cached} from earlier runs (cache), ${e.requests} requests to make${e.recordedRequests ? ` (${e.recordedRequests} from recorded answers, offline)` : ''}`,
      `~${e.inputTokens.toLocaleString('en-US')} input tokens · cost ${e.cost === null ? 'unknown (a model has no price)' : e.cost === 0 ? 'free' : `≤ $${e.cost.toFixed(4)}`}`,
    ].join('\n');
    const choice = await vscode.window.showInformationMessage(`Run "${exp.spec.name}"?`, { modal: true, detail }, prepared.resuming ? 'Continue Run' : 'Run');
    if (!choice) {
      prepared.cache.close();
      return undefined;
    }
  }
  s.log.info(`culture: ${prepared.resuming ? 'resuming' : 'starting'} run ${prepared.runId} of ${vscode.workspace.asRelativePath(file)}: ${e.samples} samples, ${e.requests} requests`);
  let result;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${exp.spec.name}${prepared.recorded ? ' (recorded answers)' : ''}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return executeCultureRun(prepared, {
        keys: s.keys.lookup, signal: controller.signal, workspaceDir: vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath,
        log: (m) => s.log.info(`culture: ${m}`),
        onProgress: (p) => {
          const pct = p.planned ? ((p.done + p.failed) / p.planned) * 100 : 0;
          progress.report({ increment: Math.max(0, pct - reported), message: `${p.done}/${p.planned} answered · ${p.cached} cached · ${p.failed} failed` });
          reported = Math.max(reported, pct);
        },
      });
    });
  } catch (err) {
    showInputError(err, s.log);
    return undefined;
  }
  const sum = result.summary;
  const line = `${sum.status}: ${sum.done}/${sum.planned} answered (${sum.cached} cached), ${sum.failed} failed in ${(sum.elapsedMs / 1000).toFixed(1)} s`;
  s.log.info(`culture: run ${result.runId}: ${line}`);
  const runUri = vscode.Uri.file(result.runDir);
  if (sum.status !== 'cancelled' && (options.open ?? true)) await vscode.commands.executeCommand('alignmentStudio.openCultureDashboard', runUri);
  const notify = sum.status === 'failed' || sum.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void notify(`Alignment Studio: ${exp.spec.name} — ${line}${sum.error ? ` (${sum.error})` : ''}${sum.status === 'cancelled' ? '. Run again to continue where it stopped.' : ''}`);
  return runUri;
}

/** The decisions file of a review target: a `*.augment.json`, or the culture experiment naming it. */
async function decisionsFile(arg: unknown, s: CultureServices): Promise<string | undefined> {
  const uri = asUri(arg);
  if (uri && uri.path.endsWith('.augment.json')) return uri.fsPath;
  const file = uri ?? await pickCultureExperiment('Review the augmentation of which culture experiment?');
  if (!file) return undefined;
  const exp = await open(file, s);
  if (!exp) return undefined;
  try {
    const { file: f, exists } = loadAugmentation(exp);
    if (!exists) {
      void vscode.window.showInformationMessage(`Alignment Studio: no candidates yet in ${vscode.workspace.asRelativePath(f)}. Run "Augment Seeds" first.`, 'Augment Seeds').then((a) => {
        if (a) void vscode.commands.executeCommand('alignmentStudio.augmentSeeds', file);
      });
      return undefined;
    }
    return f;
  } catch (e) {
    showInputError(e, s.log);
    return undefined;
  }
}

export async function reviewAugmentation(s: CultureServices, arg?: unknown): Promise<string | undefined> {
  const file = await decisionsFile(arg, s);
  if (file) AugmentReviewPanel.show(s.extensionUri, s.log, file);
  return file;
}

/** "Augment Seeds": pick seeds, paraphrase them with the configured model, filter by τ, then open the review. */
export async function augmentSeeds(s: CultureServices, fileArg?: unknown, options: CultureCommandOptions = {}): Promise<{ file: string; added: number; passed: number; failed: number } | undefined> {
  const file = asUri(fileArg) ?? await pickCultureExperiment('Augment the seeds of which culture experiment?');
  if (!file) return undefined;
  const exp = await open(file, s);
  if (!exp) return undefined;
  const spec = exp.spec.augmentation;
  if (!spec?.model || !spec.embeddings) {
    showInputError(new InputError('this experiment has no "augmentation" with a paraphrase "model" and an "embeddings" endpoint (see examples/culturellm)', { file: exp.file, line: 1, column: 1 }, 'augmentation'), s.log);
    return undefined;
  }
  let questions = options.questions;
  if (!questions) {
    const { augmentation } = loadAugmentation(exp);
    const done = new Set(augmentation.candidates.map((c) => c.questionId));
    const picks = await vscode.window.showQuickPick(exp.questions.map((q) => ({ label: q.id, description: q.text.en, detail: done.has(q.id) ? 'has candidates: asks for more' : undefined, picked: false })), { canPickMany: true, title: 'Augment which seed questions?', matchOnDescription: true });
    if (!picks?.length) return undefined;
    questions = picks.map((p) => p.label);
  }
  if (!(await reachable([{ modelId: spec.model.id, baseURL: spec.model.baseURL ?? 'https://api.openai.com/v1' }, { modelId: spec.embeddings.model, baseURL: spec.embeddings.baseURL }], file, s))) return undefined;
  const tau = tauSetting() ?? undefined;
  let result;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Augmenting ${questions.length} seed(s)`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return augmentExperiment(exp, {
        keys: s.keys.lookup, questions, more: true, ...(tau !== undefined ? { tau } : {}), signal: controller.signal, log: (m) => s.log.info(`augment: ${m}`),
        onProgress: (p) => progress.report({ increment: 100 / Math.max(1, p.total), message: `${p.questionId}: ${p.candidates} candidates (${p.done}/${p.total})` }),
      });
    });
  } catch (e) {
    showInputError(e, s.log);
    return undefined;
  }
  const p = reviewProgress(result.file);
  s.log.info(`augment: ${result.added} candidates, ${result.passed} passed τ ${result.file.settings.tau}; ${result.failed.length} failed`);
  for (const f of result.failed) s.log.warn(`augment: ${f.questionId}: ${f.error}`);
  if (options.open ?? true) AugmentReviewPanel.show(s.extensionUri, s.log, result.path);
  const notify = result.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void notify(`Alignment Studio: ${result.added} paraphrase candidates, ${result.passed} passed τ ${result.file.settings.tau}${result.failed.length ? `; ${result.failed.length} seed(s) failed (see the log)` : ''}. ${p.pending} to review.`);
  return { file: result.path, added: result.added, passed: result.passed, failed: result.failed.length };
}

/** "Export Fine-Tuning Data": per culture + all cultures JSONL, split and report in `finetune/`, validated. */
export async function exportFineTuneDataCommand(s: CultureServices, fileArg?: unknown, options: CultureCommandOptions = {}): Promise<{ dir: string; valid: boolean; files: string[] } | undefined> {
  const file = asUri(fileArg) ?? await pickCultureExperiment('Export fine-tuning data of which culture experiment?');
  if (!file) return undefined;
  const exp = await open(file, s);
  if (!exp) return undefined;
  const model = { id: 'gpt-4o-mini', kind: 'openai' as const, model: 'gpt-4o-mini' };
  const count = await createTokenCounter([model]);
  const result = exportFineTuneData(exp, { countTokens: (t) => count(t, model), labels: options.labels ?? 'paper', ...(options.heldOutFraction !== undefined ? { heldOutFraction: options.heldOutFraction } : {}) });
  const dir = path.join(path.dirname(exp.file), 'finetune');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of result.files) fs.writeFileSync(path.join(dir, f.name), f.text);
  fs.writeFileSync(path.join(dir, 'split.json'), `${JSON.stringify(result.split, null, 2)}\n`);
  const report = { labels: result.labels, split: result.split, totalTokens: result.totalTokens, trainingTokens: result.trainingTokens, valid: result.valid,
    files: result.files.map((f) => ({ name: f.name, culture: f.cultureId, records: f.records, paraphraseRecords: f.paraphraseRecords, skipped: f.skipped, bytes: f.report.bytes, totalTokens: f.report.totalTokens, errors: f.report.errors })) };
  fs.writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const errors = result.files.reduce((n, f) => n + f.report.errors.length, 0);
  const records = result.files.filter((f) => f.cultureId).reduce((n, f) => n + f.records, 0);
  const line = `${result.files.length} files in ${vscode.workspace.asRelativePath(dir)}: ${records} records (${result.split.train.length} training questions, ${result.split.heldOut.length} held out), ${result.trainingTokens.toLocaleString('en-US')} training tokens over 3 epochs; ${errors ? `${errors} validation error(s)` : 'all valid'}`;
  s.log.info(`finetune-data: ${line}`);
  const notify = errors ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void notify(`Alignment Studio: ${line}.`, 'Open Report').then(async (a) => {
    if (a) await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'report.json')));
  });
  return { dir, valid: result.valid, files: result.files.map((f) => f.name) };
}
