import * as vscode from 'vscode';
import { experimentPath } from '../workspaceFiles';
import type { ExperimentSpec, ModelSpec } from '../../core/experiment';
import type { Persona, Question, Survey } from '../../core/model';
import { parsePersonas } from '../../core/persona/parsePersonas';
import { parseExperiment } from '../../core/run/parseExperiment';
import { parseSurvey } from '../../core/survey/parseSurvey';

/** What is selected in the workspace: the experiment's data and the current persona, question and variant. */
export interface WorkspaceSelection {
  /** The experiment the data comes from (null when the workspace has none: then the first survey/personas files). */
  experimentUri: vscode.Uri | null;
  experiment: ExperimentSpec | null;
  surveyUri: vscode.Uri | null;
  survey: Survey | null;
  personasUri: vscode.Uri | null;
  personas: readonly Persona[];
  persona: Persona | null;
  question: Question | null;
  /** 0-based paraphrase variant. */
  variant: number;
  /** Why data is missing (bad files are also in the Problems panel). */
  problems: string[];
}

const EMPTY: WorkspaceSelection = {
  experimentUri: null, experiment: null, surveyUri: null, survey: null, personasUri: null, personas: [],
  persona: null, question: null, variant: 0, problems: [],
};

const STATE_KEY = 'alignmentStudio.selection';
const EXCLUDE = '**/{node_modules,.alignment,.git}/**';

interface Saved {
  experiment?: string;
  personaId?: string;
  questionId?: string;
  variant?: number;
}

/**
 * The shared selection of the workspace (persona, question, variant and the experiment data they come from).
 * The template hover, the preview and the "Run for persona…" CodeLens read it and listen to `onDidChange`.
 * Data loads lazily on first use and reloads when the experiment, survey or personas file changes.
 */
export class SelectionService implements vscode.Disposable {
  private state: WorkspaceSelection = EMPTY;
  private loading: Promise<WorkspaceSelection> | undefined;
  private readonly changed = new vscode.EventEmitter<WorkspaceSelection>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Fires after the selection or its data changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{json,jsonl,yaml,yml,csv}');
    const onFile = (uri: vscode.Uri) => this.onFileChanged(uri);
    this.disposables.push(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile));
  }

  /** The current selection (possibly not loaded yet: see `ready`). */
  get current(): WorkspaceSelection {
    return this.state;
  }

  /** The current selection with its data loaded (loads on first call). */
  async ready(): Promise<WorkspaceSelection> {
    this.loading ??= this.load();
    await this.loading;
    return this.state;
  }

  /** Uses another experiment file's survey and personas. */
  async useExperiment(uri: vscode.Uri): Promise<WorkspaceSelection> {
    await this.save({ experiment: uri.toString() });
    return this.reload();
  }

  /** Reloads the data from disk, keeping the selected ids when they still exist. */
  async reload(): Promise<WorkspaceSelection> {
    this.loading = this.load();
    await this.loading;
    return this.state;
  }

  /** Selects a persona by id (ignored when unknown). */
  async selectPersona(id: string): Promise<void> {
    const s = await this.ready();
    const persona = s.personas.find((p) => p.id === id);
    if (!persona || persona === s.persona) return;
    this.update({ persona });
    await this.save({ personaId: id });
  }

  /** Selects a question by id (ignored when unknown). */
  async selectQuestion(id: string): Promise<void> {
    const s = await this.ready();
    const question = s.survey?.questions.find((q) => q.id === id);
    if (!question || question === s.question) return;
    const variant = Math.min(s.variant, Math.max(0, ...Object.values(question.variants).map((v) => v.length - 1)));
    this.update({ question, variant });
    await this.save({ questionId: id, variant });
  }

  /** Selects a paraphrase variant (0-based). */
  async selectVariant(variant: number): Promise<void> {
    const s = await this.ready();
    if (!Number.isInteger(variant) || variant < 0 || variant === s.variant) return;
    this.update({ variant });
    await this.save({ variant });
  }

  private update(patch: Partial<WorkspaceSelection>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire(this.state);
  }

  private async save(patch: Saved): Promise<void> {
    await this.memento.update(STATE_KEY, { ...this.memento.get<Saved>(STATE_KEY, {}), ...patch });
  }

  private onFileChanged(uri: vscode.Uri): void {
    if (uri.path.includes('/.alignment/')) return;
    const s = this.state;
    const relevant = [s.experimentUri, s.surveyUri, s.personasUri].some((u) => u?.toString() === uri.toString()) || uri.path.endsWith('.experiment.json');
    if (!relevant || !this.loading) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 200);
  }

  private async load(): Promise<WorkspaceSelection> {
    const saved = this.memento.get<Saved>(STATE_KEY, {});
    const problems: string[] = [];
    let experimentUri: vscode.Uri | null = null;
    let experiment: ExperimentSpec | null = null;
    const experiments = (await vscode.workspace.findFiles('**/*.experiment.json', EXCLUDE, 50)).sort((a, b) => a.path.localeCompare(b.path));
    const ordered = saved.experiment ? [...experiments.filter((u) => u.toString() === saved.experiment), ...experiments.filter((u) => u.toString() !== saved.experiment)] : experiments;
    const settingsModels = vscode.workspace.getConfiguration('alignmentStudio').get<ModelSpec[]>('models', []) ?? [];
    for (const uri of ordered) {
      try {
        experiment = parseExperiment(await readText(uri), vscode.workspace.asRelativePath(uri), settingsModels).spec;
        experimentUri = uri;
        break;
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    // Only files inside the workspace folder are read (docs/security.md).
    const named = (field: 'survey' | 'personas'): vscode.Uri | null => {
      if (!experimentUri || !experiment) return null;
      try {
        return experimentPath(experimentUri, experiment[field], field);
      } catch (e) {
        problems.push(messageOf(e));
        return null;
      }
    };
    let surveyUri: vscode.Uri | null = named('survey');
    let personasUri: vscode.Uri | null = named('personas');
    if (!experimentUri) {
      surveyUri = (await vscode.workspace.findFiles('**/*.survey.{json,yaml,yml}', EXCLUDE, 1))[0] ?? null;
      personasUri = (await vscode.workspace.findFiles('**/*personas*.{jsonl,ndjson,csv}', EXCLUDE, 1))[0] ?? null;
    }
    let survey: Survey | null = null;
    let personas: Persona[] = [];
    if (surveyUri) {
      try {
        survey = parseSurvey(await readText(surveyUri), vscode.workspace.asRelativePath(surveyUri));
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    if (personasUri) {
      try {
        personas = parsePersonas(await readText(personasUri), vscode.workspace.asRelativePath(personasUri));
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    const persona = personas.find((p) => p.id === (this.state.persona?.id ?? saved.personaId)) ?? personas[0] ?? null;
    const question = survey?.questions.find((q) => q.id === (this.state.question?.id ?? saved.questionId)) ?? survey?.questions[0] ?? null;
    const variant = this.state.persona ? this.state.variant : (saved.variant ?? 0);
    for (const p of problems) this.log.warn(`selection: ${p}`);
    this.state = { experimentUri, experiment, surveyUri, survey, personasUri, personas, persona, question, variant, problems };
    this.changed.fire(this.state);
    return this.state;
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A file's text: the open (possibly unsaved) document if there is one, else the file on disk. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
