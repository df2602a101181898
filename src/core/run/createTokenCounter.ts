import type { ModelSpec } from '../experiment';
import { encodingForModel, loadTokenizer, type Tokenizer } from './tokenizer';
import type { TokenCounter } from './estimateRun';

/**
 * A token counter for the estimate: the BPE encoding of each live model (gpt-tokenizer). Only the encodings
 * live models need are loaded (they take a moment), and replay-only runs load none.
 */
export async function createTokenCounter(models: readonly ModelSpec[]): Promise<TokenCounter> {
  const byModel = new Map<string, Tokenizer>();
  for (const m of models) {
    if (m.kind === 'replay') continue;
    byModel.set(m.id, await loadTokenizer(encodingForModel(m.model ?? m.id)));
  }
  return (text, model) => byModel.get(model.id)?.count(text) ?? Math.ceil(text.length / 4);
}
