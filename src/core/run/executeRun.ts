import * as path from 'node:path';
import type { RunManifest, RunStopRecord } from '../experiment';
import { liveScorerFor, requestShareOf } from '../live/liveScorerFor';
import { RunMonitor, type LiveSnapshot } from '../live/RunMonitor';
import { createAnswerParser } from './createAnswerParser';
import { createOpenAICompleter, type KeyLookup } from './createOpenAICompleter';
import { createReplayCompleter } from './createReplayCompleter';
import type { PreparedRun } from './prepareRun';
import { readResponses } from './readRun';
import { runRequests, type RunProgress, type RunSummary } from './runRequests';
import { expandRequestsByPersona, schedulePersonas } from './schedulePersonas';
import { RunStore } from './RunStore';
import type { Completer } from './WorkItem';

export interface ExecuteRunOptions {
  /** API key of an endpoint origin (never called for another origin than the model's own). */
  keys: KeyLookup;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  log?: (message: string) => void;
  /** Workspace root, for the manifest's relative `experimentFile`. */
  workspaceDir?: string;
  /** Store flush tuning (tests, benchmarks). */
  flushIntervalMs?: number;
  /** Live results: called at most every `liveIntervalMs` (default 250) while records land, and once at the end. */
  onLive?: (snapshot: LiveSnapshot) => void;
  liveIntervalMs?: number;
  /** Continue past the experiment's stop rules (`scoring.stop`): ask every persona. */
  ignoreStop?: boolean;
}

export interface ExecutedRun {
  runId: string;
  runDir: string;
  summary: RunSummary;
  /** Why a stop rule ended the run early (also in the manifest); absent when it was not stopped. */
  stop?: RunStopRecord;
  /** The last live snapshot (when live results or stop rules were on). */
  live?: LiveSnapshot;
}

/**
 * Runs a prepared run to the end (or until cancelled): opens or creates the run directory, builds one completer
 * per model (replay or OpenAI-compatible), and streams every missing sample through the engine into the store.
 */
export async function executeRun(prepared: PreparedRun, options: ExecuteRunOptions): Promise<ExecutedRun> {
  const { experiment, runsDir, runId } = prepared;
  const { spec } = experiment.plan;
  const completers = new Map<string, Completer>();
  for (const [j, m] of spec.models.entries()) {
    if (!spec.conditions.some((c) => c.model === m.id)) continue;
    if (m.kind === 'replay') {
      const langs = new Set(spec.conditions.filter((c) => c.model === m.id).map((c) => c.lang));
      const questions = new Set(experiment.plan.questions.map((q) => q.id));
      completers.set(m.id, createReplayCompleter(m, experiment.resolve(m.completions ?? '.', ['models', j, 'completions']), { langs, questions }));
    } else {
      completers.set(m.id, await createOpenAICompleter(m, options.keys));
    }
  }
  // Everything that can fail on the spec alone fails here, before a run folder exists.
  const parse = createAnswerParser(spec);
  const runDir = path.join(runsDir, runId);
  let store: RunStore;
  if (prepared.resuming) {
    store = RunStore.open(runDir, { flushIntervalMs: options.flushIntervalMs });
    store.updateManifest({ status: 'running', finishedAt: undefined });
  } else {
    const manifest: RunManifest = {
      runId, experiment: spec, createdAt: new Date().toISOString(), plannedRequests: prepared.estimate.samples, status: 'running',
      experimentFile: options.workspaceDir ? path.relative(options.workspaceDir, experiment.file).split(path.sep).join('/') : experiment.file,
      ...(prepared.recorded ? { recorded: true } : {}),
    };
    store = RunStore.create(runsDir, manifest, { flushIntervalMs: options.flushIntervalMs });
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    // Persona by persona in a seeded random order: a run stopped early holds a uniformly random subsample.
    const seed = spec.scoring?.seed ?? 1;
    const order = schedulePersonas(experiment.plan.personas, seed);
    let monitor: RunMonitor | undefined;
    if (options.onLive || spec.scoring?.stop) {
      monitor = new RunMonitor({
        runId, scorer: await liveScorerFor(experiment, prepared.recorded), order: order.map((p) => p.id), rules: spec.scoring?.stop,
        ignoreStop: options.ignoreStop, seed, requestShare: requestShareOf(experiment),
      });
      // A resumed run: its records first, so the sequence, the budget and a stop already taken are as they were.
      // Every record, duplicates included (two items with one prompt share a hash): the monitor counts each planned
      // sample and drops duplicates from scoring itself, as the run reader does.
      if (prepared.resuming) for (const record of readResponses(store.responsesFile)) monitor.record(record);
      if (options.ignoreStop && store.manifest.stop && !store.manifest.stop.continuedAt) {
        store.updateManifest({ stop: { ...store.manifest.stop, continuedAt: new Date().toISOString() } });
        options.log?.(`continuing past the stop of ${store.manifest.stop.at} (${store.manifest.stop.reason})`);
      }
    }
    const live = options.onLive;
    let shown = -1;
    const publish = (): void => {
      if (!monitor || !live || monitor.changes === shown) return;
      shown = monitor.changes;
      live(monitor.snapshot());
    };
    if (live) {
      publish();
      timer = setInterval(publish, options.liveIntervalMs ?? 250);
      timer.unref?.();
    }
    const summary = await runRequests(expandRequestsByPersona(experiment.plan, order), {
      store, completers, done: prepared.done, cache: prepared.cache, planned: prepared.estimate.samples, models: spec.models,
      signal: options.signal, onProgress: options.onProgress, log: options.log, parse,
      ...(monitor ? { onRecord: (r) => monitor.record(r), shouldStop: (pending, request) => monitor.shouldStop(pending, request) } : {}),
    });
    let stop: RunStopRecord | undefined;
    if (summary.status === 'stopped' && monitor) {
      stop = monitor.stopRecord(monitor.scorer.recordCount);
      if (stop) {
        store.updateManifest({ stop });
        options.log?.(`stopped early: ${stop.reason}`);
      }
    }
    if (timer) clearInterval(timer);
    timer = undefined;
    const last = monitor ? { ...monitor.snapshot(), final: { status: summary.status } } : undefined;
    if (last) live?.(last);
    return { runId, runDir, summary, ...(stop ? { stop } : {}), ...(last ? { live: last } : {}) };
  } catch (e) {
    // A run that threw never stays "running" (which would read as live, or be offered as interrupted forever).
    try {
      store.updateManifest({ status: options.signal?.aborted ? 'cancelled' : 'failed', finishedAt: new Date().toISOString() });
    } catch {
      // The folder itself is gone or unwritable: nothing left to mark.
    }
    throw e;
  } finally {
    if (timer) clearInterval(timer);
    store.close();
    prepared.cache.close();
  }
}
