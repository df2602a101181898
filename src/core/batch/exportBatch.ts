import { makeRunFolder } from '../run/runFiles';
import { itemSampleKey } from '../run/readRun';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseCache } from '../run/ResponseCache';
import type { RunStore } from '../run/RunStore';
import type { WorkItem } from '../run/WorkItem';
import { buildChatBody } from '../run/buildChatBody';
import { CHAT_COMPLETIONS_URL, EXPORT_MANIFEST, MAX_BYTES_PER_FILE, MAX_LINES_PER_FILE } from './batchFormat';
import { RequestHashTable } from './RequestHashTable';
import { writeJsonAtomic } from './writeJsonAtomic';

export interface ExportBatchOptions {
  /** Folder the shards and the manifest are written to (created; must not hold an export yet). */
  dir: string;
  runId: string;
  exportId: string;
  /** Samples the run already holds (skipped). */
  done: { has(hash: string): boolean };
  /** Answers of earlier runs: written into `store` as cache hits (as a live run does) rather than exported. */
  cache?: ResponseCache;
  store?: RunStore;
  /** Per-file limits (default: the OpenAI Batch API's, 50,000 lines and 200 MB). */
  maxLinesPerFile?: number;
  maxBytesPerFile?: number;
  /**
   * Exactly this many files per model instead (one per GPU node for vLLM run_batch): each item goes, with all
   * its samples (so a node reuses the prompt's prefix cache), to the file with the fewest lines so far. The
   * per-file limits do not apply then.
   */
  shards?: number;
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

const BUFFER_BYTES = 1 << 20;
const LINE_HEAD = '{"custom_id":';
const LINE_TAIL = '}\n';

/** One shard file, written through a 1 MiB buffer. */
class ShardWriter {
  private readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private pos = 0;
  private readonly fd: number;

  constructor(readonly info: ShardInfo, file: string) {
    this.fd = fs.openSync(file, 'wx');
  }

  /** `head` and `tail` are short strings, `body` the item's request body, encoded once for all its lines. */
  write(head: string, body: Buffer, tail: string): number {
    const headBytes = Buffer.byteLength(head);
    const bytes = headBytes + body.length + tail.length;
    if (this.pos + bytes > this.buf.length) this.flush();
    if (bytes > this.buf.length) {
      fs.writeSync(this.fd, Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]));
    } else {
      this.pos += this.buf.write(head, this.pos);
      this.pos += body.copy(this.buf, this.pos);
      this.pos += this.buf.write(tail, this.pos, 'latin1');
    }
    this.info.bytes += bytes;
    this.info.lines++;
    return bytes;
  }

  flush(): void {
    if (this.pos) fs.writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }

  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/**
 * Streams the samples a run still lacks into Batch JSONL shards, item by item (`add`), in bounded memory: one
 * item, one 1 MiB buffer per open file and a compact table of the hashes exported so far (a hash planned twice,
 * e.g. two respondents with the same prompt, is asked once: custom_ids must be unique). Each line asks for one
 * sample, or with `useN` for a contiguous range of an item's missing samples in one request with `n`; its
 * `custom_id` is the request hash of the range's first sample, so the import maps choice i to sample first+i.
 * The body is the live engine's own (buildChatBody).
 */
export class BatchExporter {
  readonly manifest: BatchExportManifest;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  /** Open files per model: one (rolled over at the limits), or `shards` of them. */
  private readonly writers = new Map<string, ShardWriter[]>();
  private readonly fileCount = new Map<string, number>();
  private readonly exported = new RequestHashTable();
  private finished = false;

  constructor(private readonly options: ExportBatchOptions) {
    const shards = options.shards && options.shards > 0 ? options.shards : 0;
    this.maxLines = shards ? Infinity : (options.maxLinesPerFile ?? MAX_LINES_PER_FILE);
    this.maxBytes = shards ? Infinity : (options.maxBytesPerFile ?? MAX_BYTES_PER_FILE);
    makeRunFolder(options.dir);
    if (fs.existsSync(path.join(options.dir, EXPORT_MANIFEST))) throw new Error(`${options.dir} already holds an export`);
    this.manifest = {
      exportId: options.exportId, runId: options.runId, createdAt: new Date().toISOString(), url: CHAT_COMPLETIONS_URL, shards: [], lines: 0, samples: 0, cached: 0, recorded: 0,
    };
  }

  add(item: WorkItem): void {
    const { done, cache, store } = this.options;
    let run: { sample: number; hash: string }[] = [];
    let body1: Buffer | undefined;
    let writer: ShardWriter | undefined;
    const emit = (): void => {
      if (!run.length) return;
      writer ??= this.writerFor(item.model.id);
      if (item.model.useN && run.length > 1) writer = this.line(writer, item, run[0].hash, Buffer.from(JSON.stringify(buildChatBody(item.model, item.messages, run.length))), run.length);
      else for (const s of run) writer = this.line(writer, item, s.hash, (body1 ??= Buffer.from(JSON.stringify(buildChatBody(item.model, item.messages, 1)))), 1);
      run = [];
    };
    for (const s of item.samples) {
      if (done.has(itemSampleKey(item, s.sample)) || this.exported.has(s.hash)) {
        emit();
        continue;
      }
      const hit = cache?.get(s.hash);
      if (hit && hit.text !== null && store) {
        store.append({ ...hit, condition: item.condition, personaId: item.personaId, variant: item.variant, sample: s.sample, cached: true, cost: 0, t: Date.now() });
        this.manifest.cached++;
        emit();
        continue;
      }
      if (item.model.kind === 'replay') {
        this.manifest.recorded++;
        continue;
      }
      // A range stays contiguous so choice i of the line is sample first+i.
      if (run.length && run[run.length - 1].sample !== s.sample - 1) emit();
      this.exported.add(s.hash);
      run.push(s);
    }
    emit();
  }

  /** Closes every file and writes the manifest (last, so an export with a manifest is complete). */
  finish(): BatchExportManifest {
    this.close();
    writeJsonAtomic(path.join(this.options.dir, EXPORT_MANIFEST), this.manifest);
    return this.manifest;
  }

  /** Closes the files without a manifest (an export that failed half-way is not one). */
  close(): void {
    if (this.finished) return;
    this.finished = true;
    for (const ws of this.writers.values()) for (const w of ws) w.close();
    this.writers.clear();
  }

  /** Writes one line to `w`, or to a new file of the model when `w` is at a limit; returns the file written. */
  private line(w: ShardWriter, item: WorkItem, hash: string, body: Buffer, n: number): ShardWriter {
    const head = `${LINE_HEAD}${JSON.stringify(hash)},"method":"POST","url":"${CHAT_COMPLETIONS_URL}","body":`;
    if (w.info.lines > 0 && (w.info.lines >= this.maxLines || w.info.bytes + Buffer.byteLength(head) + body.length + LINE_TAIL.length > this.maxBytes)) {
      w.close();
      const ws = this.writers.get(item.model.id)!;
      ws[ws.indexOf(w)] = w = this.open(item.model.id);
    }
    w.write(head, body, LINE_TAIL);
    w.info.samples += n;
    this.manifest.lines++;
    this.manifest.samples += n;
    return w;
  }

  /** The file an item goes to: the model's current one, or with `shards` the one with the fewest lines. */
  private writerFor(model: string): ShardWriter {
    let ws = this.writers.get(model);
    if (!ws) this.writers.set(model, (ws = []));
    const shards = this.options.shards ?? 0;
    if (shards > 0) {
      if (ws.length < shards) {
        const w = this.open(model);
        ws.push(w);
        return w;
      }
      return ws.reduce((a, b) => (b.info.lines < a.info.lines ? b : a));
    }
    if (!ws.length) ws.push(this.open(model));
    return ws[0];
  }

  private open(model: string): ShardWriter {
    const n = (this.fileCount.get(model) ?? 0) + 1;
    this.fileCount.set(model, n);
    const slug = model.replace(/[^A-Za-z0-9._-]+/g, '_');
    const info: ShardInfo = { file: `${slug}-${String(n).padStart(4, '0')}.jsonl`, model, lines: 0, samples: 0, bytes: 0 };
    this.manifest.shards.push(info);
    return new ShardWriter(info, path.join(this.options.dir, info.file));
  }
}

/** Exports every item (see BatchExporter). */
export function exportBatch(items: Iterable<WorkItem>, options: ExportBatchOptions): BatchExportManifest {
  const exporter = new BatchExporter(options);
  try {
    for (const item of items) exporter.add(item);
  } catch (e) {
    exporter.close();
    throw e;
  }
  return exporter.finish();
}
