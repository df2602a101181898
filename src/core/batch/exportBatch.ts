import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseCache } from '../run/ResponseCache';
import type { RunStore } from '../run/RunStore';
import type { WorkItem } from '../run/WorkItem';
import { buildChatBody } from '../run/buildChatBody';
import { CHAT_COMPLETIONS_URL, EXPORT_MANIFEST, MAX_BYTES_PER_FILE, MAX_LINES_PER_FILE } from './batchFormat';
import { writeJsonAtomic } from './writeJsonAtomic';

export interface ExportBatchOptions {
  /** Folder the shards and the manifest are written to (created; must not hold an export yet). */
  dir: string;
  runId: string;
  exportId: string;
  /** Samples the run already holds (skipped). */
  done: ReadonlySet<string>;
  /** Answers of earlier runs: written into `store` as cache hits (as a live run does) rather than exported. */
  cache?: ResponseCache;
  store?: RunStore;
  maxLinesPerFile?: number;
  maxBytesPerFile?: number;
  /** Split into this many files per model (for N cluster nodes), given the number of lines expected. */
  shards?: number;
  expectedLines?: number;
}

export interface ShardInfo {
  /** File name in the export folder. */
  file: string;
  /** Model id of the experiment; one model per file (the Batch API requires it). */
  model: string;
  lines: number;
  /** Samples the lines ask for (> lines with `useN`). */
  samples: number;
  bytes: number;
}

export interface BatchExportManifest {
  exportId: string;
  runId: string;
  createdAt: string;
  url: typeof CHAT_COMPLETIONS_URL;
  shards: ShardInfo[];
  lines: number;
  samples: number;
  /** Samples served from earlier runs and written to the run instead. */
  cached: number;
  /** Samples of replay (recorded) models: not batchable, run them live. */
  recorded: number;
}

interface Writer {
  info: ShardInfo;
  fd: number;
  chunks: string[];
  pending: number;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Streams the samples a run still lacks into Batch JSONL shards (bounded memory: one item and one 1 MiB buffer
 * per model at a time). Each line asks for one sample, or with `useN` for a contiguous range of an item's
 * missing samples in one request with `n`; its `custom_id` is the request hash of the range's first sample, so
 * the import maps choice i to sample first+i. The body is the live engine's own (buildChatBody).
 */
export function exportBatch(items: Iterable<WorkItem>, options: ExportBatchOptions): BatchExportManifest {
  const { dir, done, cache, store } = options;
  let maxLines = options.maxLinesPerFile ?? MAX_LINES_PER_FILE;
  const maxBytes = options.maxBytesPerFile ?? MAX_BYTES_PER_FILE;
  if (options.shards && options.shards > 0) maxLines = Math.max(1, Math.ceil((options.expectedLines ?? 0) / options.shards));
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(path.join(dir, EXPORT_MANIFEST))) throw new Error(`${dir} already holds an export`);
  const manifest: BatchExportManifest = {
    exportId: options.exportId, runId: options.runId, createdAt: new Date().toISOString(), url: CHAT_COMPLETIONS_URL, shards: [], lines: 0, samples: 0, cached: 0, recorded: 0,
  };
  const writers = new Map<string, Writer>();
  const counts = new Map<string, number>();
  const flush = (w: Writer): void => {
    if (w.chunks.length) fs.writeSync(w.fd, w.chunks.join(''));
    w.chunks = [];
    w.pending = 0;
  };
  const close = (w: Writer): void => {
    flush(w);
    fs.fsyncSync(w.fd);
    fs.closeSync(w.fd);
    writers.delete(w.info.model);
  };
  const open = (model: string): Writer => {
    const n = (counts.get(model) ?? 0) + 1;
    counts.set(model, n);
    const slug = model.replace(/[^A-Za-z0-9._-]+/g, '_');
    const info: ShardInfo = { file: `${slug}-${String(n).padStart(4, '0')}.jsonl`, model, lines: 0, samples: 0, bytes: 0 };
    manifest.shards.push(info);
    const w: Writer = { info, fd: fs.openSync(path.join(dir, info.file), 'wx'), chunks: [], pending: 0 };
    writers.set(model, w);
    return w;
  };
  const write = (item: WorkItem, first: string, n: number): void => {
    const line = `${JSON.stringify({ custom_id: first, method: 'POST', url: CHAT_COMPLETIONS_URL, body: buildChatBody(item.model, item.messages, n) })}\n`;
    const bytes = Buffer.byteLength(line);
    let w = writers.get(item.model.id);
    if (w && (w.info.lines >= maxLines || w.info.bytes + bytes > maxBytes)) {
      close(w);
      w = undefined;
    }
    w ??= open(item.model.id);
    w.chunks.push(line);
    w.pending += bytes;
    w.info.lines++;
    w.info.samples += n;
    w.info.bytes += bytes;
    manifest.lines++;
    manifest.samples += n;
    if (w.pending >= FLUSH_BYTES) flush(w);
  };
  try {
    for (const item of items) {
      let run: { sample: number; hash: string }[] = [];
      const emit = (): void => {
        if (!run.length) return;
        if (item.model.useN) write(item, run[0].hash, run.length);
        else for (const s of run) write(item, s.hash, 1);
        run = [];
      };
      for (const s of item.samples) {
        if (done.has(s.hash)) {
          emit();
          continue;
        }
        const hit = cache?.get(s.hash);
        if (hit && hit.text !== null && store) {
          store.append({ ...hit, condition: item.condition, personaId: item.personaId, variant: item.variant, sample: s.sample, cached: true, cost: 0, t: Date.now() });
          manifest.cached++;
          emit();
          continue;
        }
        if (item.model.kind === 'replay') {
          manifest.recorded++;
          continue;
        }
        // A range stays contiguous so choice i of the line is sample first+i.
        if (run.length && run[run.length - 1].sample !== s.sample - 1) emit();
        run.push(s);
      }
      emit();
    }
  } finally {
    for (const w of [...writers.values()]) close(w);
  }
  writeJsonAtomic(path.join(dir, EXPORT_MANIFEST), manifest);
  return manifest;
}
