import * as http from 'node:http';
import * as https from 'node:https';

/** Response headers: the part of `Headers` the SDK uses (get, has, iteration), over the raw header list. */
class BufferedHeaders {
  private readonly map = new Map<string, string>();
  constructor(raw: string[]) {
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i].toLowerCase();
      const prev = this.map.get(k);
      this.map.set(k, prev === undefined ? raw[i + 1] : `${prev}, ${raw[i + 1]}`);
    }
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  forEach(fn: (value: string, key: string) => void): void {
    this.map.forEach((v, k) => fn(v, k));
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/**
 * A fully buffered response with the `Response` members the SDK reads (status, ok, headers, url, text, json,
 * body): building a WHATWG `Response` per request costs more CPU than the whole rest of a request.
 */
function bufferedResponse(status: number, statusText: string, rawHeaders: string[], body: Buffer, url: string): Response {
  let text: string | undefined;
  const read = (): string => (text ??= body.toString('utf8'));
  const response = {
    status, statusText, url, ok: status >= 200 && status < 300, redirected: false, type: 'basic', bodyUsed: false, body: null,
    headers: new BufferedHeaders(rawHeaders),
    text: async () => read(),
    json: async () => JSON.parse(read()) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
    clone: () => bufferedResponse(status, statusText, rawHeaders, body, url),
  };
  return response as unknown as Response;
}

export type FetchLike = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A minimal `fetch` for the SDK over node:http(s) with keep-alive agents. Node 20's built-in fetch costs several
 * ms of CPU per request (WHATWG streams), which caps a run at a few hundred requests per second; this one buffers
 * the (small) chat response and hands the SDK a light buffered response. It never follows redirects: a 3xx comes
 * back as an error status, so a request (and its key) never goes anywhere but the URL it was made for.
 */
export function createNodeFetch(): FetchLike {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
  };
  return (input, init = {}) => new Promise<Response>((resolve, reject) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const protocol = url.protocol as 'http:' | 'https:';
    if (protocol !== 'http:' && protocol !== 'https:') return reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = init.body;
    if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) return reject(new TypeError('unsupported request body'));
    if (body != null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const req = (protocol === 'https:' ? https : http).request(url, { method: init.method ?? 'GET', headers, agent: agents[protocol] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(bufferedResponse(res.statusCode ?? 500, res.statusMessage ?? '', res.rawHeaders, Buffer.concat(chunks), url.href));
      });
      res.on('aborted', () => fail(new Error('connection closed before the response ended')));
    });
    function fail(e: unknown): void {
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    }
    function onAbort(): void {
      req.destroy();
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(body ?? undefined);
  });
}
