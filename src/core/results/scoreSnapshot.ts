import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunFile, writeRunFile } from '../run/runFiles';
import type { ScoringSettings } from '../score/types';
import type { ResultsInput, ScoredItem } from './types';

// A run's scored results, kept beside its responses (`.alignment/runs/<id>/score.snapshot.json`) so opening the
// results does not read and rescore every response again. Only a cache: keyed by everything the numbers depend on,
// ignored (and rewritten) when anything differs or the file is malformed; the numbers are those scoring produced.

export const SNAPSHOT_FILE = 'score.snapshot.json';
const FORMAT = 'alignment-studio/score-snapshot';
/** Bump when scoring or the view input change what a run's numbers are: every older snapshot is then ignored. */
const VERSION = 2;
/** Integers per item: condition, persona, question, variant, soft, hard, rSoft, rHard (indices into `numbers`), model and survey answer. */
const STRIDE = 10;

/** What a snapshot's numbers depend on: the scoring settings and headline pair, and the files they come from. */
export interface SnapshotKey {
  settings: string;
  pair: [string, string] | null;
  /** `size:mtimeMs` of the manifest, responses.jsonl, the survey and the personas files. */
  files: Record<string, string>;
}

/** Size and modification time of a file ('-' when absent): new records change both. */
function stamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** The key of a run's snapshot for these settings and pair. */
export function snapshotKey(runDir: string, surveyFile: string, personasFile: string, settings: ScoringSettings, pair: [string, string] | null): SnapshotKey {
  return {
    settings: JSON.stringify(settings),
    pair,
    files: {
      manifest: stamp(path.join(runDir, 'manifest.json')),
      responses: stamp(path.join(runDir, 'responses.jsonl')),
      survey: stamp(surveyFile),
      personas: stamp(personasFile),
    },
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameKey = (a: SnapshotKey, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// JSON has no NaN or ±Infinity (scores of empty groups are NaN): kept as { "$number": "NaN" } and restored.
const keepNonFinite = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v);
const restoreNonFinite = (_key: string, v: unknown): unknown => {
  if (isObj(v) && typeof v.$number === 'string' && Object.keys(v).length === 1) {
    const x = Number(v.$number);
    return Number.isNaN(x) || !Number.isFinite(x) ? x : v;
  }
  return v;
};

/** The scored items as columns of small integers (strings and numbers by table index): compact and fast to read. */
function encodeItems(items: readonly ScoredItem[]): { count: number; strings: string[][]; numbers: number[]; columns: string } | undefined {
  const tables = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const numbers = new Map<number, number>();
  const str = (t: number, s: string) => {
    const m = tables[t]!;
    let i = m.get(s);
    if (i === undefined) m.set(s, (i = m.size));
    return i;
  };
  let finite = true;
  const num = (x: number) => {
    if (!Number.isFinite(x)) finite = false;
    let i = numbers.get(x);
    if (i === undefined) numbers.set(x, (i = numbers.size));
    return i;
  };
  const cols = new Int32Array(items.length * STRIDE);
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    // Only the shape scoring produces is encoded; anything else is not snapshotted.
    if (Object.keys(it).length !== 10 || typeof it.soft !== 'number' || typeof it.hard !== 'number' || typeof it.rSoft !== 'number' || typeof it.rHard !== 'number'
      || typeof it.surveyAnswer !== 'number' || !(it.modelAnswer === null || typeof it.modelAnswer === 'number') || !Number.isInteger(it.variant)) return undefined;
    const o = k * STRIDE;
    cols[o] = str(0, it.condition);
    cols[o + 1] = str(1, it.personaId);
    cols[o + 2] = str(2, it.questionId);
    cols[o + 3] = it.variant;
    cols[o + 4] = num(it.soft);
    cols[o + 5] = num(it.hard);
    cols[o + 6] = num(it.rSoft);
    cols[o + 7] = num(it.rHard);
    cols[o + 8] = it.modelAnswer === null ? -1 : it.modelAnswer;
    cols[o + 9] = it.surveyAnswer;
  }
  if (!finite) return undefined;
  return { count: items.length, strings: tables.map((m) => [...m.keys()]), numbers: [...numbers.keys()], columns: Buffer.from(cols.buffer, cols.byteOffset, cols.byteLength).toString('base64') };
}

function decodeItems(v: unknown): ScoredItem[] | undefined {
  if (!isObj(v)) return undefined;
  const { count, strings, numbers, columns } = v;
  if (!Number.isInteger(count) || (count as number) < 0 || typeof columns !== 'string') return undefined;
  if (!Array.isArray(strings) || strings.length !== 3 || !strings.every((t) => Array.isArray(t) && t.every((s) => typeof s === 'string'))) return undefined;
  if (!Array.isArray(numbers) || !numbers.every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  const buf = Buffer.from(columns, 'base64');
  const n = count as number;
  if (buf.byteLength !== n * STRIDE * 4) return undefined;
  const cols = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const [conds, personas, questions] = strings as string[][];
  const nums = numbers as number[];
  const items = new Array<ScoredItem>(n);
  for (let k = 0; k < n; k++) {
    const o = k * STRIDE;
    const c = conds![cols[o]!];
    const p = personas![cols[o + 1]!];
    const q = questions![cols[o + 2]!];
    const soft = nums[cols[o + 4]!];
    const hard = nums[cols[o + 5]!];
    const rSoft = nums[cols[o + 6]!];
    const rHard = nums[cols[o + 7]!];
    const variant = cols[o + 3]!;
    const m = cols[o + 8]!;
    const s = cols[o + 9]!;
    if (c === undefined || p === undefined || q === undefined || soft === undefined || hard === undefined || rSoft === undefined || rHard === undefined || variant < 0 || m < -1 || s < 1) return undefined;
    items[k] = { condition: c, personaId: p, questionId: q, variant, soft, hard, rSoft, rHard, modelAnswer: m === -1 ? null : m, surveyAnswer: s };
  }
  return items;
}

/** The rest of the view input must have its shape; the numbers inside are scoring's own. */
function validInput(v: unknown): v is Omit<ResultsInput, 'items'> {
  if (!isObj(v)) return false;
  return typeof v.runId === 'string' && typeof v.experimentName === 'string' && typeof v.createdAt === 'string' && typeof v.recorded === 'boolean'
    && Array.isArray(v.conditions) && v.conditions.every(isObj) && Array.isArray(v.personas) && v.personas.every(isObj) && Array.isArray(v.questions) && v.questions.every(isObj)
    && (v.coverage === undefined || isObj(v.coverage)) && (v.read === undefined || (isObj(v.read) && Array.isArray(v.read.quarantined)))
    && isObj(v.stats) && Array.isArray(v.stats.conditions) && Array.isArray(v.stats.groups) && Array.isArray(v.stats.deltas) && isObj(v.stats.settings);
}

/** A run's snapshot, when it exists, is well-formed and has this key; else undefined (score the responses). */
export function readScoreSnapshot(runDir: string, key: SnapshotKey): { input: ResultsInput; records: number } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readRunFile(path.join(runDir, SNAPSHOT_FILE)), restoreNonFinite); // never through a link (docs/security.md)
  } catch {
    return undefined;
  }
  if (!isObj(raw) || raw.format !== FORMAT || raw.version !== VERSION || !sameKey(key, raw.key) || !Number.isInteger(raw.records)) return undefined;
  if (!validInput(raw.input)) return undefined;
  const items = decodeItems(raw.items);
  if (!items) return undefined;
  return { input: { ...(raw.input as Omit<ResultsInput, 'items'>), items } as ResultsInput, records: raw.records as number };
}

/**
 * Writes a run's snapshot (atomically: a temporary file renamed over it). Best effort: a read-only run folder,
 * or items of another shape, simply leave no snapshot.
 */
export function writeScoreSnapshot(runDir: string, key: SnapshotKey, input: ResultsInput, records: number): boolean {
  const items = encodeItems(input.items);
  if (!items) return false;
  const { items: _items, ...rest } = input;
  const file = path.join(runDir, SNAPSHOT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.rmSync(tmp, { force: true }); // a planted link at the temp name: rm removes the link, not its target
    writeRunFile(tmp, JSON.stringify({ format: FORMAT, version: VERSION, key, records, input: rest, items }, keepNonFinite));
    fs.renameSync(tmp, file); // replaces a link at `file` itself, never the file it points to
    return true;
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
    return false;
  }
}
