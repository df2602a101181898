import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { ModelSpec } from '../experiment';
import { RequestError } from '../run/RequestError';
import type { Completer, CompletionRequest, CompletionResult } from '../run/WorkItem';

/**
 * One line of a recorded culture answers file (`*.answers.jsonl`): the replies a model gave to one question asked
 * as a member of one culture; `variant` 0 (the seed) when absent, `lang` (of the template) any when absent.
 */
export interface RecordedCultureAnswers {
  culture: string;
  question: string;
  variant?: number;
  lang?: string;
  replies: string[];
}

/** Reads every `*.jsonl` of a file or folder into a lookup `culture|question|variant` → records (located errors). */
export function loadRecordedCultureAnswers(target: string): Map<string, RecordedCultureAnswers[]> {
  const files = statSync(target).isDirectory()
    ? readdirSync(target).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(target, f))
    : [target];
  const index = new Map<string, RecordedCultureAnswers[]>();
  for (const file of files) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let r: RecordedCultureAnswers;
      try {
        r = JSON.parse(line) as RecordedCultureAnswers;
      } catch (e) {
        throw new RequestError(`${file}:${i + 1}: not valid JSON: ${(e as Error).message}`, false, undefined, undefined, true);
      }
      if (typeof r.culture !== 'string' || typeof r.question !== 'string' || !Array.isArray(r.replies) || !r.replies.every((x) => typeof x === 'string')) {
        throw new RequestError(`${file}:${i + 1}: a recorded answer needs "culture", "question" and "replies" (strings)`, false, undefined, undefined, true);
      }
      const key = `${r.culture}|${r.question}|${r.variant ?? 0}`;
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    });
  }
  return index;
}

/**
 * The replay model of culture experiments: answers recorded for (culture, question, variant, template language),
 * sample i = the i-th recorded reply. Offline, free, deterministic, labelled `recorded` in every view. A question
 * never recorded fails (not retried); an unreadable answers file stops the run.
 */
export function createCultureReplayCompleter(model: ModelSpec, target: string): Completer {
  let index: Map<string, RecordedCultureAnswers[]> | undefined;
  async function complete(req: CompletionRequest): Promise<CompletionResult> {
    try {
      index ??= loadRecordedCultureAnswers(target);
    } catch (e) {
      if (e instanceof RequestError) throw new RequestError(`replay model "${model.id}": ${e.message}`, false, undefined, undefined, true);
      throw new RequestError(`replay model "${model.id}": cannot read ${target}: ${(e as Error).message}`, false, undefined, undefined, true);
    }
    const { item } = req;
    const found = index.get(`${item.personaId}|${item.questionId}|${item.variant}`)?.find((r) => r.lang === undefined || r.lang === item.lang);
    if (!found) throw new RequestError(`no recorded answer for ${item.personaId} ${item.questionId} variant ${item.variant} (${item.lang})`, false);
    const texts = req.sampleIndices.filter((s) => s < found.replies.length).map((s) => found.replies[s]!);
    if (texts.length < req.sampleIndices.length) throw new RequestError(`only ${found.replies.length} recorded replies for ${item.personaId} ${item.questionId} variant ${item.variant}`, false);
    return { texts };
  }
  return { complete, recorded: true };
}
