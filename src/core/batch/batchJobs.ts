import { makeRunFolder } from '../run/runFiles';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batchDir, downloadsDir, exportsDir, jobsFile } from './batchFormat';
import { TERMINAL_STATUSES, type BatchClient, type BatchInfo, type BatchStatus } from './createBatchClient';
import type { BatchExportManifest } from './exportBatch';
import { writeJsonAtomic } from './writeJsonAtomic';

/** One shard submitted as one batch. Saved in `<run>/batch/jobs.json` after every step (survives restarts). */
export interface BatchJob {
  exportId: string;
  shard: string;
  model: string;
  inputFileId: string;
  batchId: string;
  status: BatchStatus;
  counts: BatchInfo['counts'];
  outputFileId: string | null;
  errorFileId: string | null;
  errors?: string[];
  /** Downloaded output / error files, relative to the run folder. */
  downloaded: string[];
  /** Its downloads were imported into the run (after it ended), so watching it is over. */
  imported?: boolean;
  submittedAt: string;
  updatedAt: string;
}

export interface JobsState {
  jobs: BatchJob[];
}

export function readJobs(runDir: string): JobsState {
  try {
    return JSON.parse(fs.readFileSync(jobsFile(runDir), 'utf8')) as JobsState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { jobs: [] };
    throw new Error(`${jobsFile(runDir)}: unreadable batch state (${e instanceof Error ? e.message : String(e)})`);
  }
}

function saveJobs(runDir: string, state: JobsState): void {
  makeRunFolder(batchDir(runDir));
  writeJsonAtomic(jobsFile(runDir), state);
}

export type ClientFor = (model: string) => Promise<BatchClient>;

/** Uploads and creates a batch for every shard of an export that has none yet; resumable shard by shard (`signal` stops between shards). */
export async function submitExport(runDir: string, manifest: BatchExportManifest, clientFor: ClientFor, onJob?: (job: BatchJob) => void, signal?: AbortSignal): Promise<BatchJob[]> {
  const state = readJobs(runDir);
  const created: BatchJob[] = [];
  for (const shard of manifest.shards) {
    if (signal?.aborted) break;
    if (state.jobs.some((j) => j.exportId === manifest.exportId && j.shard === shard.file)) continue;
    const client = await clientFor(shard.model);
    const inputFileId = await client.upload(path.join(exportsDir(runDir), manifest.exportId, shard.file));
    const b = await client.create(inputFileId);
    const now = new Date().toISOString();
    const job: BatchJob = {
      exportId: manifest.exportId, shard: shard.file, model: shard.model, inputFileId, batchId: b.id, status: b.status, counts: b.counts,
      outputFileId: b.outputFileId, errorFileId: b.errorFileId, downloaded: [], submittedAt: now, updatedAt: now,
    };
    state.jobs.push(job);
    saveJobs(runDir, state);
    created.push(job);
    onJob?.(job);
  }
  return created;
}

/**
 * Refreshes every unfinished job and downloads the output and error files of finished ones (expired and
 * cancelled batches have partial output) into `<run>/batch/downloads/`. Returns the jobs and the newly
 * downloaded files. `signal` stops between jobs (what is done is saved).
 */
export async function pollJobs(runDir: string, clientFor: ClientFor, signal?: AbortSignal): Promise<{ jobs: BatchJob[]; downloaded: string[] }> {
  const state = readJobs(runDir);
  const downloaded: string[] = [];
  for (const job of state.jobs) {
    if (signal?.aborted) break;
    const client = await clientFor(job.model);
    if (!TERMINAL_STATUSES.has(job.status)) {
      const b = await client.retrieve(job.batchId);
      Object.assign(job, { status: b.status, counts: b.counts, outputFileId: b.outputFileId, errorFileId: b.errorFileId, updatedAt: new Date().toISOString() });
      if (b.errors) job.errors = b.errors;
      saveJobs(runDir, state);
    }
    if (!TERMINAL_STATUSES.has(job.status)) continue;
    for (const [fileId, kind] of [[job.outputFileId, 'output'], [job.errorFileId, 'errors']] as const) {
      if (!fileId) continue;
      const rel = path.join('batch', 'downloads', `${job.batchId}.${kind}.jsonl`);
      if (job.downloaded.includes(rel)) continue;
      makeRunFolder(downloadsDir(runDir));
      await client.download(fileId, path.join(runDir, rel));
      job.downloaded.push(rel);
      downloaded.push(path.join(runDir, rel));
      saveJobs(runDir, state);
    }
  }
  return { jobs: state.jobs, downloaded };
}

/** Asks every unfinished job to stop (its partial output is downloaded by the next poll). */
export async function cancelJobs(runDir: string, clientFor: ClientFor): Promise<BatchJob[]> {
  const state = readJobs(runDir);
  const cancelled: BatchJob[] = [];
  for (const job of state.jobs) {
    if (TERMINAL_STATUSES.has(job.status) || job.status === 'cancelling') continue;
    const b = await (await clientFor(job.model)).cancel(job.batchId);
    Object.assign(job, { status: b.status, counts: b.counts, updatedAt: new Date().toISOString() });
    saveJobs(runDir, state);
    cancelled.push(job);
  }
  return cancelled;
}

/** Marks every ended job imported (after an import of the run's downloads); returns the jobs. */
export function markImported(runDir: string): BatchJob[] {
  const state = readJobs(runDir);
  let changed = false;
  for (const job of state.jobs) {
    if (!TERMINAL_STATUSES.has(job.status) || job.imported) continue;
    job.imported = true;
    changed = true;
  }
  if (changed) saveJobs(runDir, state);
  return state.jobs;
}

export const allTerminal = (jobs: readonly BatchJob[]): boolean => jobs.every((j) => TERMINAL_STATUSES.has(j.status));
