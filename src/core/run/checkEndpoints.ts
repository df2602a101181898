import net from 'node:net';
import type { ExperimentSpec, ModelSpec } from '../experiment';

/** A live endpoint an experiment's conditions send to. */
export interface LiveEndpoint {
  modelId: string;
  baseURL: string;
}

/**
 * How an experiment runs: `offline` when every condition's model is a recorded replay (no network, no key), else
 * `live` with the endpoints it needs. A condition whose model is not in the file (it comes from the user's
 * `alignmentStudio.models` setting) counts as live with an unknown endpoint unless `settingsModels` names it.
 */
export function experimentEndpoints(spec: Pick<ExperimentSpec, 'models' | 'conditions'>, settingsModels: readonly ModelSpec[] = []): { offline: boolean; endpoints: LiveEndpoint[] } {
  const models = new Map<string, ModelSpec>();
  for (const m of settingsModels) models.set(m.id, m);
  for (const m of Array.isArray(spec.models) ? spec.models : []) if (m && typeof m.id === 'string') models.set(m.id, m);
  const endpoints = new Map<string, LiveEndpoint>();
  let offline = true;
  for (const c of Array.isArray(spec.conditions) ? spec.conditions : []) {
    const m = c && typeof c.model === 'string' ? models.get(c.model) : undefined;
    if (m?.kind === 'replay') continue;
    offline = false;
    if (m) {
      const baseURL = m.baseURL ?? 'https://api.openai.com/v1';
      endpoints.set(`${m.id}\n${baseURL}`, { modelId: m.id, baseURL });
    }
  }
  return { offline, endpoints: [...endpoints.values()] };
}

/** Reads just enough of an experiment file's text to tell offline from live; undefined when it does not parse. */
export function experimentKindOfText(text: string): { offline: boolean; endpoints: LiveEndpoint[] } | undefined {
  try {
    const spec = JSON.parse(text) as Partial<ExperimentSpec>;
    if (!spec || typeof spec !== 'object') return undefined;
    return experimentEndpoints({ models: spec.models ?? [], conditions: spec.conditions ?? [] });
  } catch {
    return undefined;
  }
}

export interface UnreachableEndpoint extends LiveEndpoint {
  /** Why: `connection refused`, `host not found`, `no answer within 2 s`, … */
  reason: string;
}

/**
 * Opens a TCP connection to each endpoint's host and port (nothing is sent) and returns those that cannot be
 * reached, so a run against a server that is not there fails at once with one actionable message instead of
 * after every request's retries. Endpoints are checked in parallel; `timeoutMs` bounds each.
 */
export async function findUnreachableEndpoints(endpoints: readonly LiveEndpoint[], timeoutMs = 2000): Promise<UnreachableEndpoint[]> {
  const results = await Promise.all(endpoints.map(async (e) => {
    const reason = await probe(e.baseURL, timeoutMs);
    return reason === undefined ? undefined : { ...e, reason };
  }));
  return results.filter((r): r is UnreachableEndpoint => r !== undefined);
}

function probe(baseURL: string, timeoutMs: number): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return Promise.resolve('not a URL');
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(
      err.code === 'ECONNREFUSED' ? 'connection refused: nothing listens there'
        : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'host not found'
          : err.code === 'ENETUNREACH' || err.code === 'EHOSTUNREACH' ? 'network unreachable'
            : err.message,
    ));
  });
}

/** The one message a user sees when endpoints are unreachable: which URL, why, and the two ways out. */
export function unreachableMessage(unreachable: readonly UnreachableEndpoint[], experimentFile: string, surface: 'editor' | 'cli'): string {
  const list = unreachable.map((u) => `${u.baseURL} (model ${u.modelId}: ${u.reason})`).join('; ');
  const local = unreachable.some((u) => /^https?:\/\/(localhost|127\.|\[::1\])/.test(u.baseURL));
  const key = surface === 'editor' ? 'set its key with "Alignment Studio: Set API Key"' : 'give it its API key (see `alignment-studio run --help`)';
  return `Cannot reach ${list}. ` +
    (local ? 'Start a local OpenAI-compatible server there (e.g. `vllm serve <model> --port 8000` or `ollama serve`), or ' : '') +
    `change "baseURL" in ${experimentFile} to an endpoint you can use and ${key}. Nothing was sent.`;
}
