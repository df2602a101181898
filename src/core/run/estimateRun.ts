import { itemSampleKey } from './readRun';
import type { ModelSpec } from '../experiment';
import type { ResponseCache } from './ResponseCache';
import type { WorkItem } from './WorkItem';

export interface RunEstimate {
  /** Samples in the run. */
  samples: number;
  /** Samples the run already holds (resume). */
  alreadyDone: number;
  /** Samples answered from earlier runs without a request. */
  cached: number;
  /** HTTP requests (or replay lookups) still to make: one per missing sample, or one per item with `useN`. */
  requests: number;
  /** Input tokens of those requests (gpt-tokenizer on an even sample of prompts, extrapolated by characters). */
  inputTokens: number;
  /** Upper bound of output tokens: samples to fetch × maxTokens. */
  outputTokensMax: number;
  /** Upper bound of the cost; null when a live model has no price. */
  cost: number | null;
  /** Requests answered by recorded (replay) models: offline and free. */
  recordedRequests: number;
}

/** Tokens of a prompt text for a model (its encoding). */
export type TokenCounter = (text: string, model: ModelSpec) => number;

/**
 * What a run will cost before it starts: walks every item once (rendering is cheap; tokenizing is not, so the
 * first `tokenizeSamples` prompts of each condition are tokenized and the rest extrapolated by length; Arabic
 * and English prompts have very different tokens per character, hence per condition).
 */
export function estimateRun(items: Iterable<WorkItem>, countTokens: TokenCounter, done: ReadonlySet<string> = new Set(), cache?: ResponseCache, tokenizeSamples = 50): RunEstimate {
  const e: RunEstimate = { samples: 0, alreadyDone: 0, cached: 0, requests: 0, inputTokens: 0, outputTokensMax: 0, cost: 0, recordedRequests: 0 };
  const byCondition = new Map<string, { chars: number; sampledChars: number; sampledTokens: number; sampled: number; out: number; pIn?: number; pOut?: number }>();
  for (const item of items) {
    e.samples += item.samples.length;
    let missing = 0;
    for (const s of item.samples) {
      if (done.has(itemSampleKey(item, s.sample))) e.alreadyDone++;
      else if (cache?.has(s.hash)) e.cached++;
      else missing++;
    }
    if (missing === 0) continue;
    const m = item.model;
    const calls = m.useN ? 1 : missing;
    e.requests += calls;
    if (m.kind === 'replay') {
      e.recordedRequests += calls;
      continue;
    }
    let c = byCondition.get(item.condition);
    if (!c) byCondition.set(item.condition, (c = { chars: 0, sampledChars: 0, sampledTokens: 0, sampled: 0, out: 0, pIn: m.pricePer1kInput, pOut: m.pricePer1kOutput }));
    const text = (m.systemPrompt ? `${m.systemPrompt}\n` : '') + item.messages.map((x) => x.content).join('\n');
    c.chars += text.length * calls;
    c.out += missing * (m.maxTokens ?? 16);
    if (c.sampled < tokenizeSamples) {
      c.sampledChars += text.length;
      // A few tokens of chat framing per message.
      c.sampledTokens += countTokens(text, m) + 4 * item.messages.length;
      c.sampled++;
    }
  }
  for (const c of byCondition.values()) {
    const tokens = Math.round(c.chars * (c.sampledChars ? c.sampledTokens / c.sampledChars : 0.25));
    e.inputTokens += tokens;
    e.outputTokensMax += c.out;
    if (c.pIn === undefined && c.pOut === undefined) e.cost = null;
    else if (e.cost !== null) e.cost += (tokens / 1000) * (c.pIn ?? 0) + (c.out / 1000) * (c.pOut ?? 0);
  }
  return e;
}
