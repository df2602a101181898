// The one reader of a run directory (`manifest.json` + `responses.jsonl`). Resume, the response cache, `score`,
// `export`, the results panel and the bench all read runs through this module, so they all see the same records.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, lineColumnAt } from '../errors';
import type { ResponseRecord, RunManifest } from '../experiment';
import { assertRunDir, openRunFile, readRunFile } from './runFiles';
import { validateRunManifest } from './validateRunManifest';

export const RUN_MANIFEST_FILE = 'manifest.json';
export const RUN_RESPONSES_FILE = 'responses.jsonl';

/** A valid record and where its line is in the file (the cache and the drill-down re-read single lines). */
export interface LocatedRecord {
  record: ResponseRecord;
  /** Byte offset and length of the line (without its newline). */
  offset: number;
  length: number;
  /** 1-based line number. */
  line: number;
}

/** A line of `responses.jsonl` that is not a valid record (not the torn last line): kept out of scoring and reported. */
export interface QuarantinedLine {
  line: number;
  reason: string;
  field?: string;
}

/** What reading `responses.jsonl` found besides the records: nothing is ever skipped without being counted. */
export interface ReadReport {
  file: string;
  /** Records of a sample seen again (e.g. after a resume): the first answer wins (sampleKey). */
  duplicates: number;
  /** A last line cut short by a crash (no newline, not valid JSON) was ignored. */
  tornLastLine: boolean;
  quarantined: QuarantinedLine[];
}

export interface RunRead extends ReadReport {
  dir: string;
  manifest: RunManifest;
  /** Valid records in file order, duplicates dropped. */
  records: LocatedRecord[];
}

export interface ReadRunOptions {
  /** Make any quarantined line an InputError naming file, line and field (the first bad line). */
  strict?: boolean;
}

const REQUIRED: (keyof ResponseRecord)[] = ['condition', 'personaId', 'questionId', 'variant', 'sample'];
const STRINGS: (keyof ResponseRecord)[] = ['condition', 'personaId', 'questionId', 'hash', 'model', 'lang', 'error', 'cachedFrom', 'via'];
const NUMBERS: (keyof ResponseRecord)[] = ['t', 'latencyMs', 'inputTokens', 'outputTokens', 'cost'];

/** Why a parsed JSON value is not a response record (and which field), or undefined when it is one. */
function invalid(r: unknown): { reason: string; field?: string } | undefined {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return { reason: 'not a JSON object' };
  const o = r as Record<string, unknown>;
  for (const f of REQUIRED) if (o[f] === undefined || o[f] === null) return { reason: `record has no "${f}"`, field: f };
  if (typeof o.variant !== 'number' || typeof o.sample !== 'number') return { reason: '"variant" and "sample" must be numbers', field: typeof o.variant !== 'number' ? 'variant' : 'sample' };
  if (!Number.isInteger(o.variant) || !Number.isInteger(o.sample) || (o.variant as number) < 0 || (o.sample as number) < 0) return { reason: '"variant" and "sample" must be whole numbers ≥ 0', field: Number.isInteger(o.variant) && (o.variant as number) >= 0 ? 'sample' : 'variant' };
  if (typeof o.text !== 'string' && o.text !== null) return { reason: '"text" must be a string or null', field: 'text' };
  for (const f of STRINGS) if (o[f] !== undefined && typeof o[f] !== 'string') return { reason: `"${f}" must be a string`, field: f };
  for (const f of NUMBERS) if (o[f] !== undefined && (typeof o[f] !== 'number' || !Number.isFinite(o[f]))) return { reason: `"${f}" must be a number`, field: f };
  if (o.parsed !== undefined && o.parsed !== null && typeof o.parsed !== 'number') return { reason: '"parsed" must be a number or null', field: 'parsed' };
  if (o.cached !== undefined && typeof o.cached !== 'boolean') return { reason: '"cached" must be true or false', field: 'cached' };
  return undefined;
}

type ScanItem = { kind: 'record'; located: LocatedRecord } | { kind: 'bad'; line: number; reason: string; field?: string } | { kind: 'torn'; line: number };

/**
 * Streams the lines of a `responses.jsonl` 1 MiB at a time (never the whole file in memory), classifying each:
 * a valid record, a torn last line (no newline and not valid JSON: the writer crashed mid-line), or a bad line.
 * Blank lines are skipped. A missing file yields nothing.
 */
function* scan(file: string): Generator<ScanItem> {
  let fd: number;
  try {
    fd = openRunFile(file, fs.constants.O_RDONLY);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let carryOffset = 0;
    let position = 0;
    let line = 0;
    const classify = (text: string, offset: number, length: number, last: boolean): ScanItem | undefined => {
      line++;
      if (text.trim() === '') return undefined;
      let r: unknown;
      try {
        r = JSON.parse(text);
      } catch (e) {
        if (last) return { kind: 'torn', line };
        return { kind: 'bad', line, reason: `invalid JSON: ${(e as Error).message}` };
      }
      const why = invalid(r);
      if (why) return { kind: 'bad', line, ...why };
      return { kind: 'record', located: { record: r as ResponseRecord, offset, length, line } };
    };
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      // Decode line by line at newline bytes, so a multi-byte character is never split.
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const item = classify(data.toString('utf8', start, nl), carryOffset + start, nl - start, false);
        if (item) yield item;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryOffset += start;
    }
    if (carry.length) {
      const item = classify(carry.toString('utf8'), carryOffset, carry.length, true);
      if (item) yield item;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The valid records of a `responses.jsonl`, streamed, with their location; duplicates are NOT dropped here
 * (the cache and resume only need hashes). Records without a hash, bad and torn lines are left out; use `readResponsesFile` to see them.
 */
export function* readResponsesLocated(file: string): Generator<LocatedRecord> {
  for (const item of scan(file)) if (item.kind === 'record' && typeof item.located.record.hash === 'string') yield item.located;
}

/** The samples (sampleKey) a `responses.jsonl` holds an answer for (failed records are asked again): what resume skips. */
export function answeredSamples(file: string): Set<string> {
  const done = new Set<string>();
  for (const r of readResponses(file)) if (r.text !== null) done.add(sampleKey(r));
  return done;
}

/** The valid records of a `responses.jsonl`, streamed (see readResponsesLocated). */
export function* readResponses(file: string): Generator<ResponseRecord> {
  for (const item of scan(file)) if (item.kind === 'record' && typeof item.located.record.hash === 'string') yield item.located.record;
}

/**
 * The identity of one planned sample: condition, persona, question, variant and sample index. Two items may share a
 * request hash (identical prompts, e.g. two paraphrase variants that are word for word the same, or two respondents
 * with the same demographics) and are still two samples; the same sample written twice (a resume) is one.
 */
export const sampleKey = (r: { condition: string; personaId: string; questionId: string; variant: number; sample: number }): string =>
  `${r.condition}\u0000${r.personaId}\u0000${r.questionId}\u0000${r.variant}\u0000${r.sample}`;

/** sampleKey of a work item's sample. */
export const itemSampleKey = (item: { condition: string; personaId: string; questionId: string; variant: number }, sample: number): string =>
  `${item.condition}\u0000${item.personaId}\u0000${item.questionId}\u0000${item.variant}\u0000${sample}`;

/**
 * Reads every record of a `responses.jsonl`: duplicates (the same sample recorded again, see sampleKey) dropped, the
 * first answer wins (a failed record is replaced by a later answer of the same sample, e.g. a retry on resume); a torn
 * last line ignored; any other unreadable line quarantined (listed with its line, reported by every view), or an
 * InputError naming file, line and field with `strict`.
 */
export function readResponsesFile(file: string, options: ReadRunOptions = {}): ReadReport & { records: LocatedRecord[] } {
  const records: LocatedRecord[] = [];
  const quarantined: QuarantinedLine[] = [];
  // sample → index in records, for the first answered record (or the failed one an answer may still replace)
  const seen = new Map<string, number>();
  let duplicates = 0;
  let tornLastLine = false;
  for (const item of scan(file)) {
    if (item.kind === 'torn') tornLastLine = true;
    else if (item.kind === 'bad') {
      if (options.strict) throw new InputError(item.reason, { file, line: item.line, column: 1 }, item.field);
      quarantined.push({ line: item.line, reason: item.reason, ...(item.field ? { field: item.field } : {}) });
    } else {
      const k = sampleKey(item.located.record);
      const at = seen.get(k);
      if (at !== undefined) {
        duplicates++;
        if (records[at]!.record.text === null && item.located.record.text !== null) records[at] = item.located;
        continue;
      }
      seen.set(k, records.length);
      records.push(item.located);
    }
  }
  return { file, records, duplicates, tornLastLine, quarantined };
}

/** Reads and checks `<dir>/manifest.json`; InputError naming the file (and line/column for bad JSON). */
export function readRunManifest(dir: string): RunManifest {
  const file = path.join(dir, RUN_MANIFEST_FILE);
  let text: string;
  try {
    assertRunDir(dir);
    text = readRunFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError(missing ? `not a run directory: ${file} is missing` : `cannot read the run manifest: ${(e as Error).message}`, { file, line: 1, column: 1 });
  }
  let m: RunManifest;
  try {
    m = JSON.parse(text) as RunManifest;
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file, ...lineColumnAt(text, at ? Number(at[1]) : 0) });
  }
  if (!m || typeof m !== 'object' || !m.experiment || !Array.isArray(m.experiment.conditions)) {
    throw new InputError('not a run manifest (no "experiment" with "conditions")', { file, line: 1, column: 1 }, 'experiment.conditions');
  }
  return validateRunManifest(m, text, file);
}

/** Reads a run directory: its manifest and its records (see readResponsesFile). */
export function readRun(dir: string, options: ReadRunOptions = {}): RunRead {
  const manifest = readRunManifest(dir);
  return { dir, manifest, ...readResponsesFile(path.join(dir, RUN_RESPONSES_FILE), options) };
}

/** Human-readable lines about what reading skipped (empty when nothing was): for the CLI and the panel. */
export function describeReadReport(r: ReadReport, maxLines = 10): string[] {
  const out: string[] = [];
  if (r.quarantined.length) {
    out.push(`quarantined ${r.quarantined.length} unreadable line${r.quarantined.length === 1 ? '' : 's'} of ${r.file} (not scored; --strict makes this an error):`);
    for (const q of r.quarantined.slice(0, maxLines)) out.push(`  ${r.file}:${q.line}: ${q.reason}${q.field ? ` (field "${q.field}")` : ''}`);
    if (r.quarantined.length > maxLines) out.push(`  … and ${r.quarantined.length - maxLines} more`);
  }
  if (r.tornLastLine) out.push(`ignored a torn last line in ${r.file} (the run was interrupted)`);
  if (r.duplicates) out.push(`dropped ${r.duplicates} duplicate record${r.duplicates === 1 ? '' : 's'} (same sample recorded again; the first answer wins)`);
  return out;
}
