import type { RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { readRun, type ReadReport, type ReadRunOptions } from '../run/readRun';
import { experimentScoringSettings, runScoringInput, workspaceOf } from '../score/runScoringInput';
import { scoreResponses } from '../score/scoreResponses';
import type { ScoreInput, ScoringCondition } from '../score/scoreResponses';
import type { ScoreReport, ScoringSettings } from '../score/types';
import { choosePair } from './buildResultsView';
import { fromScoreReport } from './fromScoreReport';
import type { ResultsInput } from './types';

export { workspaceOf };

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
  /** What reading responses.jsonl skipped (quarantined lines, torn last line, duplicates). */
  read: ReadReport;
  /** The report of the default pair (the experiment's `scoring.compare`, else the first two conditions). */
  report: ScoreReport;
  input: ResultsInput;
  /** The results input whose deltas are those of `pair` (b − a): the same report when it has them, else a rescore. */
  inputFor(pair?: [string, string] | null): ResultsInput;
  /** `personaId \0 questionId` → byte ranges of its records in responses.jsonl (drill-down reads them lazily). */
  cells: Map<string, Array<[offset: number, length: number]>>;
}

export interface LoadRunOptions extends ReadRunOptions {
  /** Headline pair [a, b] (delta = b − a); default the experiment's `scoring.compare`. */
  pair?: [string, string];
  /** Bootstrap resamples and sign flips (default: the scoring profile's). */
  resamples?: number;
}

export const cellKey = (personaId: string, questionId: string): string => `${personaId}\u0000${questionId}`;

/**
 * Reads `<run>/manifest.json` + `responses.jsonl` with the one run reader, builds the scoring input with the one
 * builder the CLI `score` uses, and scores every response with the experiment's scoring settings: the panel,
 * the exports and `score --json` show the same numbers. Throws an InputError naming the file when something is
 * missing (or, with `strict`, a line that cannot be read).
 */
export async function loadRunResults(runDir: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const run = readRun(runDir, options);
  const { manifest } = run;
  const spec = manifest.experiment;
  const built = await runScoringInput(run);
  const settings = experimentScoringSettings(spec, options.resamples !== undefined ? { bootstrapResamples: options.resamples, permutationResamples: options.resamples } : {});
  const condIds = built.conditions.map((c) => c.id);
  const meta = {
    runId: manifest.runId, experiment: spec, createdAt: manifest.createdAt, recorded: built.conditions.some((c) => c.recorded),
    responses: run.records.length, failedResponses: run.records.filter((r) => r.record.text === null).length,
    read: { file: run.file, duplicates: run.duplicates, tornLastLine: run.tornLastLine, quarantined: run.quarantined },
  };
  const score = (pair: [string, string] | null): { report: ScoreReport; input: ResultsInput } => {
    const scoreInput: ScoreInput = {
      ...built.input, ...(pair ? { compare: [pair] } : {}), read: meta.read,
      include: { items: true, unparsed: true, personaDeltas: false, distributions: false },
    };
    const report = scoreResponses(scoreInput, settings);
    const input = fromScoreReport(report, meta, scoreInput.questions, built.personas, settings);
    return { report, input: manifest.stop ? { ...input, stop: manifest.stop } : input };
  };
  const first = score(choosePair(condIds, options.pair ?? spec.scoring?.compare));
  const byPair = new Map<string, ResultsInput>();
  const keyOf = (p: [string, string] | null) => (p ? `${p[0]}\u0000${p[1]}` : '');
  byPair.set(keyOf(choosePair(condIds, options.pair ?? spec.scoring?.compare)), first.input);

  const cells = new Map<string, Array<[number, number]>>();
  for (const { record: r, offset, length } of run.records) {
    const k = cellKey(r.personaId, r.questionId);
    let list = cells.get(k);
    if (!list) cells.set(k, (list = []));
    list.push([offset, length]);
  }
  return {
    runDir, manifest, resolve: built.resolve, survey: built.survey, personas: built.personas, settings, conditions: built.conditions,
    read: meta.read, report: first.report, input: first.input, cells,
    inputFor(pair) {
      const p = choosePair(condIds, pair ?? options.pair ?? spec.scoring?.compare);
      const k = keyOf(p);
      let input = byPair.get(k);
      if (!input) byPair.set(k, (input = score(p).input));
      return input;
    },
  };
}
