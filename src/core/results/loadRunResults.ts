import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import type { RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { selectPersonas, selectQuestions } from '../preview/estimateExperiment';
import { readResponsesLocated } from '../run/readResponses';
import { scoreResponses } from '../score/scoreResponses';
import type { ScoringCondition, ScoringSample } from '../score/scoreResponses';
import { scoringSettings } from '../score/scoringSettings';
import type { ScoreReport, ScoringSettings } from '../score/types';
import { loadSurvey } from '../survey/loadSurvey';
import { fromScoreReport } from './fromScoreReport';
import type { ResultsInput } from './types';

/** A run read from disk and scored: what the panel, the CLI export and the drill-down work from. */
export interface LoadedRun {
  runDir: string;
  manifest: RunManifest;
  /** Resolves a path of the experiment file (survey, personas, templates) against the experiment's folder. */
  resolve(relative: string): string;
  survey: Survey;
  /** The personas the run asked (after the experiment's filter). */
  personas: Persona[];
  settings: ScoringSettings;
  conditions: ScoringCondition[];
  report: ScoreReport;
  input: ResultsInput;
  /** `personaId \0 questionId` → byte ranges of its records in responses.jsonl (drill-down reads them lazily). */
  cells: Map<string, Array<[offset: number, length: number]>>;
}

export const cellKey = (personaId: string, questionId: string): string => `${personaId}\u0000${questionId}`;

/**
 * Reads `<run>/manifest.json` + `responses.jsonl`, loads the experiment's survey and personas (paths relative
 * to the experiment file; the workspace is the folder holding `.alignment/`), and scores every response with
 * the experiment's scoring settings. Throws an InputError naming the file when something is missing.
 */
export async function loadRunResults(runDir: string): Promise<LoadedRun> {
  const manifestFile = path.join(runDir, 'manifest.json');
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RunManifest;
  } catch (e) {
    throw new InputError(`cannot read the run manifest: ${(e as Error).message}`, { file: manifestFile, line: 1, column: 1 });
  }
  if (!manifest || typeof manifest !== 'object' || !manifest.experiment || !Array.isArray(manifest.experiment.conditions)) {
    throw new InputError('not a run manifest (no "experiment" with "conditions")', { file: manifestFile, line: 1, column: 1 }, 'experiment');
  }
  const spec = manifest.experiment;
  const workspace = workspaceOf(runDir);
  const experimentDir = manifest.experimentFile ? path.dirname(path.resolve(workspace, manifest.experimentFile)) : workspace;
  const resolve = (p: string) => path.resolve(experimentDir, p);
  const [survey, allPersonas] = await Promise.all([loadSurvey(resolve(spec.survey)), loadPersonas(resolve(spec.personas))]);
  const personas = selectPersonas(allPersonas, spec);
  const questions = selectQuestions(survey.questions, spec);
  const sc = spec.scoring ?? {};
  const settings = scoringSettings(sc.profile ?? 'paper', {
    ...(sc.tieBreak ? { tieBreak: sc.tieBreak } : {}), ...(sc.seed !== undefined ? { seed: sc.seed } : {}),
    ...(sc.sameAnswerFilter !== undefined ? { sameAnswerFilter: sc.sameAnswerFilter } : {}),
  });
  const twinCountry = sc.twinCountry?.toLowerCase();
  const twins = twinCountry ? allPersonas.filter((p) => p.country.toLowerCase() === twinCountry) : undefined;
  const models = new Map(spec.models.map((m) => [m.id, m]));
  const conditions: ScoringCondition[] = spec.conditions.map((c) => ({
    id: c.id, label: c.label, lang: c.lang, model: c.model,
    recorded: models.get(c.model)?.kind === 'replay' || manifest.recorded === true,
    reasoning: /anthro/i.test(c.template),
  }));

  const cells = new Map<string, Array<[number, number]>>();
  const samples: ScoringSample[] = [];
  let responses = 0;
  let failed = 0;
  for (const { record: r, offset, length } of readResponsesLocated(path.join(runDir, 'responses.jsonl'))) {
    responses++;
    if (r.text === null) failed++;
    samples.push({ condition: r.condition, personaId: r.personaId, questionId: r.questionId, variant: r.variant, sample: r.sample, text: r.text });
    const k = cellKey(r.personaId, r.questionId);
    let list = cells.get(k);
    if (!list) cells.set(k, (list = []));
    list.push([offset, length]);
  }
  const report = scoreResponses({
    questions, conditions, samples, personas, twins,
    compare: sc.compare ? [sc.compare] : undefined,
    source: { kind: 'run', path: runDir, runId: manifest.runId, twinCountry },
    include: { items: true, unparsed: true, personaDeltas: false, distributions: false },
  }, settings);
  const input = fromScoreReport(report, {
    runId: manifest.runId, experiment: spec, createdAt: manifest.createdAt, recorded: conditions.some((c) => c.recorded),
    responses, failedResponses: failed,
  }, questions, personas, settings);
  return { runDir, manifest, resolve, survey, personas, settings, conditions, report, input, cells };
}

/** The workspace of a run: the folder holding `.alignment/runs/<id>` (or the run's parent when laid out otherwise). */
export function workspaceOf(runDir: string): string {
  const abs = path.resolve(runDir);
  const runs = path.dirname(abs);
  const alignment = path.dirname(runs);
  return path.basename(runs) === 'runs' && path.basename(alignment) === '.alignment' ? path.dirname(alignment) : runs;
}
