import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord } from '../experiment';
import { readResponsesLocated, readRunManifest } from './readRun';
import { openRunFile } from './runFiles';
import { RESPONSES_FILE } from './RunStore';

interface Location {
  file: string;
  offset: number;
  length: number;
  /** The run the record was read from. */
  runId: string;
}

/**
 * Answers of earlier runs, keyed by request hash, so a new run (e.g. with more samples or one more
 * condition) asks only for what was never answered. Holds locations, not records: a hit re-reads one line.
 * Only runs with a valid manifest (whose run id is their folder's name) feed it: a `responses.jsonl` dropped
 * into the runs folder on its own (a forged one in a cloned repository) is not a run and answers nothing.
 */
export class ResponseCache {
  private readonly index = new Map<string, Location>();
  private readonly fds = new Map<string, number>();

  /** An empty cache (`--no-cache`, the "Run without cache" option). */
  static empty(): ResponseCache {
    return new ResponseCache();
  }

  /** Indexes the successful records of every run under `runsDirs` except `excludeRunId`. */
  static scan(runsDirs: string | string[], excludeRunId?: string): ResponseCache {
    const cache = new ResponseCache();
    for (const runsDir of Array.isArray(runsDirs) ? runsDirs : [runsDirs]) {
      let runs: fs.Dirent[] = [];
      try {
        runs = fs.readdirSync(runsDir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const run of runs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (run.name === excludeRunId || !run.isDirectory()) continue; // a link to a folder elsewhere is not a run here
        const dir = path.join(runsDir, run.name);
        try {
          if (readRunManifest(dir).runId !== run.name) continue;
          const file = path.join(dir, RESPONSES_FILE);
          for (const { record, offset, length } of readResponsesLocated(file)) {
            if (record.text !== null && !record.error) cache.index.set(record.hash, { file, offset, length, runId: run.name });
          }
        } catch {
          // no valid manifest, or a run file that is a link: not a source of answers
        }
      }
    }
    return cache;
  }

  get size(): number {
    return this.index.size;
  }

  has(hash: string): boolean {
    return this.index.has(hash);
  }

  /** The earlier record for this hash with the run it came from, or undefined (also if its file changed under us). */
  get(hash: string): ResponseRecord | undefined {
    const loc = this.index.get(hash);
    if (!loc) return undefined;
    const buf = Buffer.alloc(loc.length);
    try {
      let fd = this.fds.get(loc.file);
      if (fd === undefined) this.fds.set(loc.file, (fd = openRunFile(loc.file, fs.constants.O_RDONLY)));
      fs.readSync(fd, buf, 0, loc.length, loc.offset);
      const record = JSON.parse(buf.toString('utf8')) as ResponseRecord;
      if (record.hash !== hash || typeof record.text !== 'string') return undefined;
      return { ...record, cachedFrom: typeof record.cachedFrom === 'string' ? record.cachedFrom : loc.runId };
    } catch {
      return undefined;
    }
  }

  /** Closes the files hits were read from. */
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
