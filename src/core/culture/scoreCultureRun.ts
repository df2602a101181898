import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import { readRun, type ReadRunOptions } from '../run/readRun';
import type { CultureRunManifest } from './cultureExperiment';
import type { CultureComparison, CultureReport, CultureReportSettings, CultureSide } from './cultureReportTypes';
import { CULTURE_TRUTH_FILE, type CultureRunTruth } from './runCultureExperiment';
import { compareCultureScores, scoreCulture, type CultureMetric, type CultureSample, type CultureScore, type Interval } from './scoreCulture';

/** A loaded culture run: its manifest, stored ground truth and samples (so re-scoring needs no re-reading). */
export interface LoadedCultureRun {
  dir: string;
  manifest: CultureRunManifest;
  truth: CultureRunTruth;
  samples: CultureSample[];
  failed: number;
  read: CultureReport['read'];
}

/** Reads a culture run folder (manifest, `culture-truth.json`, records). Not a culture run → InputError. */
export function loadCultureRun(dir: string, options: ReadRunOptions = {}): LoadedCultureRun {
  const run = readRun(dir, options);
  const manifest = run.manifest as CultureRunManifest;
  if (manifest.kind !== 'culture' || !Array.isArray(manifest.conditions)) {
    throw new InputError('not a culture run (its manifest has no "kind": "culture"); score survey runs with `alignment-studio score`', { file: path.join(dir, 'manifest.json'), line: 1, column: 1 }, 'kind');
  }
  const truthFile = path.join(dir, CULTURE_TRUTH_FILE);
  let truth: CultureRunTruth;
  try {
    truth = JSON.parse(readFileSync(truthFile, 'utf8')) as CultureRunTruth;
  } catch (e) {
    throw new InputError(`cannot read the run's ground truth: ${(e as Error).message}`, { file: truthFile, line: 1, column: 1 });
  }
  const samples: CultureSample[] = [];
  let failed = 0;
  for (const { record: r } of run.records) {
    if (r.text === null) failed++;
    else samples.push({ condition: r.condition, cultureId: r.personaId, questionId: r.questionId, text: r.text });
  }
  return { dir, manifest, truth, samples, failed, read: { quarantined: run.quarantined.length, duplicates: run.duplicates, tornLastLine: run.tornLastLine } };
}

/** The scores of one model (under one template pattern) of a report, one per culture. */
export function scoresOf(report: Pick<CultureReport, 'conditions' | 'scores'>, model: string, pattern?: string): CultureScore[] {
  const ids = new Set(report.conditions.filter((c) => c.model === model && (pattern === undefined || c.pattern === pattern)).map((c) => c.id));
  return report.scores.filter((s) => ids.has(s.condition));
}

/** The paired deltas b − a per culture between two sides (of one run or of two runs), over the questions both scored. */
export function compareSides(ra: CultureReport, a: CultureSide, rb: CultureReport, b: CultureSide): CultureComparison {
  const deltas = compareCultureScores(scoresOf(ra, a.model, a.template), scoresOf(rb, b.model, b.template), ra.settings);
  return { a, b, deltas };
}

export interface ScoreCultureOptions extends Partial<CultureReportSettings> {
  /** Model ids to compare (b − a); default the experiment's scoring.compare, else the first two models. */
  compare?: [string, string];
}

/** Scores a loaded culture run: per condition, per question, with CIs, random baselines and the model comparison. */
export function buildCultureReport(run: LoadedCultureRun, options: ScoreCultureOptions = {}): CultureReport {
  const { manifest, truth } = run;
  const spec = manifest.culture;
  const settings: CultureReportSettings = {
    resamples: options.resamples ?? spec.scoring?.resamples ?? 1000, seed: options.seed ?? spec.scoring?.seed ?? 1, level: options.level ?? spec.scoring?.level ?? 0.95,
  };
  const condition = new Map(manifest.conditions.map((c) => [c.id, c]));
  const scores = scoreCulture(run.samples.filter((s) => condition.has(s.condition)), truth.seeds, truth.truths, settings);
  const order = new Map(manifest.conditions.map((c, i) => [c.id, i]));
  scores.sort((x, y) => order.get(x.condition)! - order.get(y.condition)!);
  const models = spec.models.map((m) => m.id);
  const templates = [...new Set(manifest.conditions.map((c) => c.pattern))];
  const report: CultureReport = {
    runId: manifest.runId, runDir: run.dir, experimentName: manifest.experiment.name, createdAt: manifest.createdAt, ...(manifest.status ? { status: manifest.status } : {}),
    recorded: manifest.recorded === true, samples: spec.samples, settings,
    cultures: spec.cultures.map((c) => {
      const t = truth.truths.find((x) => x.cultureId === c.id);
      const countries = truth.respondents[c.id] ?? [];
      return {
        id: c.id, name: c.name.en ?? c.id, lang: c.lang, countries, respondents: countries.reduce((s, x) => s + x.respondents, 0), pooling: c.pooling ?? 'pooled',
        answeredQuestions: t ? Object.values(t.questions).filter((q) => q.majority !== null).length : 0,
      };
    }),
    models, templates, conditions: manifest.conditions, scores,
    seeds: truth.seeds.map((q) => ({ id: q.id, text: q.text.en ?? '', min: q.min, max: q.max, scale: q.options.en ?? [] })),
    comparison: null, failed: run.failed, read: run.read,
    ...(truth.split && typeof spec.questions === 'object' && !Array.isArray(spec.questions) ? { heldOut: truth.split[spec.questions.part] } : {}),
  };
  const pair = options.compare ?? spec.scoring?.compare ?? (models.length >= 2 ? [models[0]!, models[1]!] as [string, string] : undefined);
  if (pair) {
    for (const id of pair) if (!models.includes(id)) throw new RangeError(`no model "${id}" in this run (models: ${models.join(', ')})`);
    const template = templates[0]!;
    report.comparison = compareSides(report, { runId: report.runId, model: pair[0], template }, report, { runId: report.runId, model: pair[1], template });
  }
  return report;
}

/** Reads and scores a culture run folder. */
export function scoreCultureRun(dir: string, options: ScoreCultureOptions & ReadRunOptions = {}): CultureReport {
  return buildCultureReport(loadCultureRun(dir, options), options);
}

export type { CultureComparison, CultureMetric, CultureReport, CultureReportSettings, CultureSide, Interval };
