import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ConditionSpec, ExperimentSpec } from '../experiment';
import { createOpenAICompleter } from '../run/createOpenAICompleter';
import { estimateRun } from '../run/estimateRun';
import type { ExecuteRunOptions } from '../run/executeRun';
import { newRunId, ResumeError, type PreparedRun, type PrepareRunOptions } from '../run/prepareRun';
import { answeredSamples } from '../run/readRun';
import { ResponseCache } from '../run/ResponseCache';
import { runRequests, type RunSummary } from '../run/runRequests';
import { isRunLocked, listIdleRuns, readManifest, RESPONSES_FILE, RunStore } from '../run/RunStore';
import type { Completer } from '../run/WorkItem';
import { createCultureReplayCompleter } from './createCultureReplayCompleter';
import type { CultureRunManifest } from './cultureExperiment';
import { expandCultureRequests } from './expandCultureRequests';
import type { HeldOutSplit, OpenedCultureExperiment } from './openCultureExperiment';
import { parseCultureAnswer } from './parseCultureAnswer';
import type { CultureSpec, CultureTruth, SeedQuestion } from './types';

/** What a culture run keeps beside its records so it can be scored from its folder alone (`culture-truth.json`). */
export interface CultureRunTruth {
  seeds: SeedQuestion[];
  cultures: CultureSpec[];
  truths: CultureTruth[];
  /** Respondents per culture and per country table. */
  respondents: Record<string, Array<{ file: string; country: string; respondents: number }>>;
  split?: HeldOutSplit;
}
export const CULTURE_TRUTH_FILE = 'culture-truth.json';

/** A culture run about to start or continue: the engine's PreparedRun, over a culture experiment. */
export interface PreparedCultureRun extends Omit<PreparedRun, 'experiment'> {
  experiment: OpenedCultureExperiment;
}

export type PrepareCultureRunOptions = Pick<PrepareRunOptions, 'runsDir' | 'resume' | 'countTokens' | 'cacheDirs' | 'now'>;

/** The run engine's view of a culture experiment (the manifest's `experiment`): its conditions, models and samples. */
export function engineSpec(exp: OpenedCultureExperiment): ExperimentSpec {
  const seeds = exp.spec.seeds;
  return {
    name: exp.spec.name, ...(exp.spec.description ? { description: exp.spec.description } : {}),
    survey: typeof seeds === 'string' ? seeds : seeds.jsonl, personas: '', questions: exp.questions.map((q) => q.id), samples: exp.spec.samples, models: exp.spec.models,
    conditions: exp.conditions.map((c): ConditionSpec => ({ id: c.id, label: `${exp.culture(c.cultureId).name.en ?? c.cultureId} · ${c.model}`, template: c.template, lang: c.lang, model: c.model })),
  };
}

const sameExperiment = (m: CultureRunManifest, exp: OpenedCultureExperiment): boolean =>
  m.kind === 'culture' && JSON.stringify(m.culture) === JSON.stringify(exp.spec) && m.digest === exp.digest;

/**
 * Finds what a culture run can reuse (its own answers when resuming, other runs' as a cache) and estimates requests,
 * tokens and cost before anything is sent, as prepareRun does for survey experiments.
 */
export function prepareCultureRun(exp: OpenedCultureExperiment, options: PrepareCultureRunOptions): PreparedCultureRun {
  const { runsDir } = options;
  const resume = options.resume ?? 'auto';
  let runId: string | undefined;
  if (resume !== 'auto' && resume !== 'never') {
    const dir = path.join(runsDir, resume);
    let manifest: CultureRunManifest;
    try {
      manifest = readManifest(dir) as CultureRunManifest;
    } catch {
      throw new ResumeError(`no run "${resume}" in ${runsDir}`);
    }
    if (!sameExperiment(manifest, exp)) throw new ResumeError(`run "${resume}" was made from a different version of the experiment (or other paraphrases or templates); start a new run (its answers are reused from the cache)`);
    if (isRunLocked(dir)) throw new ResumeError(`run "${resume}" is still running in another process`);
    runId = resume;
  } else if (resume === 'auto') {
    let best: { id: string; createdAt: string } | undefined;
    for (const { id, manifest } of listIdleRuns(runsDir)) {
      const m = manifest as CultureRunManifest;
      if (m.status === 'completed' || !sameExperiment(m, exp)) continue;
      if (!best || m.createdAt > best.createdAt) best = { id, createdAt: m.createdAt };
    }
    runId = best?.id;
  }
  const done = runId ? answeredSamples(path.join(runsDir, runId, RESPONSES_FILE)) : new Set<string>();
  const cache = ResponseCache.scan([runsDir, ...(options.cacheDirs ?? [])], runId);
  const estimate = estimateRun(expandCultureRequests(exp), options.countTokens ?? ((t) => Math.ceil(t.length / 4)), done, cache);
  return {
    experiment: exp, runsDir, runId: runId ?? newRunId(exp.spec.name, options.now), resuming: Boolean(runId), done, cache, estimate,
    recorded: exp.spec.models.some((m) => m.kind === 'replay'),
  };
}

export type ExecuteCultureRunOptions = Pick<ExecuteRunOptions, 'keys' | 'signal' | 'onProgress' | 'log' | 'workspaceDir' | 'flushIntervalMs'>;

/**
 * Opens the run's store (resuming) or creates the run folder with its manifest, and (re)writes `culture-truth.json`
 * beside it: shared by live runs and batch exports.
 */
export function openCultureRunStore(prepared: PreparedCultureRun, options: Pick<ExecuteCultureRunOptions, 'workspaceDir' | 'flushIntervalMs'> = {}): { store: RunStore; runDir: string } {
  const { experiment: exp, runsDir, runId } = prepared;
  const runDir = path.join(runsDir, runId);
  let store: RunStore;
  if (prepared.resuming) {
    store = RunStore.open(runDir, { flushIntervalMs: options.flushIntervalMs });
    store.updateManifest({ status: 'running', finishedAt: undefined });
  } else {
    const manifest: CultureRunManifest = {
      runId, kind: 'culture', experiment: engineSpec(exp), culture: exp.spec, conditions: exp.conditions, digest: exp.digest,
      createdAt: new Date().toISOString(), plannedRequests: prepared.estimate.samples, status: 'running',
      experimentFile: options.workspaceDir ? path.relative(options.workspaceDir, exp.file).split(path.sep).join('/') : exp.file,
      ...(prepared.recorded ? { recorded: true } : {}),
    };
    store = RunStore.create(runsDir, manifest, { flushIntervalMs: options.flushIntervalMs });
  }
  const truth: CultureRunTruth = {
    seeds: exp.seeds, cultures: exp.spec.cultures, truths: exp.truths,
    respondents: Object.fromEntries([...exp.tables].map(([id, list]) => [id, list.map((t) => ({ file: path.basename(t.file), country: t.countryAlpha, respondents: t.respondents }))])),
    ...(exp.split ? { split: exp.split } : {}),
  };
  writeFileSync(path.join(runDir, CULTURE_TRUTH_FILE), `${JSON.stringify(truth)}\n`);
  return { store, runDir };
}

/**
 * Runs a prepared culture run on the engine (bounded concurrency, RPM/TPM limits, retries, cancellation, append-only
 * store). Replay models answer from recorded culture answers, `openai` models from their endpoint.
 */
export async function executeCultureRun(prepared: PreparedCultureRun, options: ExecuteCultureRunOptions): Promise<{ runId: string; runDir: string; summary: RunSummary }> {
  const { experiment: exp, runId } = prepared;
  const completers = new Map<string, Completer>();
  for (const m of exp.spec.models) {
    completers.set(m.id, m.kind === 'replay' ? createCultureReplayCompleter(m, exp.resolve(m.completions ?? '.')) : await createOpenAICompleter(m, options.keys));
  }
  const { store, runDir } = openCultureRunStore(prepared, options);
  const byId = new Map(exp.seeds.map((q) => [q.id, q]));
  try {
    const summary = await runRequests(expandCultureRequests(exp), {
      store, completers, done: prepared.done, cache: prepared.cache, planned: prepared.estimate.samples, models: exp.spec.models,
      signal: options.signal, onProgress: options.onProgress, log: options.log,
      parse: (text, item) => parseCultureAnswer(text, byId.get(item.questionId)!),
    });
    return { runId, runDir, summary };
  } finally {
    store.close();
    prepared.cache.close();
  }
}
