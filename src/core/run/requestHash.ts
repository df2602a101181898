import { createHash } from 'node:crypto';
import type { ChatMessage } from '../model';
import type { ModelSpec } from '../experiment';

/**
 * The part of a request hash shared by all samples of one item: what changes the answer distribution
 * (endpoint, model, sampling parameters, rendered messages). Not `n`/`useN`, concurrency or prices, so changing
 * how samples are fetched or what they cost keeps the cache.
 */
export function requestHashBase(model: ModelSpec, messages: ChatMessage[]): string {
  const endpoint = model.kind === 'replay' ? `replay:${model.completions ?? ''}` : (model.baseURL ?? '');
  return JSON.stringify([endpoint, model.model ?? model.id, model.temperature ?? null, model.maxTokens ?? null, messages.map((m) => [m.role, m.content])]);
}

/** Stable request hash (32 hex chars) of one sample: the key for cache, resume and dedupe. */
export function requestHash(base: string, sample: number): string {
  return createHash('sha256').update(base).update(`\u0000${sample}`).digest('hex').slice(0, 32);
}

/** requestHash of samples 0…count-1 of one item, hashing the shared base once (it holds the whole prompt). */
export function requestHashes(base: string, count: number): string[] {
  const h = createHash('sha256').update(base);
  const out = new Array<string>(count);
  for (let s = 0; s < count; s++) out[s] = (s === count - 1 ? h : h.copy()).update(`\u0000${s}`).digest('hex').slice(0, 32);
  return out;
}
