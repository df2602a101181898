import type { ModelSpec } from '../experiment';
import { indexRecordedCompletions, type RecordedIndex } from '../recorded/indexRecordedCompletions';
import { loadRecordedCompletions } from '../recorded/loadRecordedCompletions';
import { RequestError } from './RequestError';
import type { Completer, CompletionRequest, CompletionResult } from './WorkItem';

/**
 * The replay model: answers from recorded completions in the paper's format (`preds_q=…_lang=…json`), looked up
 * by (prompt language, persona values, question, variant); sample i is the i-th recorded reply. Offline, free,
 * deterministic, and labelled `recorded` in every view. An item that was never recorded fails (not retried).
 */
export function createReplayCompleter(model: ModelSpec, completionsDir: string): Completer {
  let index: Promise<RecordedIndex> | undefined;
  const load = (): Promise<RecordedIndex> =>
    (index ??= loadRecordedCompletions(completionsDir).then((c) => {
      if (c.records.length === 0) throw new RequestError(`replay model "${model.id}": no recorded completions (preds_q=…json) under ${completionsDir}`, false, undefined, undefined, true);
      return indexRecordedCompletions(c.records);
    }));

  async function complete(req: CompletionRequest): Promise<CompletionResult> {
    const { item } = req;
    let recorded: RecordedIndex;
    try {
      recorded = await load();
    } catch (e) {
      if (e instanceof RequestError) throw e;
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
