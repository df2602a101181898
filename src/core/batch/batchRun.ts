import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunManifest } from '../experiment';
import { createAnswerParser } from '../run/createAnswerParser';
import { expandRequests } from '../run/expandRequests';
import type { OpenedExperiment } from '../run/openExperiment';
import { prepareRun, type PrepareRunOptions } from '../run/prepareRun';
import { RESPONSES_FILE, RunStore } from '../run/RunStore';
import { readResponses } from '../run/readRun';
import { BatchIndex } from './BatchIndex';
import { downloadsDir, EXPORT_MANIFEST, exportsDir } from './batchFormat';
import { exportBatch, type BatchExportManifest } from './exportBatch';
import { importBatchOutput, type ImportReport } from './importBatchOutput';

export interface ExportRunOptions extends Pick<PrepareRunOptions, 'runsDir' | 'resume' | 'countTokens' | 'cacheDirs' | 'now' | 'cache'> {
  shards?: number;
  maxLinesPerFile?: number;
  maxBytesPerFile?: number;
  /** Workspace root, for the manifest's relative `experimentFile`. */
  workspaceDir?: string;
}

export interface ExportedRun {
  runId: string;
  runDir: string;
  exportDir: string;
  manifest: BatchExportManifest;
}

/**
 * Exports what a run still lacks as Batch JSONL: continues the run named by `resume` (default: the latest
 * unfinished run of this experiment, as `run` does) or starts one, writes cache hits into it, and the rest into
 * `<run>/batch/exports/<n>/`. Exporting again after an import re-exports exactly the failed and missing requests.
 */
export function exportRunBatch(experiment: OpenedExperiment, options: ExportRunOptions): ExportedRun {
  const prepared = prepareRun(experiment, options);
  const { spec } = experiment.plan;
  const runDir = path.join(options.runsDir, prepared.runId);
  let store: RunStore;
  if (prepared.resuming) store = RunStore.open(runDir);
  else {
    const manifest: RunManifest = {
      runId: prepared.runId, experiment: spec, createdAt: new Date().toISOString(), plannedRequests: prepared.estimate.samples, status: 'running',
      experimentFile: options.workspaceDir ? path.relative(options.workspaceDir, experiment.file).split(path.sep).join('/') : experiment.file,
      ...(prepared.recorded ? { recorded: true } : {}),
    };
    store = RunStore.create(options.runsDir, manifest);
  }
  try {
    const root = exportsDir(runDir);
    fs.mkdirSync(root, { recursive: true });
    const exportId = String(fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).length + 1).padStart(3, '0');
    const exportDir = path.join(root, exportId);
    const manifest = exportBatch(expandRequests(experiment.plan), {
      dir: exportDir, runId: prepared.runId, exportId, done: prepared.done, cache: prepared.cache, store,
      shards: options.shards, expectedLines: prepared.estimate.requests - prepared.estimate.recordedRequests,
      maxLinesPerFile: options.maxLinesPerFile, maxBytesPerFile: options.maxBytesPerFile,
    });
    return { runId: prepared.runId, runDir, exportDir, manifest };
  } finally {
    store.close();
    prepared.cache.close();
  }
}

/** The exports of a run, oldest first. */
export function listExports(runDir: string): BatchExportManifest[] {
  const root = exportsDir(runDir);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).sort().flatMap((d) => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(root, d, EXPORT_MANIFEST), 'utf8')) as BatchExportManifest];
    } catch {
      return [];
    }
  });
}

/** Output and error files downloaded by `status` (`<run>/batch/downloads/*.jsonl`). */
export function listDownloads(runDir: string): string[] {
  const dir = downloadsDir(runDir);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f));
}

/**
 * Imports output files into a run of this experiment: indexes every planned sample, marks the ones the run
 * holds, writes the new answers; the run's status becomes `completed` once nothing is pending.
 */
export function importRunBatch(experiment: OpenedExperiment, runDir: string, files: readonly string[]): ImportReport {
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`no such file: ${f}`);
  const index = BatchIndex.build(expandRequests(experiment.plan));
  for (const r of readResponses(path.join(runDir, RESPONSES_FILE))) if (r.text !== null) index.markDone(r.hash);
  const store = RunStore.open(runDir);
  try {
    const report = importBatchOutput(files, { index, store, parse: createAnswerParser(experiment.plan.spec) });
    store.flush();
    if (report.pending === 0) store.updateManifest({ status: 'completed', finishedAt: new Date().toISOString() });
    return report;
  } finally {
    store.close();
  }
}
