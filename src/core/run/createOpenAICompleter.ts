import type * as OpenAINamespace from 'openai';
import type { ModelSpec } from '../experiment';
import { buildChatBody } from './buildChatBody';
import { createNodeFetch, type FetchLike } from './createNodeFetch';
import { RequestError, errorForStatus, parseRetryAfter } from './RequestError';
import type { Completer, CompletionRequest, CompletionResult } from './WorkItem';

/** The origin (`https://host:port`) an endpoint's key is bound to. */
export function originOf(baseURL: string): string {
  const u = new URL(baseURL);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`unsupported protocol in ${baseURL}`);
  return u.origin;
}

/** What is sent to one origin: its key, and the OpenAI organization / project headers only where the user set them for it. */
export interface OriginCredentials {
  apiKey?: string;
  organization?: string;
  project?: string;
}

/**
 * Looks up what to send to one origin (SecretStorage in VS Code, the user's key mapping in the CLI); never another
 * origin's. A string is just the key.
 */
export type KeyLookup = (origin: string) => PromiseLike<string | OriginCredentials | undefined> | string | OriginCredentials | undefined;

/** The credentials of one origin, normalised. */
export async function credentialsFor(keys: KeyLookup, origin: string): Promise<OriginCredentials> {
  const c = await keys(origin);
  return typeof c === 'string' ? { apiKey: c } : (c ?? {});
}

/**
 * Options of an `openai` client that take nothing from the environment: the SDK would otherwise send
 * OPENAI_ORG_ID / OPENAI_PROJECT_ID and the headers of OPENAI_CUSTOM_HEADERS to every endpoint, whatever its
 * origin. Only what the user configured for this origin goes out.
 */
export function isolatedClientOptions(c: OriginCredentials, env: NodeJS.ProcessEnv = process.env): { apiKey: string; organization: string | null; project: string | null; adminAPIKey: null; webhookSecret: null; defaultHeaders: Record<string, null> } {
  const defaultHeaders: Record<string, null> = {};
  for (const line of (env.OPENAI_CUSTOM_HEADERS ?? '').split('\n')) {
    const name = line.slice(0, line.indexOf(':')).trim();
    if (line.includes(':') && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) defaultHeaders[name] = null;
  }
  return { apiKey: c.apiKey ?? 'no-key', organization: c.organization ?? null, project: c.project ?? null, adminAPIKey: null, webhookSecret: null, defaultHeaders };
}

type OpenAIModule = typeof OpenAINamespace;
let sharedFetch: FetchLike | undefined;
let openaiModule: Promise<OpenAIModule> | undefined;
// Loaded on first use: the SDK costs start-up time that estimate-only and replay runs do not need.
const loadOpenAI = (): Promise<OpenAIModule> => (openaiModule ??= import('openai'));

/**
 * A completer for an OpenAI-compatible chat endpoint through the `openai` SDK, with the SDK's own retries
 * and timeout off (the engine owns both). The key is looked up for the endpoint's origin only, and the fetch
 * wrapper refuses any URL of another origin and any redirect, so the key cannot leak to another host. Nothing of
 * the environment (org / project ids, custom headers) is sent unless configured for this origin.
 */
export async function createOpenAICompleter(model: ModelSpec, keys: KeyLookup): Promise<Completer> {
  if (!model.baseURL) throw new Error(`model "${model.id}": baseURL is required`);
  const origin = originOf(model.baseURL);
  const credentials = await credentialsFor(keys, origin);
  const { default: OpenAI, APIError, APIUserAbortError } = await loadOpenAI();
  const guardedFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    if (originOf(target) !== origin) return Promise.reject(new RequestError(`refusing to send a request for ${origin} to ${new URL(target).origin}`, false));
    return (sharedFetch ??= createNodeFetch())(url, init);
  };
  const client = new OpenAI({ ...isolatedClientOptions(credentials), baseURL: model.baseURL, maxRetries: 0, timeout: 24 * 3600_000, fetch: guardedFetch });

  async function complete(req: CompletionRequest): Promise<CompletionResult> {
    try {
      const res = await client.chat.completions.create(buildChatBody(model, req.item.messages, req.n), { signal: req.signal });
      if (!res || !Array.isArray(res.choices)) throw new RequestError('malformed response (no choices)', true);
      return {
        texts: res.choices.map((c) => c.message?.content ?? ''),
        inputTokens: res.usage?.prompt_tokens,
        outputTokens: res.usage?.completion_tokens,
      };
    } catch (e) {
      if (e instanceof RequestError) throw e;
      if (req.signal.aborted) throw req.signal.reason instanceof RequestError ? req.signal.reason : new RequestError('aborted', false);
      if (e instanceof APIUserAbortError) throw new RequestError('aborted', false);
      if (e instanceof APIError && typeof e.status === 'number') {
        const h = e.headers;
        throw errorForStatus(e.status, firstLine(e.message), parseRetryAfter(h?.get('retry-after'), h?.get('retry-after-ms')));
      }
      // Connection resets, DNS failures, bodies that are not JSON: transient as far as we can tell.
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      throw new RequestError(`${e instanceof Error ? firstLine(e.message) : String(e)}${cause}`, true);
    }
  }
  return { complete, recorded: false };
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0].slice(0, 300);
}
