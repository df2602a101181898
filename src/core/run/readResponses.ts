import * as fs from 'node:fs';
import type { ResponseRecord } from '../experiment';

/** A record and where its line is in the file (for the cache, which re-reads single lines). */
export interface LocatedRecord {
  record: ResponseRecord;
  offset: number;
  length: number;
}

/**
 * Streams the records of a `responses.jsonl` without loading the file: 1 MiB at a time. A last line without
 * its newline (torn by a crash) and lines that are not valid records are skipped, never fatal.
 */
export function* readResponsesLocated(file: string): Generator<LocatedRecord> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let position = 0;
    let carryOffset = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const record = parseLine(data.toString('utf8', start, nl));
        if (record) yield { record, offset: carryOffset + start, length: nl - start };
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryOffset += start;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The records of a `responses.jsonl`, streamed (see readResponsesLocated). */
export function* readResponses(file: string): Generator<ResponseRecord> {
  for (const r of readResponsesLocated(file)) yield r.record;
}

function parseLine(line: string): ResponseRecord | undefined {
  if (line.length < 2) return undefined;
  try {
    const r = JSON.parse(line) as ResponseRecord;
    return r && typeof r.hash === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}
