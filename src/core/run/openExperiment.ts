import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ExperimentSpec, ModelSpec } from '../experiment';
import type { Diagnostic, Persona, Question } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { loadSurvey } from '../survey/loadSurvey';
import { checkContained, containedPath } from '../workspace/containPath';
import { declareTemplateReasoning } from './declareTemplateReasoning';
import { planRun, type PromptRenderer, type RunPlan } from './expandRequests';
import { parseExperiment } from './parseExperiment';

/** A field of the experiment file, e.g. `['conditions', 0, 'template']`: where a path was named, for its error. */
export type FieldPath = (string | number)[];

/** Resolves a path named by the experiment file (at `field`) against its folder; outside the workspace: an InputError there. */
export type ResolvePath = (relative: string, field?: FieldPath) => string;

/** An experiment file read, validated and resolved against its folder, ready to expand. */
export interface OpenedExperiment {
  /** Absolute path of the experiment file. */
  file: string;
  /** The workspace every path of the experiment must lie in (default: the experiment file's folder). */
  root: string;
  plan: RunPlan;
  warnings: Diagnostic[];
  /** Resolves a path of the experiment file (survey, personas, templates, completions) against its folder, inside the workspace. */
  resolve: ResolvePath;
}

/** Builds the renderer for an experiment: compiles each condition's template once. */
export type RendererFactory = (spec: RunPlan['spec'], resolve: ResolvePath, questions: Question[], personas: Persona[], options: { root: string }) => Promise<PromptRenderer>;

export interface OpenExperimentOptions {
  /**
   * The workspace: every file the experiment names (template, partials, survey, personas, completions) must
   * really lie inside it, through links. Default the experiment file's folder.
   */
  root?: string;
}

/**
 * Reads an experiment file and everything it names (survey, personas, templates). Paths in the file are
 * relative to it and must stay inside the workspace. Bad input anywhere is an InputError naming the file, line and field.
 */
export async function openExperiment(file: string, createRenderer: RendererFactory, settingsModels: readonly ModelSpec[] = [], options: OpenExperimentOptions = {}): Promise<OpenedExperiment> {
  const abs = path.resolve(file);
  // Given a workspace, the experiment file itself must be in it too (e.g. not a link out of it found by a search).
  if (options.root) checkContained(options.root, abs, { file: abs, field: 'experiment' });
  const { spec, warnings, locate } = parseExperiment(await readFile(abs, 'utf8'), abs, settingsModels);
  return openExperimentSpec(spec, abs, createRenderer, warnings, { ...options, locate });
}

/** Like openExperiment for a spec built in code (e.g. a quick run), with paths relative to `file`'s folder. */
export async function openExperimentSpec(declaredSpec: ExperimentSpec, file: string, createRenderer: RendererFactory, warnings: Diagnostic[] = [],
  options: OpenExperimentOptions & { locate?: (field: FieldPath) => { line: number; column: number } } = {}): Promise<OpenedExperiment> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const root = path.resolve(options.root ?? dir);
  const resolve: ResolvePath = (p, field = []) => {
    const leaf = [...field].reverse().find((x): x is string => typeof x === 'string') ?? 'path';
    return containedPath(root, dir, p, { file: abs, field: leaf, ...(options.locate && field.length ? options.locate(field) : {}) });
  };
  const spec = await declareTemplateReasoning(declaredSpec, (t) => resolve(t, ['conditions', declaredSpec.conditions.findIndex((c) => c.template === t), 'template']));
  // Every path is checked before anything is read (a replay model's folder too, though it is read only when the run starts).
  spec.models.forEach((m, j) => {
    if (m.kind === 'replay' && spec.conditions.some((c) => c.model === m.id)) resolve(m.completions ?? '.', ['models', j, 'completions']);
  });
  const surveyFile = resolve(spec.survey, ['survey']);
  const personasFile = resolve(spec.personas, ['personas']);
  const [survey, personas] = await Promise.all([loadSurvey(surveyFile), loadPersonas(personasFile)]);
  const render = await createRenderer(spec, resolve, survey.questions, personas, { root });
  return { file: abs, root, plan: planRun(spec, personas, survey.questions, render), warnings, resolve };
}
