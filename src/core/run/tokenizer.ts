import type { ChatMessage } from '../model';

/** The BPE encodings gpt-tokenizer offers (OpenAI's current and previous ones). */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

/** Counts the BPE tokens of a text with one encoding. */
export interface Tokenizer {
  encoding: TokenEncoding;
  count(text: string): number;
}

/**
 * The encoding a model name uses: `cl100k_base` for GPT-3.5 / GPT-4 (not 4o) and the ada-002 embeddings,
 * `o200k_base` for GPT-4o, 4.1, 5, the o-series and anything unknown (the current default at OpenAI).
 */
export function encodingForModel(model: string | undefined): TokenEncoding {
  const m = (model ?? '').toLowerCase();
  if (/gpt-?3\.5|gpt-?35|text-embedding-(ada|3)|^gpt-4(-\d{4}|-32k|-turbo|-1106|-0125|$)|^gpt-4-vision/.test(m)) return 'cl100k_base';
  return 'o200k_base';
}

const cache = new Map<TokenEncoding, Promise<Tokenizer>>();

/**
 * Loads an encoding once (the o200k ranks take ~0.4 s to parse, so callers render first and count after).
 * Later calls share the same promise.
 */
export function loadTokenizer(encoding: TokenEncoding): Promise<Tokenizer> {
  let p = cache.get(encoding);
  if (!p) {
    p = (encoding === 'cl100k_base' ? import('gpt-tokenizer/encoding/cl100k_base') : import('gpt-tokenizer/encoding/o200k_base'))
      .then((m) => ({ encoding, count: (text: string) => m.countTokens(text) }));
    cache.set(encoding, p);
  }
  return p;
}

// OpenAI's documented chat framing: every message costs 3 tokens besides its content, the reply is primed
// with 3 more (<|start|>assistant<|message|>).
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/** Input tokens of a chat request: contents + role + per-message framing + reply priming. */
export function countChatTokens(messages: readonly ChatMessage[], tokenizer: Tokenizer): number {
  let n = REPLY_PRIMING;
  for (const m of messages) n += TOKENS_PER_MESSAGE + tokenizer.count(m.role) + tokenizer.count(m.content);
  return n;
}
