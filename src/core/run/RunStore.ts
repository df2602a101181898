import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import type { ResponseRecord, RunManifest } from '../experiment';
import { answeredSamples } from './readRun';
import { assertRunDir, openRunFile, readRunFile, writeJsonAtomic, writeRunFile } from './runFiles';

export const MANIFEST_FILE = 'manifest.json';
export const RESPONSES_FILE = 'responses.jsonl';
/** Holds the pid of the process writing the run, so two processes never append to one run. */
export const LOCK_FILE = 'run.lock';

export interface RunStoreOptions {
  /** Flush when this many records are buffered. */
  batchSize?: number;
  /** Flush at most this long after the first buffered record, in ms. */
  flushIntervalMs?: number;
}

/**
 * One run on disk: `<runsDir>/<runId>/manifest.json` + append-only `responses.jsonl`. Records are buffered and
 * appended in batches, each batch one write + fsync, so a crash loses at most the last unflushed batch (those
 * requests are simply asked again on resume) and never leaves a completed record half-written except the very
 * last line, which `open` detects and cuts off. Batches are fsync'd in the background, and synchronously on close.
 */
export class RunStore {
  private buffer: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fd: number | undefined;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private syncing = false;
  /** Records appended by this process (flushed or not). */
  appended = 0;

  private constructor(
    readonly dir: string,
    public manifest: RunManifest,
    options: RunStoreOptions,
  ) {
    this.batchSize = options.batchSize ?? 256;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    // Never through a link (a cloned repository may ship run files that point elsewhere): see runFiles.ts.
    writeRunFile(path.join(dir, LOCK_FILE), String(process.pid));
    this.fd = openRunFile(path.join(dir, RESPONSES_FILE), fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o644);
  }

  get responsesFile(): string {
    return path.join(this.dir, RESPONSES_FILE);
  }

  /** Starts a new run directory (fails if it exists). */
  static create(runsDir: string, manifest: RunManifest, options: RunStoreOptions = {}): RunStore {
    const dir = path.join(runsDir, manifest.runId);
    fs.mkdirSync(runsDir, { recursive: true });
    fs.mkdirSync(dir); // throws EEXIST rather than mixing two runs
    writeJsonAtomic(path.join(dir, MANIFEST_FILE), manifest);
    fs.closeSync(openRunFile(path.join(dir, RESPONSES_FILE), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644));
    return new RunStore(dir, manifest, options);
  }

  /**
   * Reopens an existing run for appending (resume). A torn last line (the process died mid-write) is cut off
   * so new records start on a fresh line; it never held a completed record.
   */
  static open(dir: string, options: RunStoreOptions = {}): RunStore {
    assertRunDir(dir);
    if (isRunLocked(dir)) throw new Error(`run ${path.basename(dir)} is being written by another process`);
    const manifest = readManifest(dir);
    repairTornTail(path.join(dir, RESPONSES_FILE));
    return new RunStore(dir, manifest, options);
  }

  /** The samples (sampleKey) this run already answered successfully (failed ones are asked again). */
  completedSamples(): Set<string> {
    return answeredSamples(this.responsesFile);
  }

  append(record: ResponseRecord): void {
    if (this.fd === undefined) throw new Error(`run ${this.manifest.runId} is closed`);
    this.buffer.push(`${JSON.stringify(record)}\n`);
    this.appended++;
    if (this.buffer.length >= this.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  /**
   * Appends the buffered records as one write (in order, synchronously: the kernel has them once this returns,
   * so a killed process loses nothing written) and fsyncs in the background (an fsync takes milliseconds of wall
   * time; done synchronously it would stall every request in flight). `close` fsyncs synchronously.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0 || this.fd === undefined) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    fs.writeSync(this.fd, chunk);
    if (!this.syncing) {
      this.syncing = true;
      fs.fdatasync(this.fd, () => {
        this.syncing = false;
      });
    }
  }

  updateManifest(patch: Partial<RunManifest>): void {
    this.manifest = { ...this.manifest, ...patch };
    writeJsonAtomic(path.join(this.dir, MANIFEST_FILE), this.manifest);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      fs.rmSync(path.join(this.dir, LOCK_FILE), { force: true });
    }
    this.fd = undefined;
  }
}

/** True while another live process holds the run (a lock left by a crashed process is stale). A lock that is a link: InputError. */
export function isRunLocked(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readRunFile(path.join(dir, LOCK_FILE)));
  } catch (e) {
    if (e instanceof InputError) throw e;
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readManifest(dir: string): RunManifest {
  assertRunDir(dir);
  return JSON.parse(readRunFile(path.join(dir, MANIFEST_FILE))) as RunManifest;
}

/** The runs under `runsDir` with a readable manifest and no live writer (unreadable ones are skipped). */
export function listIdleRuns(runsDir: string): Array<{ id: string; dir: string; manifest: RunManifest }> {
  let ids: string[];
  try {
    ids = fs.readdirSync(runsDir);
  } catch {
    return [];
  }
  const runs: Array<{ id: string; dir: string; manifest: RunManifest }> = [];
  for (const id of ids) {
    const dir = path.join(runsDir, id);
    try {
      if (!fs.lstatSync(dir).isDirectory()) continue; // links to folders elsewhere are not runs of this workspace
      if (!isRunLocked(dir)) runs.push({ id, dir, manifest: readManifest(dir) });
    } catch {
      // not a run (or a manifest being written for the first time)
    }
  }
  return runs;
}

/** Cuts the file back to its last newline; returns the number of bytes removed. */
export function repairTornTail(file: string): number {
  const fd = openRunFile(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return 0;
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = fs.readSync(fd, chunk, 0, end - start, start);
      const nl = chunk.subarray(0, n).lastIndexOf(10);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep < size) fs.ftruncateSync(fd, keep);
        return size - keep;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return size;
  } finally {
    fs.closeSync(fd);
  }
}
