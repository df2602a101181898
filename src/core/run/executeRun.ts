import * as path from 'node:path';
import type { RunManifest } from '../experiment';
import { createAnswerParser } from './createAnswerParser';
import { createOpenAICompleter, type KeyLookup } from './createOpenAICompleter';
import { createReplayCompleter } from './createReplayCompleter';
import { expandRequests } from './expandRequests';
import type { PreparedRun } from './prepareRun';
import { runRequests, type RunProgress, type RunSummary } from './runRequests';
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
}

export interface ExecutedRun {
  runId: string;
  runDir: string;
  summary: RunSummary;
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
  try {
    const summary = await runRequests(expandRequests(experiment.plan), {
      store, completers, done: prepared.done, cache: prepared.cache, planned: prepared.estimate.samples, models: spec.models,
      signal: options.signal, onProgress: options.onProgress, log: options.log, parse,
    });
    return { runId, runDir, summary };
  } catch (e) {
    // A run that threw never stays "running" (which would read as live, or be offered as interrupted forever).
    try {
      store.updateManifest({ status: options.signal?.aborted ? 'cancelled' : 'failed', finishedAt: new Date().toISOString() });
    } catch {
      // The folder itself is gone or unwritable: nothing left to mark.
    }
    throw e;
  } finally {
    store.close();
    prepared.cache.close();
  }
}
