import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord } from '../experiment';
import { readResponsesLocated } from './readRun';
import { RESPONSES_FILE } from './RunStore';

interface Location {
  file: string;
  offset: number;
  length: number;
}

/**
 * Answers of earlier runs, keyed by request hash, so a new run (e.g. with more samples or one more
 * condition) asks only for what was never answered. Holds locations, not records: a hit re-reads one line.
 */
export class ResponseCache {
  private readonly index = new Map<string, Location>();
  private readonly fds = new Map<string, number>();

  /** Indexes the successful records of every run under `runsDirs` except `excludeRunId`. */
  static scan(runsDirs: string | string[], excludeRunId?: string): ResponseCache {
    const cache = new ResponseCache();
    for (const runsDir of Array.isArray(runsDirs) ? runsDirs : [runsDirs]) {
      let runs: string[] = [];
      try {
        runs = fs.readdirSync(runsDir);
      } catch {
        continue;
      }
      for (const run of runs.sort()) {
        if (run === excludeRunId) continue;
        const file = path.join(runsDir, run, RESPONSES_FILE);
        for (const { record, offset, length } of readResponsesLocated(file)) {
          if (record.text !== null && !record.error) cache.index.set(record.hash, { file, offset, length });
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

  /** The earlier record for this hash, or undefined (also if its file changed under us). */
  get(hash: string): ResponseRecord | undefined {
    const loc = this.index.get(hash);
    if (!loc) return undefined;
    const buf = Buffer.alloc(loc.length);
    try {
      let fd = this.fds.get(loc.file);
      if (fd === undefined) this.fds.set(loc.file, (fd = fs.openSync(loc.file, 'r')));
      fs.readSync(fd, buf, 0, loc.length, loc.offset);
      const record = JSON.parse(buf.toString('utf8')) as ResponseRecord;
      return record.hash === hash ? record : undefined;
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
