import * as http from 'node:http';
import * as https from 'node:https';

export type FetchLike = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A minimal `fetch` for the SDK over node:http(s) with keep-alive agents. Node 20's built-in fetch costs several
 * ms of CPU per request (WHATWG streams), which caps a run at a few hundred requests per second; this one buffers
 * the (small) chat response and hands the SDK an ordinary `Response`. It never follows redirects: a 3xx comes
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
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const status = res.statusCode ?? 500;
        const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
        resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: h }));
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
