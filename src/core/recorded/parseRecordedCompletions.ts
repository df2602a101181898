import { InputError, lineColumnAt } from '../errors';
import type { RecordedFileInfo } from './parseRecordedFileName';

/** One recorded record: a persona (values in the prompt language), a question variant, the sampled replies. */
export interface RecordedRecord {
  persona: Record<string, string | number>;
  questionId: string;
  variant: number;
  responses: string[];
  lang: string;
  country: string;
  anthro: boolean;
}

/** Offsets of the elements of a top-level JSON array (strings and nesting skipped), for error locations. */
export function topLevelElementOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next char
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 1 && expectElement) {
      out.push(i);
      expectElement = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) expectElement = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 1) expectElement = true;
  }
  return out;
}

/**
 * Parses one recorded-completions file of the paper (a JSON array of `{persona, question: {id, variant},
 * response: [replies]}`). Throws InputError naming the file, line, column and field of the first bad record.
 */
export function parseRecordedCompletions(text: string, file: string, info: RecordedFileInfo): RecordedRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file, ...lineColumnAt(text, at ? Number(at[1]) : 0) });
  }
  if (!Array.isArray(data)) throw new InputError('expected a JSON array of records', { file, line: 1, column: 1 });
  let offsets: number[] | null = null;
  const where = (i: number) => {
    offsets ??= topLevelElementOffsets(text);
    return { file, ...lineColumnAt(text, offsets[i] ?? 0) };
  };
  return data.map((rec: unknown, i): RecordedRecord => {
    const r = rec as { persona?: unknown; question?: { id?: unknown; variant?: unknown }; response?: unknown };
    if (typeof r !== 'object' || r === null) throw new InputError(`record ${i + 1} is not an object`, where(i));
    if (typeof r.persona !== 'object' || r.persona === null || Array.isArray(r.persona)) throw new InputError(`record ${i + 1} has no persona object`, where(i), 'persona');
    const q = r.question;
    if (typeof q !== 'object' || q === null) throw new InputError(`record ${i + 1} has no question object`, where(i), 'question');
    const id = typeof q.id === 'string' ? q.id : Array.isArray(q.id) ? `Q${q.id[0]}` : undefined;
    if (!id || !/^Q\d+$/.test(id)) throw new InputError(`record ${i + 1}: question.id must be like "Q19"`, where(i), 'question.id');
    if (!Number.isInteger(q.variant) || (q.variant as number) < 0) throw new InputError(`record ${i + 1}: question.variant must be a whole number ≥ 0`, where(i), 'question.variant');
    if (!Array.isArray(r.response) || !r.response.every((s) => typeof s === 'string')) throw new InputError(`record ${i + 1}: response must be a list of strings`, where(i), 'response');
    if (id !== info.questionId) throw new InputError(`record ${i + 1} answers ${id} but the file name says ${info.questionId}`, where(i), 'question.id');
    return { persona: r.persona as Record<string, string | number>, questionId: id, variant: q.variant as number, responses: r.response as string[], lang: info.lang, country: info.country, anthro: info.anthro };
  });
}
