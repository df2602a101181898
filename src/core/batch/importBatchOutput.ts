import * as path from 'node:path';
import type { ModelSpec, ResponseRecord } from '../experiment';
import type { RunStore } from '../run/RunStore';
import type { WorkItem } from '../run/WorkItem';
import type { BatchIndex, IndexedItem } from './BatchIndex';
import { readJsonLines } from './readJsonLines';

/** A line that is not a valid output line, located. */
export interface LocatedProblem {
  file: string;
  line: number;
  message: string;
  customId?: string;
}

export interface ImportReport {
  files: number;
  lines: number;
  /** Samples written to the run. */
  imported: number;
  /** Samples the run already held (an import repeated, overlapping shards). */
  duplicates: number;
  /** Requests the batch answered with an error (status ≠ 200 or an error object): ask again. */
  failed: LocatedProblem[];
  /** Lines that are not valid output lines (first 100; `errorCount` counts all). */
  errors: LocatedProblem[];
  errorCount: number;
  /** Last lines cut short (a partial download): skipped, their requests stay pending. */
  truncated: LocatedProblem[];
  /** Planned samples still without an answer after this import. */
  pending: number;
}

export interface ImportBatchOptions {
  index: BatchIndex;
  store: RunStore;
  /** Write-time parse, as the live engine does (createAnswerParser). */
  parse?: (text: string, item: Pick<WorkItem, 'condition' | 'options'>) => number | null;
  /** Files' names in messages relative to this folder. */
  baseDir?: string;
}

const MAX_ERRORS = 100;

/**
 * Imports OpenAI Batch / vLLM run_batch output (and error) files into a run: every line is checked (JSON, a
 * known custom_id, status, body shape); answered samples become the records a live run writes, plus
 * `via: "batch"`, and samples already in the run are skipped, so importing twice, in any order or from
 * overlapping shards adds nothing. Mark what the run already holds in `index` first (markDone).
 */
export function importBatchOutput(files: readonly string[], options: ImportBatchOptions): ImportReport {
  const { index, store, parse } = options;
  const report: ImportReport = { files: files.length, lines: 0, imported: 0, duplicates: 0, failed: [], errors: [], errorCount: 0, truncated: [], pending: 0 };
  const failedIds = new Map<string, LocatedProblem>();
  for (const file of files) {
    const name = options.baseDir ? path.relative(options.baseDir, file) : file;
    for (const { line, text, unterminated } of readJsonLines(file)) {
      report.lines++;
      const problem = (message: string, customId?: string): void => {
        report.errorCount++;
        if (report.errors.length < MAX_ERRORS) report.errors.push({ file: name, line, message, ...(customId ? { customId } : {}) });
      };
      let o: unknown;
      try {
        o = JSON.parse(text);
      } catch {
        if (unterminated) report.truncated.push({ file: name, line, message: 'last line cut short (partial file): skipped' });
        else problem('not valid JSON');
        continue;
      }
      if (!isObject(o)) {
        problem('a line must be a JSON object');
        continue;
      }
      const customId = o.custom_id;
      if (typeof customId !== 'string' || !customId) {
        problem('missing "custom_id"');
        continue;
      }
      const found = index.lookup(customId);
      if (!found) {
        problem(`unknown custom_id "${customId}" (not a request of this experiment: another experiment, or it changed since the export)`, customId);
        continue;
      }
      const response = o.response;
      const error = o.error;
      // OpenAI: null or {code, message}; vLLM run_batch: its ErrorResponse object, or the exception's text.
      if (error !== null && error !== undefined && !isObject(error) && typeof error !== 'string') {
        problem('"error" must be null, an object or a string', customId);
        continue;
      }
      if (response !== null && response !== undefined && !isObject(response)) {
        problem('"response" must be null or an object', customId);
        continue;
      }
      const status = isObject(response) ? response.status_code : undefined;
      if (error || !isObject(response) || status !== 200) {
        if (isObject(response) && typeof status !== 'number') {
          problem('"response.status_code" must be a number', customId);
          continue;
        }
        const message = errorMessage(error);
        const reason = isObject(response) ? `HTTP ${String(status)}${message ? `: ${message}` : bodyError(response.body)}` : (message ?? 'no response');
        if (!failedIds.has(customId)) failedIds.set(customId, { file: name, line, customId, message: reason });
        continue;
      }
      const body = response.body;
      const choices = isObject(body) ? body.choices : undefined;
      if (!Array.isArray(choices) || choices.length === 0) {
        problem('"response.body.choices" must be a non-empty list', customId);
        continue;
      }
      const texts: string[] = [];
      let bad = false;
      for (const c of choices) {
        const content = isObject(c) && isObject(c.message) ? c.message.content : undefined;
        if (typeof content !== 'string' && content !== null) bad = true;
        texts.push(typeof content === 'string' ? content : '');
      }
      if (bad) {
        problem('each choice needs "message.content" (a string)', customId);
        continue;
      }
      const usage = isObject(body) && isObject(body.usage) ? body.usage : {};
      const inTok = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
      const outTok = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
      const { item, position } = found;
      const got = Math.min(texts.length, item.sampleCount - position);
      const cost = priceOf(item.model, inTok, outTok);
      for (let i = 0; i < got; i++) {
        const s = index.sampleAt(item, position + i, i === 0 ? customId : undefined);
        if (!index.markDoneId(s.id)) {
          report.duplicates++;
          continue;
        }
        store.append(recordOf(item, s, texts[i], parse, inTok, outTok, cost, got));
        report.imported++;
        // Items with the identical prompt (the export sends it once) get the same answer, as from the cache (no cost).
        for (const twin of index.sharing(item, position + i)) store.append({ ...recordOf(twin.item, twin.sample, texts[i], parse, 0, 0, 0, got), cached: true });
      }
    }
  }
  for (const [id, p] of failedIds) if (!index.isDone(id)) report.failed.push(p);
  report.pending = index.pendingCount;
  return report;
}

/** The live engine's record (runRequests), field for field, with `via: "batch"` and no latency. */
function recordOf(item: IndexedItem, s: { sample: number; hash: string }, text: string, parse: ImportBatchOptions['parse'], inTok: number, outTok: number, cost: number, got: number): ResponseRecord {
  return {
    hash: s.hash, condition: item.condition, model: item.model.id, lang: item.lang, personaId: item.personaId, questionId: item.questionId,
    variant: item.variant, sample: s.sample, text, t: Date.now(),
    parsed: parse ? parse(text, item) : undefined,
    inputTokens: Math.round(inTok / got), outputTokens: Math.round(outTok / got), cost: cost / got, via: 'batch',
  };
}

/** Cost of a batch request: the model's prices less its `batchDiscount`. */
export function priceOf(model: ModelSpec, inTok: number, outTok: number): number {
  const full = (inTok / 1000) * (model.pricePer1kInput ?? 0) + (outTok / 1000) * (model.pricePer1kOutput ?? 0);
  return full * (1 - (model.batchDiscount ?? 0));
}

/** The message of an output line's `error`: OpenAI's {code, message}, vLLM's ErrorResponse ({error: {message}}, or flat in older versions), or vLLM's exception text. */
function errorMessage(error: unknown): string | undefined {
  if (typeof error === 'string') return error.trim().slice(0, 300) || undefined;
  if (!isObject(error)) return undefined;
  const e = isObject(error.error) ? error.error : error;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (typeof e.message !== 'string') return code;
  return `${code ? `${code}: ` : ''}${e.message.slice(0, 300)}`;
}

function bodyError(body: unknown): string {
  // OpenAI nests the error ({"error": {"message"}}); vLLM's run_batch puts it at the top ({"object": "error", "message"}).
  const e = isObject(body) && isObject(body.error) ? body.error : body;
  return isObject(e) && typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : '';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
