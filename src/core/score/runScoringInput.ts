import * as fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec, RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { selectPersonas, selectQuestions } from '../preview/estimateExperiment';
import type { RunRead } from '../run/readRun';
import { loadSurvey } from '../survey/loadSurvey';
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
  /** Resolves a path of the experiment file (survey, personas, templates) against the experiment's folder. */
  resolve(relative: string): string;
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
 * The one builder of a run's scoring input (used by `score`, `export`, the results panel and the bench): the
 * survey and personas files of the run's experiment (paths relative to the experiment file), the questions and
 * personas the experiment selects, one condition per experiment condition, the run's records as samples, and
 * the twin country's personas for the same-answer filter.
 */
export async function runScoringInput(run: RunRead, opts: RunScoringOptions = {}): Promise<RunScoringInput> {
  const spec = run.manifest.experiment;
  const workspace = workspaceOf(run.dir, run.manifest.experimentFile);
  const base = run.manifest.experimentFile ? path.dirname(path.resolve(workspace, run.manifest.experimentFile)) : workspace;
  const resolve = (p: string) => path.resolve(base, p);
  const [survey, allPersonas] = await Promise.all([loadSurvey(resolve(spec.survey)), loadPersonas(resolve(spec.personas))]);
  const personas = selectPersonas(allPersonas, spec);
  const twinCountry = (opts.twinCountry ?? spec.scoring?.twinCountry)?.toLowerCase();
  const twins: Persona[] | undefined = twinCountry ? allPersonas.filter((p) => p.country.toLowerCase() === twinCountry) : undefined;
  const conditions = scoringConditions(spec, run.manifest);
  const questions = selectQuestions(survey.questions, spec);
  const input: ScoreInput = {
    questions,
    conditions,
    samples: inPlanOrder(run.records.map(({ record: r }) => ({ condition: r.condition, personaId: r.personaId, questionId: r.questionId, variant: r.variant, sample: r.sample, text: r.text })), spec, personas, questions),
    personas,
    ...(twins ? { twins } : {}),
    ...(spec.scoring?.compare ? { compare: [spec.scoring.compare] } : {}),
    source: { kind: 'run', path: run.dir, runId: run.manifest.runId, ...(twinCountry ? { twinCountry } : {}) },
  };
  return { input, survey, personas, conditions, resolve };
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
