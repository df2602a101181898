import type { RunManifest } from '../experiment';
import type { Persona, Survey } from '../model';
import { readRun, readRunManifest, type ReadReport, type ReadRunOptions, type RunRead } from '../run/readRun';
import { experimentScoringSettings, loadScoringBasis, loadScoringBasisSync, runResolver, scoringConditions, scoringInputOf, workspaceOf, type ScoringBasis } from '../score/runScoringInput';
import { scoreResponses } from '../score/scoreResponses';
import type { ScoreInput, ScoringCondition } from '../score/scoreResponses';
import type { ScoreReport, ScoringSettings } from '../score/types';
import { choosePair } from './buildResultsView';
import { fromScoreReport, type RunMeta } from './fromScoreReport';
import { readScoreSnapshot, snapshotKey, writeScoreSnapshot } from './scoreSnapshot';
import type { ResultsInput } from './types';

export { workspaceOf };

/** A run read from disk and scored: what the panel, the CLI export and the drill-down work from. */
export interface LoadedRun {
  runDir: string;
  manifest: RunManifest;
  /** Resolves a path of the experiment file (survey, personas, templates) against the experiment's folder; outside the workspace: InputError. */
  resolve(relative: string): string;
  /** The run's workspace (every file the run names lies inside it). */
  root: string;
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
  /** The view input came from the run's score snapshot (responses read only when `report`, `cells` or another pair need them). */
  fromSnapshot: boolean;
}

export interface LoadRunOptions extends ReadRunOptions {
  /** Headline pair [a, b] (delta = b − a); default the experiment's `scoring.compare`. */
  pair?: [string, string];
  /** Bootstrap resamples and sign flips (default: the scoring profile's). */
  resamples?: number;
  /** Use and write `score.snapshot.json` (default true; never with `strict`). */
  snapshot?: boolean;
}

export const cellKey = (personaId: string, questionId: string): string => `${personaId}\u0000${questionId}`;

/**
 * Reads `<run>/manifest.json` + `responses.jsonl` with the one run reader, builds the scoring input with the one
 * builder the CLI `score` uses, and scores every response with the experiment's scoring settings: the panel,
 * the exports and `score --json` show the same numbers. Throws an InputError naming the file when something is
 * missing (or, with `strict`, a line that cannot be read).
 *
 * Opening is fast the second time: the view input of the default pair is kept in `score.snapshot.json` beside the
 * responses (scoreSnapshot.ts), keyed by the settings, the pair and the size/mtime of the manifest, the responses,
 * the survey and the personas. A valid snapshot is used as is; the responses are then read only when something
 * needs them (the drill-down, another pair, `report`). Any mismatch or malformed snapshot: scored from the
 * responses, and the snapshot rewritten.
 */
export async function loadRunResults(runDir: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const manifest = readRunManifest(runDir);
  const spec = manifest.experiment;
  const resolve = runResolver(runDir, manifest);
  const conditions = scoringConditions(spec, manifest);
  const settings = experimentScoringSettings(spec, options.resamples !== undefined ? { bootstrapResamples: options.resamples, permutationResamples: options.resamples } : {});
  const condIds = conditions.map((c) => c.id);
  const defaultPair = choosePair(condIds, options.pair ?? spec.scoring?.compare);
  const useSnapshot = options.snapshot !== false && !options.strict;
  const key = snapshotKey(runDir, resolve(spec.survey), resolve(spec.personas), settings, defaultPair);
  const snapshot = useSnapshot ? readScoreSnapshot(runDir, key) : undefined;
  // The survey and personas: read now when scoring, else on first need (the drill-down).
  let basisRead: ScoringBasis | undefined = snapshot ? undefined : await loadScoringBasis(runDir, manifest);
  const basisOf = (): ScoringBasis => (basisRead ??= loadScoringBasisSync(runDir, manifest));

  // The responses, read and scored on first need (at once when there is no snapshot).
  let full: { run: RunRead; report: ScoreReport; input: ResultsInput; meta: RunMeta & { read: ReadReport } } | undefined;
  const metaOf = (run: RunRead): RunMeta & { read: ReadReport } => ({
    runId: manifest.runId, experiment: spec, createdAt: manifest.createdAt, recorded: conditions.some((c) => c.recorded),
    responses: run.records.length, failedResponses: run.records.filter((r) => r.record.text === null).length,
    read: { file: run.file, duplicates: run.duplicates, tornLastLine: run.tornLastLine, quarantined: run.quarantined },
  });
  const score = (run: RunRead, meta: RunMeta & { read: ReadReport }, pair: [string, string] | null): { report: ScoreReport; input: ResultsInput } => {
    const scoreInput: ScoreInput = {
      ...scoringInputOf(run, basisOf()), ...(pair ? { compare: [pair] } : {}), read: meta.read,
      include: { items: true, unparsed: true, personaDeltas: false, distributions: false },
    };
    const report = scoreResponses(scoreInput, settings);
    const input = fromScoreReport(report, meta, scoreInput.questions, basisOf().personas, settings);
    return { report, input: manifest.stop ? { ...input, stop: manifest.stop } : input };
  };
  const loadFull = () => {
    if (!full) {
      const run = readRun(runDir, options);
      const meta = metaOf(run);
      full = { run, meta, ...score(run, meta, defaultPair) };
    }
    return full;
  };
  let input: ResultsInput;
  let read: ReadReport;
  if (snapshot) {
    input = snapshot.input;
    read = snapshot.input.read as ReadReport;
  } else {
    const f = loadFull();
    input = f.input;
    read = f.meta.read;
    if (useSnapshot && manifest.status !== 'running') writeScoreSnapshot(runDir, key, f.input, f.run.records.length);
  }
  const byPair = new Map<string, ResultsInput>();
  const keyOf = (p: [string, string] | null) => (p ? `${p[0]}\u0000${p[1]}` : '');
  byPair.set(keyOf(defaultPair), input);
  let cells: Map<string, Array<[number, number]>> | undefined;
  return {
    runDir, manifest, resolve: (p) => resolve(p), root: workspaceOf(runDir, manifest.experimentFile), settings, conditions, read, input, fromSnapshot: !!snapshot,
    get survey() {
      return basisOf().survey;
    },
    get personas() {
      return basisOf().personas;
    },
    get report() {
      return loadFull().report;
    },
    get cells() {
      if (!cells) {
        cells = new Map();
        for (const { record: r, offset, length } of loadFull().run.records) {
          const k = cellKey(r.personaId, r.questionId);
          let list = cells.get(k);
          if (!list) cells.set(k, (list = []));
          list.push([offset, length]);
        }
      }
      return cells;
    },
    inputFor(pair) {
      const p = choosePair(condIds, pair ?? options.pair ?? spec.scoring?.compare);
      const k = keyOf(p);
      let found = byPair.get(k);
      if (!found) {
        const f = loadFull();
        byPair.set(k, (found = score(f.run, f.meta, p).input));
      }
      return found;
    },
  };
}
