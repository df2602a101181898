import { makeRunFolder } from '../run/runFiles';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord, RunManifest } from '../experiment';
import { createAnswerParser } from '../run/createAnswerParser';
import { countPlan, expandRequests } from '../run/expandRequests';
import type { OpenedExperiment } from '../run/openExperiment';
import { prepareRun, type PrepareRunOptions } from '../run/prepareRun';
import { RESPONSES_FILE, RunStore } from '../run/RunStore';
import { itemSampleKey, readResponses, sampleKey } from '../run/readRun';
import { BatchIndex } from './BatchIndex';
import { downloadsDir, EXPORT_MANIFEST, exportsDir } from './batchFormat';
import { estimateBatch, type BatchChoice } from './estimateBatch';
import { BatchExporter, type BatchExportManifest } from './exportBatch';
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
  /** The export continues an unfinished run of this experiment (failed and missing requests of an earlier batch). */
  resumed: boolean;
  exportDir: string;
  manifest: BatchExportManifest;
  /** Live vs batch for what was exported, from the same pass. */
  choice: BatchChoice;
}

/**
 * Exports what a run still lacks as Batch JSONL: continues the run named by `resume` (default: the latest
 * unfinished run of this experiment, as `run` does) or starts one, writes cache hits into it, and the rest into
 * `<run>/batch/exports/<n>/`. Exporting again after an import re-exports exactly the failed and missing requests.
 * One pass over the items: the live vs batch estimate is computed while the lines are written.
 */
export function exportRunBatch(experiment: OpenedExperiment, options: ExportRunOptions): ExportedRun {
  // prepareRun finds the run to continue, its answers and the cache; its own estimate would cost a second
  // expansion of every prompt, so it is given no personas and the estimate comes from the export's pass.
  const prepared = prepareRun({ ...experiment, plan: { ...experiment.plan, personas: [] } }, options);
  const { spec } = experiment.plan;
  const runDir = path.join(options.runsDir, prepared.runId);
  let store: RunStore;
  if (prepared.resuming) store = RunStore.open(runDir);
  else {
    const manifest: RunManifest = {
      runId: prepared.runId, experiment: spec, createdAt: new Date().toISOString(), plannedRequests: countPlan(experiment.plan).samples, status: 'running',
      experimentFile: options.workspaceDir ? path.relative(options.workspaceDir, experiment.file).split(path.sep).join('/') : experiment.file,
      ...(prepared.recorded ? { recorded: true } : {}),
    };
    store = RunStore.create(options.runsDir, manifest);
  }
  try {
    const root = exportsDir(runDir);
    makeRunFolder(root);
    const exportId = String(fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).length + 1).padStart(3, '0');
    const exportDir = path.join(root, exportId);
    const exporter = new BatchExporter({
      dir: exportDir, runId: prepared.runId, exportId, done: prepared.done, cache: prepared.cache, store,
      shards: options.shards, maxLinesPerFile: options.maxLinesPerFile, maxBytesPerFile: options.maxBytesPerFile,
    });
    let choice: BatchChoice;
    try {
      choice = estimateBatch(experiment.plan, options.countTokens ?? ((t) => Math.ceil(t.length / 4)), prepared.done, prepared.cache, (item) => exporter.add(item));
    } catch (e) {
      exporter.close();
      throw e;
    }
    return { runId: prepared.runId, runDir, resumed: prepared.resuming, exportDir, manifest: exporter.finish(), choice };
  } finally {
    store.close();
    prepared.cache.close();
  }
}

/**
 * Live vs batch for what a run of this experiment still lacks (the run `exportRunBatch` or `run` would
 * continue), without writing anything: one pass over the items.
 */
export function estimateRunBatch(experiment: OpenedExperiment, options: Pick<PrepareRunOptions, 'runsDir' | 'resume' | 'countTokens' | 'cacheDirs' | 'cache'>): { choice: BatchChoice; runId: string; resuming: boolean } {
  const prepared = prepareRun({ ...experiment, plan: { ...experiment.plan, personas: [] } }, options);
  try {
    const choice = estimateBatch(experiment.plan, options.countTokens ?? ((t) => Math.ceil(t.length / 4)), prepared.done, prepared.cache);
    return { choice, runId: prepared.runId, resuming: prepared.resuming };
  } finally {
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
  const recorded = new Set<string>();
  const answered = new Map<string, ResponseRecord>();
  for (const r of readResponses(path.join(runDir, RESPONSES_FILE))) {
    if (r.text === null) continue;
    index.markDone(r.hash);
    recorded.add(sampleKey(r));
    if (!answered.has(r.hash)) answered.set(r.hash, r);
  }
  const store = RunStore.open(runDir);
  try {
    // A sample whose identical prompt (another item's) was answered earlier, e.g. before a resume, gets that answer,
    // as an import writes it to every item of the line.
    for (const [hash, r] of answered) {
      for (const { item, sample } of index.samplesOf(hash)) {
        if (recorded.has(itemSampleKey(item, sample.sample))) continue;
        store.append({ ...r, condition: item.condition, personaId: item.personaId, questionId: item.questionId, variant: item.variant, sample: sample.sample, cached: true, cost: 0, t: Date.now() });
      }
    }
    const report = importBatchOutput(files, { index, store, parse: createAnswerParser(experiment.plan.spec) });
    store.flush();
    if (report.pending === 0) store.updateManifest({ status: 'completed', finishedAt: new Date().toISOString() });
    return report;
  } finally {
    store.close();
  }
}
