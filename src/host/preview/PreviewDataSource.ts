import * as vscode from 'vscode';
import { experimentPath } from '../workspaceFiles';
import { InputError } from '../../core/errors';
import type { ExperimentSpec, ModelSpec } from '../../core/experiment';
import type { Persona, Question } from '../../core/model';
import { parsePersonas } from '../../core/persona/parsePersonas';
import { selectPersonas } from '../../core/run/selectPersonas';
import { selectQuestions } from '../../core/run/selectQuestions';
import { personaOption } from '../../core/preview/personaOption';
import type { ModelOption, PreviewCatalog } from '../../core/preview/previewModel';
import { parseExperiment } from '../../core/run/parseExperiment';
import { parseSurvey } from '../../core/survey/parseSurvey';
import { modelOptions, previewSettings } from './previewSettings';

/** The survey, personas and models behind the preview of one template, from the experiment that uses it. */
export interface PreviewData {
  experimentUri: vscode.Uri | null;
  spec: ExperimentSpec | null;
  personas: Map<string, Persona>;
  questions: Map<string, Question>;
  models: Map<string, ModelOption & { recorded: boolean }>;
  catalog: PreviewCatalog;
  /** Why the data is incomplete (shown to the user, never swallowed). */
  problems: string[];
  /** Files this data was read from: a change to any of them reloads it. */
  dependencies: string[];
}

const DATA_FILES = '**/*.{json,jsonl,yaml,yml,csv}';

/**
 * Finds the experiment whose conditions use a template (or the workspace's first experiment), loads its
 * survey and personas with the core loaders, and caches the result until one of those files changes.
 */
export class PreviewDataSource implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<PreviewData>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when a file the loaded data depends on (or any experiment file) changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(DATA_FILES);
    const onFile = (uri: vscode.Uri) => void this.invalidateFor(uri);
    this.disposables.push(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('alignmentStudio.preview') || e.affectsConfiguration('alignmentStudio.models')) this.invalidateAll();
      }));
  }

  /** The data for a template (workspace URI of any file of its pair). */
  get(template: vscode.Uri): Promise<PreviewData> {
    const key = vscode.workspace.getWorkspaceFolder(template)?.uri.toString() ?? '';
    // One experiment per template: the key is the folder plus the pair's base name.
    const cacheKey = `${key}|${template.path.replace(/\.[a-z-]+\.(hbs|handlebars)$/i, '')}`;
    let p = this.cache.get(cacheKey);
    if (!p) {
      p = this.load(template).catch((e: unknown) => {
        this.cache.delete(cacheKey);
        throw e;
      });
      this.cache.set(cacheKey, p);
    }
    return p;
  }

  private async invalidateFor(uri: vscode.Uri): Promise<void> {
    if (uri.path.includes('/.alignment/')) return; // run outputs, never inputs of the preview
    const s = uri.toString();
    for (const p of this.cache.values()) {
      const data = await p.catch(() => undefined);
      if (!data || data.dependencies.includes(s) || s.endsWith('.experiment.json')) {
        this.invalidateAll();
        return;
      }
    }
  }

  private invalidateAll(): void {
    this.cache.clear();
    this.changed.fire();
  }

  private async load(template: vscode.Uri): Promise<PreviewData> {
    const problems: string[] = [];
    const settingsModels = vscode.workspace.getConfiguration('alignmentStudio').get<ModelSpec[]>('models', []) ?? [];
    const candidates = await vscode.workspace.findFiles('**/*.experiment.json', '**/{node_modules,.alignment}/**', 50);
    candidates.sort((a, b) => a.path.localeCompare(b.path));
    const pairBase = template.path.replace(/\.[a-z-]+\.(hbs|handlebars)$/i, '');
    let chosen: { uri: vscode.Uri; spec: ExperimentSpec } | undefined;
    let first: { uri: vscode.Uri; spec: ExperimentSpec } | undefined;
    for (const uri of candidates) {
      try {
        const spec = parseExperiment(await readText(uri), vscode.workspace.asRelativePath(uri), settingsModels).spec;
        first ??= { uri, spec };
        const usesTemplate = spec.conditions.some((c) => vscode.Uri.joinPath(uri, '..', c.template).path.replace(/\.[a-z-]+\.(hbs|handlebars)$/i, '') === pairBase);
        if (usesTemplate) {
          chosen = { uri, spec };
          break;
        }
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    chosen ??= first;
    const settings = previewSettings();
    if (!chosen) {
      const models = new Map(modelOptions([], settings).map((m) => [m.id, m]));
      problems.push(candidates.length ? 'No valid *.experiment.json: fix the problems above to preview with its survey and personas.' : 'No *.experiment.json in the workspace: the preview takes its survey and personas from an experiment file.');
      return { experimentUri: null, spec: null, personas: new Map(), questions: new Map(), models, catalog: { experimentFile: null, personas: [], questions: [], models: [...models.values()] }, problems, dependencies: [] };
    }
    const { uri, spec } = chosen;
    const surveyUri = vscode.Uri.joinPath(uri, '..', spec.survey);
    const personasUri = vscode.Uri.joinPath(uri, '..', spec.personas);
    const t0 = performance.now();
    // Only files inside the workspace folder are read (docs/security.md).
    const contained = (field: string, relative: string) => Promise.resolve().then(() => readText(experimentPath(uri, relative, field)));
    const [survey, personas] = await Promise.all([
      contained('survey', spec.survey).then((t) => parseSurvey(t, vscode.workspace.asRelativePath(surveyUri))).catch((e: unknown) => { problems.push(messageOf(e)); return { questions: [] as Question[] }; }),
      contained('personas', spec.personas).then((t) => parsePersonas(t, vscode.workspace.asRelativePath(personasUri))).catch((e: unknown) => { problems.push(messageOf(e)); return [] as Persona[]; }),
    ]);
    // The pickers offer every persona and question of the files (the preview is for exploring); the
    // experiment's filter applies to its estimate, and its own personas and questions come first.
    const inExperiment = new Set(selectPersonas(personas, spec).map((p) => p.id));
    const chosenPersonas = [...personas.filter((p) => inExperiment.has(p.id)), ...personas.filter((p) => !inExperiment.has(p.id))];
    const askedIds = new Set(selectQuestions(survey.questions, spec).map((q) => q.id));
    const chosenQuestions = [...selectQuestions(survey.questions, spec), ...survey.questions.filter((q) => !askedIds.has(q.id))];
    const models = new Map(modelOptions(spec.models, settings).map((m) => [m.id, m]));
    this.log.info(`preview: ${vscode.workspace.asRelativePath(uri)} → ${chosenPersonas.length} personas, ${chosenQuestions.length} questions in ${(performance.now() - t0).toFixed(0)} ms`);
    return {
      experimentUri: uri,
      spec,
      personas: new Map(chosenPersonas.map((p) => [p.id, p])),
      questions: new Map(chosenQuestions.map((q) => [q.id, q])),
      models,
      catalog: {
        experimentFile: vscode.workspace.asRelativePath(uri),
        personas: chosenPersonas.map(personaOption),
        questions: chosenQuestions.map((q) => ({
          id: q.id,
          label: `${q.id} — ${q.description.en ?? Object.values(q.description)[0] ?? ''}`,
          theme: q.theme,
          variants: Math.min(...Object.values(q.variants).map((v) => v.length)),
        })),
        models: [...models.values()],
      },
      problems,
      dependencies: [uri.toString(), surveyUri.toString(), personasUri.toString()],
    };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A file's text: the open (possibly unsaved) document if there is one, else the file on disk. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function messageOf(e: unknown): string {
  return e instanceof InputError || e instanceof Error ? e.message : String(e);
}
