import * as fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec, RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { parsePersonas } from '../persona/parsePersonas';
import { selectPersonas } from '../run/selectPersonas';
import { selectQuestions } from '../run/selectQuestions';
import type { RunRead } from '../run/readRun';
import { loadSurvey } from '../survey/loadSurvey';
import { parseSurvey } from '../survey/parseSurvey';
import { containedPath } from '../workspace/containPath';
import type { ScoreInput, ScoringCondition } from './scoreResponses';
import { scoringSettings } from './scoringSettings';
import type { ScoringSettings } from './types';

export interface RunScoringOptions {
  /** Override the twin country of the same-answer filter (default: the experiment's `scoring.twinCountry`). */
  twinCountry?: string;
}

/** A run's scoring input and what it was built from (the panel and the drill-down need the files too). */
export interface RunScoringInput {
  input: ScoreInput;
  survey: Survey;
  /** The personas the run asked (after the experiment's filter). */
  personas: Persona[];
  conditions: ScoringCondition[];
  /** Resolves a path of the experiment file (survey, personas, templates) against the experiment's folder, inside the workspace. */
  resolve(relative: string, field?: string): string;
  /** The run's workspace: every file its manifest names must lie inside it (through links). */
  root: string;
}

/**
 * The workspace of a run: the folder holding `.alignment/runs/<id>`. For a run kept elsewhere (`run --runs-dir`),
 * the nearest ancestor of the runs folder against which the manifest's `experimentFile` exists (the run engine
 * records it relative to the workspace it ran in), else the runs folder itself.
 */
export function workspaceOf(runDir: string, experimentFile?: string): string {
  const abs = path.resolve(runDir);
  const runs = path.dirname(abs);
  const alignment = path.dirname(runs);
  if (path.basename(runs) === 'runs' && path.basename(alignment) === '.alignment') return path.dirname(alignment);
  if (experimentFile && !path.isAbsolute(experimentFile)) {
    for (let dir = runs, i = 0; i < 4; i++, dir = path.dirname(dir)) if (fs.existsSync(path.resolve(dir, experimentFile))) return dir;
  }
  return runs;
}

/** The scoring conditions of an experiment: recorded when its model replays completions; reasoning only when declared. */
export function scoringConditions(spec: ExperimentSpec, manifest?: Pick<RunManifest, 'recorded'>): ScoringCondition[] {
  const replay = new Set(spec.models.filter((m) => m.kind === 'replay').map((m) => m.id));
  return spec.conditions.map((c) => ({
    id: c.id, lang: c.lang, model: c.model, ...(c.label ? { label: c.label } : {}),
    recorded: !!manifest?.recorded || replay.has(c.model),
    reasoning: c.reasoning === true,
  }));
}

/** The settings of the experiment's `scoring` block (paper profile by default), with overrides on top. */
export function experimentScoringSettings(spec: ExperimentSpec, overrides: Partial<ScoringSettings> = {}): ScoringSettings {
  const sc = spec.scoring ?? {};
  return scoringSettings(overrides.profile ?? sc.profile ?? 'paper', {
    ...(sc.tieBreak ? { tieBreak: sc.tieBreak } : {}), ...(sc.seed !== undefined ? { seed: sc.seed } : {}),
    ...(sc.sameAnswerFilter !== undefined ? { sameAnswerFilter: sc.sameAnswerFilter } : {}),
    ...overrides,
  });
}

/**
 * Resolves a path of a run's experiment file (survey, personas, templates) against the experiment's folder. The
 * manifest is workspace data too: what it names must stay inside the run's workspace (docs/security.md), else an
 * InputError at the manifest naming the field.
 */
export function runResolver(runDir: string, manifest: RunManifest): (relative: string, field?: string) => string {
  const workspace = workspaceOf(runDir, manifest.experimentFile);
  const manifestFile = path.join(runDir, 'manifest.json');
  const base = manifest.experimentFile ? path.dirname(containedPath(workspace, workspace, manifest.experimentFile, { file: manifestFile, field: 'experimentFile' })) : workspace;
  return (p: string, field = 'experiment.conditions.template') => containedPath(workspace, base, p, { file: manifestFile, field });
}

/** What a run's scoring input is built from besides its records: its experiment's survey and personas, read once. */
export interface ScoringBasis extends Omit<RunScoringInput, 'input'> {
  runDir: string;
  manifest: RunManifest;
  twins?: Persona[];
  twinCountry?: string;
}

/** Reads the survey and personas files of a run's experiment (paths relative to the experiment file). */
export async function loadScoringBasis(runDir: string, manifest: RunManifest, opts: RunScoringOptions = {}): Promise<ScoringBasis> {
  const spec = manifest.experiment;
  const resolve = runResolver(runDir, manifest);
  const [survey, allPersonas] = await Promise.all([loadSurvey(resolve(spec.survey, 'experiment.survey')), loadPersonas(resolve(spec.personas, 'experiment.personas'))]);
  return basisOf(runDir, manifest, resolve, survey, allPersonas, opts);
}

/** loadScoringBasis, synchronously (for what is read on demand, e.g. the drill-down of a run opened from its snapshot). */
export function loadScoringBasisSync(runDir: string, manifest: RunManifest, opts: RunScoringOptions = {}): ScoringBasis {
  const spec = manifest.experiment;
  const resolve = runResolver(runDir, manifest);
  const surveyFile = resolve(spec.survey, 'experiment.survey');
  const personasFile = resolve(spec.personas, 'experiment.personas');
  return basisOf(runDir, manifest, resolve, parseSurvey(fs.readFileSync(surveyFile, 'utf8'), surveyFile), parsePersonas(fs.readFileSync(personasFile, 'utf8'), personasFile), opts);
}

function basisOf(runDir: string, manifest: RunManifest, resolve: (p: string, field?: string) => string, survey: Survey, allPersonas: Persona[], opts: RunScoringOptions): ScoringBasis {
  const spec = manifest.experiment;
  const personas = selectPersonas(allPersonas, spec);
  const twinCountry = (opts.twinCountry ?? spec.scoring?.twinCountry)?.toLowerCase();
  const twins: Persona[] | undefined = twinCountry ? allPersonas.filter((p) => p.country.toLowerCase() === twinCountry) : undefined;
  return { runDir, manifest, survey, personas, conditions: scoringConditions(spec, manifest), resolve, root: workspaceOf(runDir, manifest.experimentFile), ...(twins ? { twins } : {}), ...(twinCountry ? { twinCountry } : {}) };
}

/** The scoring input of a run's records over its basis (synchronous: the files are read already). */
export function scoringInputOf(run: Pick<RunRead, 'records'>, basis: ScoringBasis): ScoreInput {
  const spec = basis.manifest.experiment;
  const questions = selectQuestions(basis.survey.questions, spec);
  return {
    questions,
    conditions: basis.conditions,
    samples: inPlanOrder(run.records.map(({ record: r }) => ({ condition: r.condition, personaId: r.personaId, questionId: r.questionId, variant: r.variant, sample: r.sample, text: r.text })), spec, basis.personas, questions),
    personas: basis.personas,
    ...(basis.twins ? { twins: basis.twins } : {}),
    ...(spec.scoring?.compare ? { compare: [spec.scoring.compare] } : {}),
    source: { kind: 'run', path: basis.runDir, runId: basis.manifest.runId, ...(basis.twinCountry ? { twinCountry: basis.twinCountry } : {}) },
  };
}

/**
 * The one builder of a run's scoring input (used by `score`, `export`, the results panel and the bench): the
 * survey and personas files of the run's experiment (paths relative to the experiment file), the questions and
 * personas the experiment selects, one condition per experiment condition, the run's records as samples, and
 * the twin country's personas for the same-answer filter.
 */
export async function runScoringInput(run: RunRead, opts: RunScoringOptions = {}): Promise<RunScoringInput> {
  const basis = await loadScoringBasis(run.dir, run.manifest, opts);
  return { input: scoringInputOf(run, basis), survey: basis.survey, personas: basis.personas, conditions: basis.conditions, resolve: basis.resolve, root: basis.root };
}

/**
 * Samples in the order of the plan (condition, persona, question, variant, sample), whatever order the answers
 * were written in: a live run finishes requests out of order and a batch's output comes in any order, and the
 * seeded resampling (per-persona deltas) and the order of sums must not depend on it. Stable for anything else.
 */
function inPlanOrder<T extends { condition: string; personaId: string; questionId: string; variant: number; sample: number }>(
  samples: T[], spec: ExperimentSpec, personas: readonly Persona[], questions: readonly { id: string }[],
): T[] {
  const rank = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, i) => [id, i]));
  const [c, p, q] = [rank(spec.conditions.map((x) => x.id)), rank(personas.map((x) => x.id)), rank(questions.map((x) => x.id))];
  const at = (m: Map<string, number>, id: string): number => m.get(id) ?? m.size;
  return samples.sort((a, b) => at(c, a.condition) - at(c, b.condition) || at(p, a.personaId) - at(p, b.personaId)
    || at(q, a.questionId) - at(q, b.questionId) || a.variant - b.variant || a.sample - b.sample);
}
