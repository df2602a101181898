import * as fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec, RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { selectPersonas } from '../run/selectPersonas';
import { selectQuestions } from '../run/selectQuestions';
import type { RunRead } from '../run/readRun';
import { loadSurvey } from '../survey/loadSurvey';
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
 * The one builder of a run's scoring input (used by `score`, `export`, the results panel and the bench): the
 * survey and personas files of the run's experiment (paths relative to the experiment file), the questions and
 * personas the experiment selects, one condition per experiment condition, the run's records as samples, and
 * the twin country's personas for the same-answer filter.
 */
export async function runScoringInput(run: RunRead, opts: RunScoringOptions = {}): Promise<RunScoringInput> {
  const spec = run.manifest.experiment;
  const workspace = workspaceOf(run.dir, run.manifest.experimentFile);
  // The manifest is workspace data too: what it names must stay inside the workspace (docs/security.md).
  const manifestFile = path.join(run.dir, 'manifest.json');
  const base = run.manifest.experimentFile ? path.dirname(containedPath(workspace, workspace, run.manifest.experimentFile, { file: manifestFile, field: 'experimentFile' })) : workspace;
  const resolve = (p: string, field = 'experiment.conditions.template') => containedPath(workspace, base, p, { file: manifestFile, field });
  const [survey, allPersonas] = await Promise.all([loadSurvey(resolve(spec.survey, 'experiment.survey')), loadPersonas(resolve(spec.personas, 'experiment.personas'))]);
  const personas = selectPersonas(allPersonas, spec);
  const twinCountry = (opts.twinCountry ?? spec.scoring?.twinCountry)?.toLowerCase();
  const twins: Persona[] | undefined = twinCountry ? allPersonas.filter((p) => p.country.toLowerCase() === twinCountry) : undefined;
  const conditions = scoringConditions(spec, run.manifest);
  const input: ScoreInput = {
    questions: selectQuestions(survey.questions, spec),
    conditions,
    samples: run.records.map(({ record: r }) => ({ condition: r.condition, personaId: r.personaId, questionId: r.questionId, variant: r.variant, sample: r.sample, text: r.text })),
    personas,
    ...(twins ? { twins } : {}),
    ...(spec.scoring?.compare ? { compare: [spec.scoring.compare] } : {}),
    source: { kind: 'run', path: run.dir, runId: run.manifest.runId, ...(twinCountry ? { twinCountry } : {}) },
  };
  return { input, survey, personas, conditions, resolve, root: workspace };
}
