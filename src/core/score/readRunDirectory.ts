import { openSync, readFileSync, readSync, closeSync, existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, lineColumnAt } from '../errors';
import type { ResponseRecord, RunManifest } from '../experiment';

export interface RunDirectory {
  dir: string;
  manifest: RunManifest;
  /** Records in file order, duplicates (same request hash, e.g. after a resume) dropped: the first one wins. */
  responses: ResponseRecord[];
  /** A last line cut short by a crash (no newline, not valid JSON) was ignored. */
  tornLastLine: boolean;
  duplicates: number;
}

const REQUIRED: (keyof ResponseRecord)[] = ['condition', 'personaId', 'questionId', 'variant', 'sample'];

/** Reads and checks `manifest.json`; InputError naming the file (and line/column for bad JSON). */
export function readRunManifest(dir: string): RunManifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new InputError(`not a run directory: ${file} is missing`, { file, line: 1, column: 1 });
  const text = readFileSync(file, 'utf8');
  let m: RunManifest;
  try {
    m = JSON.parse(text) as RunManifest;
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file, ...lineColumnAt(text, at ? Number(at[1]) : 0) });
  }
  if (!m || typeof m !== 'object' || !m.experiment || !Array.isArray(m.experiment.conditions)) {
    throw new InputError('the manifest has no experiment with conditions', { file, line: 1, column: 1 }, 'experiment.conditions');
  }
  return m;
}

/**
 * Reads a run directory (`manifest.json` + `responses.jsonl`), streaming the JSONL in 1 MiB chunks.
 * A torn last line (the run crashed mid-write) is ignored and reported; any other line that is not a valid
 * record is an InputError naming the file, line and field, because dropping it would change the scores silently.
 */
export function readRunDirectory(dir: string): RunDirectory {
  const manifest = readRunManifest(dir);
  const file = path.join(dir, 'responses.jsonl');
  const responses: ResponseRecord[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let tornLastLine = false;
  if (!existsSync(file)) return { dir, manifest, responses, tornLastLine, duplicates };
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let line = 0;
    const take = (text: string, last: boolean) => {
      line++;
      if (text.trim() === '') return;
      let r: ResponseRecord;
      try {
        r = JSON.parse(text) as ResponseRecord;
      } catch (e) {
        if (last) {
          tornLastLine = true;
          return;
        }
        throw new InputError(`invalid JSON record: ${(e as Error).message}`, { file, line, column: 1 });
      }
      for (const f of REQUIRED) {
        if (r[f] === undefined || r[f] === null) throw new InputError(`record has no "${f}"`, { file, line, column: 1 }, f);
      }
      if (typeof r.text !== 'string' && r.text !== null) throw new InputError('"text" must be a string or null', { file, line, column: 1 }, 'text');
      if (r.hash) {
        if (seen.has(r.hash)) {
          duplicates++;
          return;
        }
        seen.add(r.hash);
      }
      responses.push(r);
    };
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      // Decode only up to the last newline so a multi-byte character is never split.
      const nl = data.lastIndexOf(10);
      if (nl < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const lines = data.toString('utf8', 0, nl).split('\n');
      carry = Buffer.from(data.subarray(nl + 1));
      for (const l of lines) take(l, false);
    }
    if (carry.length) take(carry.toString('utf8'), true);
  } finally {
    closeSync(fd);
  }
  return { dir, manifest, responses, tornLastLine, duplicates };
}
