import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ExperimentSpec, ModelSpec } from '../experiment';
import type { Diagnostic, Persona, Question } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { loadSurvey } from '../survey/loadSurvey';
import { declareTemplateReasoning } from './declareTemplateReasoning';
import { planRun, type PromptRenderer, type RunPlan } from './expandRequests';
import { parseExperiment } from './parseExperiment';

/** An experiment file read, validated and resolved against its folder, ready to expand. */
export interface OpenedExperiment {
  /** Absolute path of the experiment file. */
  file: string;
  plan: RunPlan;
  warnings: Diagnostic[];
  /** Resolves a path of the experiment file (survey, personas, templates, completions) against its folder. */
  resolve(relative: string): string;
}

/** Builds the renderer for an experiment: compiles each condition's template once. */
export type RendererFactory = (spec: RunPlan['spec'], resolve: (p: string) => string, questions: Question[], personas: Persona[]) => Promise<PromptRenderer>;

/**
 * Reads an experiment file and everything it names (survey, personas, templates). Paths in the file are
 * relative to it. Bad input anywhere is an InputError naming the file, line and field.
 */
export async function openExperiment(file: string, createRenderer: RendererFactory, settingsModels: readonly ModelSpec[] = []): Promise<OpenedExperiment> {
  const abs = path.resolve(file);
  const { spec, warnings } = parseExperiment(await readFile(abs, 'utf8'), abs, settingsModels);
  return openExperimentSpec(spec, abs, createRenderer, warnings);
}

/** Like openExperiment for a spec built in code (e.g. a quick run), with paths relative to `file`'s folder. */
export async function openExperimentSpec(declaredSpec: ExperimentSpec, file: string, createRenderer: RendererFactory, warnings: Diagnostic[] = []): Promise<OpenedExperiment> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const resolve = (p: string): string => path.resolve(dir, p);
  const spec = await declareTemplateReasoning(declaredSpec, resolve);
  const [survey, personas] = await Promise.all([loadSurvey(resolve(spec.survey)), loadPersonas(resolve(spec.personas))]);
  const render = await createRenderer(spec, resolve, survey.questions, personas);
  return { file: abs, plan: planRun(spec, personas, survey.questions, render), warnings, resolve };
}
