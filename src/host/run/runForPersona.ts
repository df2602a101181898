import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import type { ConditionSpec, ExperimentSpec, ModelSpec, ResponseRecord } from '../../core/experiment';
import type { Persona, Question } from '../../core/model';
import { createTemplateRenderer } from '../../core/run/createTemplateRenderer';
import { executeRun } from '../../core/run/executeRun';
import { formatPersonaAnswers } from '../../core/run/formatPersonaAnswers';
import { openExperimentSpec } from '../../core/run/openExperiment';
import { parseExperiment } from '../../core/run/parseExperiment';
import { prepareRun } from '../../core/run/prepareRun';
import { readResponses } from '../../core/run/readRun';
import { RESPONSES_FILE } from '../../core/run/RunStore';
import { isTemplateFile, templateLanguage } from '../../core/template/templateFiles';
import type { ApiKeyStore } from '../apiKeyStore';
import { requireTrust } from '../workspaceTrust';
import type { SelectionService } from '../selection/SelectionService';
import { personaPickItem } from '../selection/selectPersonaCommand';
import type { AnswersDocumentProvider } from './AnswersDocumentProvider';
import { runsDirFor, showInputError } from './ExperimentRunner';
import { readModelSettings } from './readModelSettings';

/** Arguments of `alignmentStudio.runForPersona` (all optional; the preview and the CodeLens pass them). */
export interface RunForPersonaArgs {
  /** Template Uri (or a path relative to the workspace); default the active `.hbs` editor. */
  template?: vscode.Uri | string;
  personaId?: string;
  questionIds?: string[];
  modelIds?: string[];
  /** Show pickers for persona, questions and models even when a selection exists. */
  pick?: boolean;
  /** Experiment whose survey, personas and models to use; default the selection's, or one that has `modelIds`. */
  experiment?: vscode.Uri;
  /** Do not open the answers document (tests). */
  silent?: boolean;
}

export interface PersonaRunResult {
  runDir: string;
  /** The Markdown answers document. */
  uri: vscode.Uri;
  records: ResponseRecord[];
}

export interface RunForPersonaDeps {
  selection: SelectionService;
  keys: ApiKeyStore;
  answers: AnswersDocumentProvider;
  log: vscode.LogOutputChannel;
}

/**
 * "Run for Persona…": runs the selected questions for one persona with one template against the experiment's
 * models (or picked ones), as a small run in `.alignment/quick/` (reusing every cached answer), and shows each
 * sample's raw reply and parsed option next to the respondent's real answer.
 */
export async function runForPersona(deps: RunForPersonaDeps, args: RunForPersonaArgs = {}): Promise<PersonaRunResult | undefined> {
  const { selection, log } = deps;
  if (!requireTrust('Run for persona', log)) return undefined;
  const template = await resolveTemplate(args.template);
  if (!template) return undefined;
  const sel = await selection.ready();
  const settingsModels = readModelSettings(log);
  const chosen = await chooseExperiment(args, sel.experimentUri, template, settingsModels);
  if (!chosen || !sel.survey) {
    void vscode.window.showWarningMessage(sel.problems[0] ?? 'Alignment Studio: Run for persona needs an *.experiment.json (survey, personas, models) in the workspace.');
    return undefined;
  }
  if (chosen instanceof Error) {
    showInputError(chosen, log);
    return undefined;
  }
  const { uri: experimentUri, spec: base } = chosen;
  const experimentFile = experimentUri.fsPath;
  const expDir = path.dirname(experimentFile);
  const templateRel = path.relative(expDir, template.fsPath).split(path.sep).join('/');
  const using = base.conditions.filter((c) => path.resolve(expDir, c.template) === template.fsPath);
  const lang = using[0]?.lang ?? templateLanguage(template.fsPath) ?? 'en';
  const allModels = [...base.models, ...settingsModels.filter((m) => !base.models.some((b) => b.id === m.id))];

  const personaId = args.personaId ?? (!args.pick && sel.persona ? sel.persona.id : await pickPersona(sel.personas, sel.persona?.id));
  if (!personaId) return undefined;
  const questionIds = args.questionIds ?? (!args.pick && sel.question ? [sel.question.id] : await pickQuestions(sel.survey.questions, sel.question?.id));
  if (!questionIds?.length) return undefined;
  const defaultModels = using.length ? [...new Set(using.map((c) => c.model))] : base.conditions.map((c) => c.model).slice(0, 1);
  const modelIds = args.modelIds ?? (args.pick && allModels.length > 1 ? await pickModels(allModels, defaultModels) : defaultModels);
  if (!modelIds?.length) return undefined;
  const models = modelIds.map((id) => allModels.find((m) => m.id === id)).filter((m): m is ModelSpec => m !== undefined);
  if (models.length !== modelIds.length) {
    void vscode.window.showErrorMessage(`Alignment Studio: unknown model ${modelIds.filter((id) => !models.some((m) => m.id === id)).join(', ')}`);
    return undefined;
  }
  const conditions: ConditionSpec[] = models.map((m) => ({ id: models.length > 1 ? `${lang}-${m.id}` : lang, template: templateRel, lang, model: m.id }));
  const spec: ExperimentSpec = {
    ...base, name: `${personaId} · ${path.basename(template.fsPath)}`, personaFilter: { ids: [personaId] }, questions: questionIds, models, conditions,
  };

  const { workspaceDir, runsDir, quickDir } = runsDirFor(experimentUri);
  try {
    const opened = await openExperimentSpec(spec, experimentFile, createTemplateRenderer, [], { root: workspaceDir });
    if (opened.plan.personas.length === 0) throw new Error(`no persona "${personaId}" in ${base.personas}`);
    const useCache = vscode.workspace.getConfiguration('alignmentStudio.run').get<boolean>('useCache', true);
    const prepared = prepareRun(opened, { runsDir: quickDir, resume: 'never', cacheDirs: [runsDir], workspaceDir, cache: useCache });
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${questionIds.join(', ')} for ${personaId}`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return executeRun(prepared, {
          keys: deps.keys.lookup, signal: controller.signal, workspaceDir, log: (m) => log.info(`[quick] ${m}`),
          onProgress: (p) => progress.report({ message: `${p.done}/${p.planned} answered${p.failed ? `, ${p.failed} failed` : ''}` }),
        });
      },
    );
    const records = [...readResponses(path.join(result.runDir, RESPONSES_FILE))];
    const markdown = formatPersonaAnswers({
      persona: opened.plan.personas[0], questions: opened.plan.questions, lang, records, template: templateRel, runId: result.runId,
      recordedModels: new Set(models.filter((m) => m.kind === 'replay').map((m) => m.id)),
    });
    const uri = deps.answers.set(`${personaId} ${path.basename(template.fsPath)} answers`, markdown);
    if (!args.silent) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }
    log.info(`run for ${personaId}: ${result.summary.done} answers, ${result.summary.failed} failed (${result.runDir})`);
    return { runDir: result.runDir, uri, records };
  } catch (e) {
    if (e instanceof InputError) showInputError(e, log);
    else void vscode.window.showErrorMessage(`Alignment Studio: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/**
 * The experiment to take survey, personas and models from: the given one, else the first of the selection's and
 * the workspace's experiments that defines every requested model, preferring one whose conditions use the template.
 */
async function chooseExperiment(args: RunForPersonaArgs, selected: vscode.Uri | null, template: vscode.Uri, settingsModels: ModelSpec[]): Promise<{ uri: vscode.Uri; spec: ExperimentSpec } | Error | undefined> {
  const found = await vscode.workspace.findFiles('**/*.experiment.json', '**/{node_modules,.alignment}/**', 200);
  const candidates = [args.experiment, selected, ...found.sort((a, b) => a.fsPath.localeCompare(b.fsPath))].filter((u): u is vscode.Uri => u instanceof vscode.Uri);
  const seen = new Set<string>();
  let best: { uri: vscode.Uri; spec: ExperimentSpec; score: number } | undefined;
  let firstError: Error | undefined;
  for (const uri of candidates) {
    if (seen.has(uri.fsPath)) continue;
    seen.add(uri.fsPath);
    let spec: ExperimentSpec;
    try {
      spec = parseExperiment(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), uri.fsPath, settingsModels).spec;
    } catch (e) {
      firstError ??= e instanceof Error ? e : new Error(String(e));
      if (uri === args.experiment) return firstError;
      continue;
    }
    if (uri === args.experiment) return { uri, spec };
    const ids = new Set([...spec.models, ...settingsModels].map((m) => m.id));
    const hasModels = !args.modelIds || args.modelIds.every((id) => ids.has(id));
    const usesTemplate = spec.conditions.some((c) => path.resolve(path.dirname(uri.fsPath), c.template) === template.fsPath);
    const score = (hasModels ? 2 : 0) + (usesTemplate ? 1 : 0);
    if (!best || score > best.score) best = { uri, spec, score };
  }
  return best ?? firstError;
}

async function resolveTemplate(arg: vscode.Uri | string | undefined): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return path.isAbsolute(arg) || !folder ? vscode.Uri.file(arg) : vscode.Uri.joinPath(folder.uri, arg);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isTemplateFile(active.path)) return active;
  const files = (await vscode.workspace.findFiles('**/*.hbs', '**/{node_modules,.alignment}/**', 200)).filter((f) => !/\/partials\//.test(f.path));
  if (files.length === 0) {
    void vscode.window.showWarningMessage('Alignment Studio: no prompt templates (*.hbs) in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { title: 'Run which template?' });
  return pick?.uri;
}

async function pickPersona(personas: readonly Persona[], current?: string): Promise<string | undefined> {
  const items = personas.map((p) => personaPickItem(p, p.id === current));
  const picked = await vscode.window.showQuickPick(items, { title: 'Run for which persona?', matchOnDescription: true, matchOnDetail: true });
  return picked?.id;
}

async function pickQuestions(questions: readonly Question[], current?: string): Promise<string[] | undefined> {
  const items = questions.map((q) => ({ id: q.id, label: q.id, description: q.description.en ?? '', picked: q.id === current }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Which questions?', canPickMany: true, matchOnDescription: true });
  return picked?.map((p) => p.id);
}

async function pickModels(models: ModelSpec[], defaults: string[]): Promise<string[] | undefined> {
  const items = models.map((m) => ({ id: m.id, label: m.id, description: m.kind === 'replay' ? 'recorded answers' : `${m.model ?? m.id} @ ${m.baseURL ?? ''}`, picked: defaults.includes(m.id) }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Against which models?', canPickMany: true });
  return picked?.map((p) => p.id);
}
