import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ModelSpec } from '../experiment';
import { indexRecordedCompletions, type RecordedIndex } from '../recorded/indexRecordedCompletions';
import { parseRecordedCompletions, type RecordedRecord } from '../recorded/parseRecordedCompletions';
import { parseRecordedFileName } from '../recorded/parseRecordedFileName';
import { RequestError } from './RequestError';
import type { Completer, CompletionRequest, CompletionResult } from './WorkItem';

/** Which recorded files a run needs (the others are not read). */
export interface ReplayScope {
  langs: ReadonlySet<string>;
  questions: ReadonlySet<string>;
}

// Parsed files, kept across runs of one process (a quick persona run after a full run reads nothing again).
const fileCache = new Map<string, { mtimeMs: number; records: RecordedRecord[] }>();
const MAX_CACHED_FILES = 256;

async function readRecorded(file: string): Promise<RecordedRecord[]> {
  const { mtimeMs } = await stat(file);
  const hit = fileCache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.records;
  const records = parseRecordedCompletions(await readFile(file, 'utf8'), file, parseRecordedFileName(file)!);
  fileCache.set(file, { mtimeMs, records });
  if (fileCache.size > MAX_CACHED_FILES) fileCache.delete(fileCache.keys().next().value as string);
  return records;
}

async function loadIndex(dir: string, scope?: ReplayScope): Promise<RecordedIndex> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => ({ file: path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), info: parseRecordedFileName(e.name) }))
    .filter((f) => f.info && (!scope || (scope.langs.has(f.info.lang) && scope.questions.has(f.info.questionId))))
    .sort((a, b) => a.file.localeCompare(b.file));
  if (files.length === 0) throw new RequestError(`no recorded completions (preds_q=…json) under ${dir}${scope ? ` for ${[...scope.questions].join(', ')} in ${[...scope.langs].join(', ')}` : ''}`, false, undefined, undefined, true);
  const all: RecordedRecord[][] = [];
  for (const f of files) all.push(await readRecorded(f.file));
  return indexRecordedCompletions(all.flat());
}

/**
 * The replay model: answers from recorded completions in the paper's format (`preds_q=…_lang=…json`), looked up
 * by (prompt language, persona values, question, variant); sample i is the i-th recorded reply. Offline, free,
 * deterministic, and labelled `recorded` in every view. Only the files of `scope` are read. An item that was
 * never recorded fails (not retried).
 */
export function createReplayCompleter(model: ModelSpec, completionsDir: string, scope?: ReplayScope): Completer {
  let index: Promise<RecordedIndex> | undefined;
  const load = (): Promise<RecordedIndex> => (index ??= loadIndex(completionsDir, scope));

  async function complete(req: CompletionRequest): Promise<CompletionResult> {
    const { item } = req;
    let recorded: RecordedIndex;
    try {
      recorded = await load();
    } catch (e) {
      if (e instanceof RequestError) throw new RequestError(`replay model "${model.id}": ${e.message}`, false, undefined, undefined, true);
      throw new RequestError(`replay model "${model.id}": ${e instanceof Error ? e.message : String(e)}`, false, undefined, undefined, true);
    }
    const replies = item.personaValues ? recorded.get(item.lang, item.personaValues, item.questionId, item.variant) : undefined;
    if (!replies) throw new RequestError(`no recorded answer for ${item.personaId} ${item.questionId} variant ${item.variant} (${item.lang})`, false);
    const texts: string[] = [];
    for (const s of req.sampleIndices) {
      if (s >= replies.length) break;
      texts.push(replies[s]);
    }
    if (texts.length < req.sampleIndices.length) throw new RequestError(`only ${replies.length} recorded samples for ${item.personaId} ${item.questionId} variant ${item.variant} (${item.lang})`, false);
    return { texts };
  }
  return { complete, recorded: true };
}
