import * as fs from 'node:fs';
import * as path from 'node:path';
import { BatchIndex } from '../batch/BatchIndex';
import { exportsDir } from '../batch/batchFormat';
import { exportBatch, type BatchExportManifest } from '../batch/exportBatch';
import { importBatchOutput, type ImportReport } from '../batch/importBatchOutput';
import { readResponses } from '../run/readRun';
import { RESPONSES_FILE, RunStore } from '../run/RunStore';
import { expandCultureRequests } from './expandCultureRequests';
import type { OpenedCultureExperiment } from './openCultureExperiment';
import { parseCultureAnswer } from './parseCultureAnswer';
import { openCultureRunStore, prepareCultureRun, type PrepareCultureRunOptions } from './runCultureExperiment';

export interface CultureBatchExportOptions extends PrepareCultureRunOptions {
  shards?: number;
  maxLinesPerFile?: number;
  maxBytesPerFile?: number;
  workspaceDir?: string;
}

/**
 * A culture run through the OpenAI Batch API or vLLM run_batch: the requests the run still lacks as Batch JSONL
 * (the same bodies a live run sends, so the same request hashes), cache hits copied into the run instead. The run
 * folder is the culture run's own (`batch/exports/<n>/`), so `submit`, `status` and `import` work on it as for any run.
 */
export function exportCultureBatch(exp: OpenedCultureExperiment, options: CultureBatchExportOptions): { runId: string; runDir: string; exportDir: string; manifest: BatchExportManifest } {
  const prepared = prepareCultureRun(exp, options);
  const { store, runDir } = openCultureRunStore(prepared, { workspaceDir: options.workspaceDir });
  try {
    const root = exportsDir(runDir);
    fs.mkdirSync(root, { recursive: true });
    const exportId = String(fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).length + 1).padStart(3, '0');
    const exportDir = path.join(root, exportId);
    const manifest = exportBatch(expandCultureRequests(exp), {
      dir: exportDir, runId: prepared.runId, exportId, done: prepared.done, cache: prepared.cache, store,
      shards: options.shards,
      maxLinesPerFile: options.maxLinesPerFile, maxBytesPerFile: options.maxBytesPerFile,
    });
    return { runId: prepared.runId, runDir, exportDir, manifest };
  } finally {
    store.close();
    prepared.cache.close();
  }
}

/** Imports Batch output files into a culture run (answers parsed on the question's scale at write time). */
export function importCultureBatch(exp: OpenedCultureExperiment, runDir: string, files: readonly string[]): ImportReport {
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`no such file: ${f}`);
  const index = BatchIndex.build(expandCultureRequests(exp));
  for (const r of readResponses(path.join(runDir, RESPONSES_FILE))) if (r.text !== null) index.markDone(r.hash);
  const store = RunStore.open(runDir);
  try {
    const report = importBatchOutput(files, { index, store, parse: (text, item) => parseCultureAnswer(text, scaleOf(item.options ?? [])) });
    store.flush();
    if (report.pending === 0) store.updateManifest({ status: 'completed', finishedAt: new Date().toISOString() });
    return report;
  } finally {
    store.close();
  }
}

/** The scale of a culture item from its option strings (`"1. Strongly agree"`, …; the ends at least are labelled). */
function scaleOf(options: readonly string[]): { min: number; max: number } {
  const codes = options.map((o) => Number(/^(-?\d+)\./.exec(o)?.[1])).filter(Number.isFinite);
  return codes.length ? { min: Math.min(...codes), max: Math.max(...codes) } : { min: 0, max: -1 };
}
