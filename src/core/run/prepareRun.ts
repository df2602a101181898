import * as path from 'node:path';
import { InputError } from '../errors';
import type { RunManifest } from '../experiment';
import { estimateRun, type RunEstimate, type TokenCounter } from './estimateRun';
import { expandRequests } from './expandRequests';
import type { OpenedExperiment } from './openExperiment';
import { ResponseCache } from './ResponseCache';
import { isRunLocked, listIdleRuns, readManifest, RESPONSES_FILE } from './RunStore';
import { answeredSamples } from './readRun';
import { assertRunsDir } from './runFiles';

/** A run about to start (or continue): what it will ask, what it can reuse, what it will cost. */
export interface PreparedRun {
  experiment: OpenedExperiment;
  runsDir: string;
  runId: string;
  /** True when `runId` is an unfinished run of the same experiment that this one continues. */
  resuming: boolean;
  /** The samples the run already holds an answer for (sampleKey). */
  done: Set<string>;
  cache: ResponseCache;
  estimate: RunEstimate;
  /** Some answers come from recorded completions (replay models). */
  recorded: boolean;
}

export interface PrepareRunOptions {
  /** `.alignment/runs` of the workspace. */
  runsDir: string;
  /** Continue this run id; `auto` (default) continues the latest unfinished run of the same experiment; `never` always starts a new one. */
  resume?: string;
  countTokens?: TokenCounter;
  /** More run folders whose answers serve as cache (e.g. quick runs in `.alignment/quick`). */
  cacheDirs?: string[];
  /** For new run ids (tests). */
  now?: Date;
  /** The workspace: a runs folder inside it must really lie there (through links). Default the experiment's root. */
  workspaceDir?: string;
  /** Reuse answers of other runs (default true); `false` is `--no-cache` / "Run without cache". */
  cache?: boolean;
}

/** Raised when `--resume` names a run that cannot be continued. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

/**
 * Finds what a run can reuse (its own earlier answers when resuming, other runs' answers as a cache) and
 * estimates requests, tokens and cost, so the user can confirm before anything is sent.
 */
export function prepareRun(experiment: OpenedExperiment, options: PrepareRunOptions): PreparedRun {
  const { spec } = experiment.plan;
  const { runsDir } = options;
  const resume = options.resume ?? 'auto';
  // Before anything is read or written: no runs folder that leads out of the workspace, no run file that is a link.
  const workspaceDir = options.workspaceDir ?? experiment.root;
  for (const dir of [runsDir, ...(options.cacheDirs ?? [])]) assertRunsDir(dir, workspaceDir);
  let runId: string | undefined;
  if (resume !== 'auto' && resume !== 'never') {
    if (resume !== path.basename(resume) || resume === '..' || resume === '.') throw new ResumeError(`--resume takes a run id (a folder name in ${runsDir}), not a path: ${resume}`);
    const dir = path.join(runsDir, resume);
    let manifest: RunManifest;
    try {
      manifest = readManifest(dir);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new ResumeError(`no run "${resume}" in ${runsDir}`);
    }
    if (JSON.stringify(manifest.experiment) !== JSON.stringify(spec)) throw new ResumeError(`run "${resume}" was made from a different version of the experiment; start a new run (its answers are reused from the cache)`);
    if (isRunLocked(dir)) throw new ResumeError(`run "${resume}" is still running in another process`);
    runId = resume;
  } else if (resume === 'auto') {
    runId = findUnfinishedRun(runsDir, JSON.stringify(spec));
  }
  const done = runId ? answeredSamples(path.join(runsDir, runId, RESPONSES_FILE)) : new Set<string>();
  const cache = options.cache === false ? ResponseCache.empty() : ResponseCache.scan([runsDir, ...(options.cacheDirs ?? [])], runId);
  const estimate = estimateRun(expandRequests(experiment.plan), options.countTokens ?? ((t) => Math.ceil(t.length / 4)), done, cache);
  return {
    experiment, runsDir, runId: runId ?? newRunId(spec.name, options.now), resuming: Boolean(runId), done, cache, estimate,
    recorded: spec.models.some((m) => m.kind === 'replay' && spec.conditions.some((c) => c.model === m.id)),
  };
}

/** The latest run of this exact experiment that did not complete and is not running elsewhere. */
function findUnfinishedRun(runsDir: string, specJson: string): string | undefined {
  let best: { id: string; createdAt: string } | undefined;
  for (const { id, manifest: m } of listIdleRuns(runsDir)) {
    if (m.status === 'completed' || JSON.stringify(m.experiment) !== specJson) continue;
    if (!best || m.createdAt > best.createdAt) best = { id, createdAt: m.createdAt };
  }
  return best?.id;
}

/** `20261126-051500-wvs-egypt-3f9a`: sortable by time, readable, unique. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}-${Math.random().toString(16).slice(2, 6)}`;
}
