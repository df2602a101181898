import type * as OpenAINamespace from 'openai';
import { createNodeFetch, type FetchLike } from '../run/createNodeFetch';
import { credentialsFor, isolatedClientOptions, originOf, type KeyLookup } from '../run/createOpenAICompleter';
import { RequestError, errorForStatus, parseRetryAfter } from '../run/RequestError';

/** An OpenAI-compatible embeddings endpoint (`POST {baseURL}/embeddings`). */
export interface EmbeddingsSpec {
  baseURL: string;
  model: string;
}

/** Embeds texts; one vector per text, in order. */
export type Embedder = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

let sharedFetch: FetchLike | undefined;

/**
 * An embedder for any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama, LM Studio, …) through the
 * `openai` SDK, floats requested explicitly (servers differ on base64). The key is looked up for the endpoint's own
 * origin and the fetch refuses any other origin. Errors are RequestErrors classified like chat requests.
 */
export async function createEmbedder(spec: EmbeddingsSpec, keys: KeyLookup): Promise<Embedder> {
  const origin = originOf(spec.baseURL);
  // Only what the user configured for this origin: no key, org or project from the environment (docs/security.md).
  const credentials = isolatedClientOptions(await credentialsFor(keys, origin));
  const { default: OpenAI, APIError } = (await import('openai')) as typeof OpenAINamespace;
  const guardedFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    if (originOf(target) !== origin) return Promise.reject(new RequestError(`refusing to send a request for ${origin} to ${new URL(target).origin}`, false));
    return (sharedFetch ??= createNodeFetch())(url, init);
  };
  const client = new OpenAI({ ...credentials, baseURL: spec.baseURL, maxRetries: 0, timeout: 120_000, fetch: guardedFetch });
  return async (texts, signal) => {
    try {
      const res = await client.embeddings.create({ model: spec.model, input: texts, encoding_format: 'float' }, { signal });
      const data = [...(res?.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || !data.every((d) => Array.isArray(d.embedding) && d.embedding.length > 0)) {
        throw new RequestError(`the embeddings endpoint returned ${data.length} vectors for ${texts.length} texts`, true);
      }
      return data.map((d) => d.embedding);
    } catch (e) {
      if (e instanceof RequestError) throw e;
      if (e instanceof APIError && typeof e.status === 'number') throw errorForStatus(e.status, e.message.split('\n', 1)[0]!.slice(0, 300), parseRetryAfter(e.headers?.get('retry-after'), e.headers?.get('retry-after-ms')));
      throw new RequestError(e instanceof Error ? e.message.split('\n', 1)[0]! : String(e), true);
    }
  };
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vectors of different lengths (${a.length}, ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
