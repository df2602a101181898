// What the editor and the CLI show and do about a run's batches: which runs have batches pending (found again
// after a reload or a restart from `<run>/batch/jobs.json`), their progress, and collecting them (poll,
// download, import once every batch has ended).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunManifest } from '../experiment';
import type { OpenedExperiment } from '../run/openExperiment';
import { ResumeError } from '../run/prepareRun';
import { listIdleRuns } from '../run/RunStore';
import { batchDir } from './batchFormat';
import { allTerminal, markImported, pollJobs, readJobs, type BatchJob, type ClientFor } from './batchJobs';
import { importRunBatch, listDownloads } from './batchRun';
import type { ImportReport } from './importBatchOutput';

export interface BatchRunInfo {
  runId: string;
  dir: string;
  manifest: RunManifest;
  jobs: BatchJob[];
}

/** A run waits for its batches while one has not ended, or has ended and its output is not imported yet. */
export function isBatchPending(jobs: readonly BatchJob[]): boolean {
  return jobs.length > 0 && jobs.some((j) => !allTerminal([j]) || !j.imported);
}

/** Whether a run folder has batches pending (false when it has none, or its jobs.json is unreadable). */
export function hasPendingBatches(runDir: string): boolean {
  try {
    return isBatchPending(readJobs(runDir).jobs);
  } catch {
    return false;
  }
}

/** The idle runs under `runsDir` that have batch files, newest first. */
export function listBatchRuns(runsDir: string): BatchRunInfo[] {
  const runs: BatchRunInfo[] = [];
  for (const r of listIdleRuns(runsDir)) {
    if (!fs.existsSync(batchDir(r.dir))) continue;
    let jobs: BatchJob[] = [];
    try {
      jobs = readJobs(r.dir).jobs;
    } catch {
      // an unreadable jobs.json is reported by the command that reads it
    }
    runs.push({ runId: r.id, dir: r.dir, manifest: r.manifest, jobs });
  }
  return runs.sort((a, b) => (a.manifest.createdAt < b.manifest.createdAt ? 1 : -1));
}

/** The run a batch command works on: `run` (an id), else the latest run of this experiment with batch files. */
export function findBatchRun(runsDir: string, experiment: OpenedExperiment, run?: string): string {
  if (run) {
    const dir = path.join(runsDir, run);
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new ResumeError(`no run "${run}" in ${runsDir}`);
    return dir;
  }
  const spec = JSON.stringify(experiment.plan.spec);
  const found = listBatchRuns(runsDir).find((r) => JSON.stringify(r.manifest.experiment) === spec);
  if (!found) throw new ResumeError(`no batch run of this experiment in ${runsDir}: export it as a batch first`);
  return found.dir;
}

export interface JobsSummary {
  batches: number;
  ended: number;
  /** Requests of all batches, and how many are answered or failed so far. */
  total: number;
  completed: number;
  failed: number;
  /** 0…1: requests answered or failed over all (ended batches count whole). */
  fraction: number;
  /** Batches per status, e.g. { in_progress: 2, completed: 1 }. */
  statuses: Record<string, number>;
}

export function summarizeJobs(jobs: readonly BatchJob[]): JobsSummary {
  const s: JobsSummary = { batches: jobs.length, ended: 0, total: 0, completed: 0, failed: 0, fraction: 0, statuses: {} };
  let progress = 0;
  for (const j of jobs) {
    const ended = allTerminal([j]);
    if (ended) s.ended++;
    s.statuses[j.status] = (s.statuses[j.status] ?? 0) + 1;
    s.total += j.counts.total;
    s.completed += j.counts.completed;
    s.failed += j.counts.failed;
    progress += ended ? j.counts.total : Math.min(j.counts.total, j.counts.completed + j.counts.failed);
  }
  s.fraction = jobs.length === 0 ? 0 : s.total ? progress / s.total : s.ended / s.batches;
  return s;
}

/** `2/3 batches ended · 180/288 requests done, 4 failed · in_progress 1, completed 2` */
export function formatJobsSummary(s: JobsSummary): string {
  const statuses = Object.entries(s.statuses).map(([k, n]) => `${k} ${n}`).join(', ');
  return `${s.ended}/${s.batches} batches ended · ${s.completed}/${s.total} requests done${s.failed ? `, ${s.failed} failed` : ''} · ${statuses}`;
}

export interface Collected {
  jobs: BatchJob[];
  /** Output and error files downloaded by this call. */
  downloaded: string[];
  /** Set once every batch has ended and its output was imported by this call. */
  report?: ImportReport;
}

/**
 * One step of watching a run's batches: refreshes them, downloads what ended, and once all have ended imports
 * every downloaded file (idempotent) and marks the jobs imported, so a reload does not import them again.
 */
export async function collectBatch(experiment: OpenedExperiment, runDir: string, clientFor: ClientFor, signal?: AbortSignal): Promise<Collected> {
  const { jobs, downloaded } = await pollJobs(runDir, clientFor, signal);
  if (signal?.aborted || !allTerminal(jobs) || !jobs.some((j) => !j.imported)) return { jobs, downloaded };
  const files = listDownloads(runDir);
  const report = files.length ? importRunBatch(experiment, runDir, files) : undefined;
  return { jobs: markImported(runDir), downloaded, ...(report ? { report } : {}) };
}
