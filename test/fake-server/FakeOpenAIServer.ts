// A fake OpenAI-compatible chat endpoint (node:http on 127.0.0.1, random port) for tests and benchmarks.
// Faults are injected per request with a seeded PRNG so a failing test can be replayed exactly.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server answers with (the `content` of each choice). */
export type AnswerMode =
  /** A number 1..4 derived from the prompt (stable per prompt and choice index): `(k)`. */
  | 'number'
  /** The last user message, verbatim. */
  | 'echo'
  /** An Arabic reply with Arabic-Indic digits, e.g. `الإجابة هي (٢)`. */
  | 'arabic'
  /** A reasoning paragraph, then the answer on the last line (anthropological prompting). */
  | 'reasoning'
  /** `options.text` verbatim. */
  | 'fixed'
  /**
   * A number on the scale the prompt states (its first two numbers, as in CultureLLM's "Give me the answer from 1 to
   * 4: …" in any language), stable per system + user prompt and choice index.
   */
  | 'scale';

export interface FakeServerOptions {
  /** Response latency in ms (a number, or [min, max] uniformly). */
  latencyMs?: number | [number, number];
  mode?: AnswerMode;
  text?: string;
  /** Fraction of requests answered with HTTP 500. */
  errorRate?: number;
  /** Fraction answered with HTTP 429 + `Retry-After: retryAfterSec`. */
  rateLimitRate?: number;
  retryAfterSec?: number;
  /** Fraction answered with 503 (no Retry-After). */
  unavailableRate?: number;
  /** Fraction whose connection is destroyed without a response. */
  resetRate?: number;
  /** Fraction that never answer (the client must time out). */
  hangRate?: number;
  /** Fraction answered 200 with a truncated JSON body. */
  malformedRate?: number;
  /** Every request is answered `302 Location: <redirectTo>/chat/completions` (to test key leaks on redirects). */
  redirectTo?: string;
  /** Seed of the fault PRNG. */
  seed?: number;
  /**
   * Append ` [req <id>]` to every reply, `<id>` = requestIdOf(messages): which request a reply was made for, so a
   * test can check that every stored answer belongs to its own request (not a neighbour's, not a stale one).
   */
  echoRequestId?: boolean;
  /** Length of the `/v1/embeddings` vectors (default 64). */
  embeddingDims?: number;
  /** Fixed port to listen on (default: a free one). */
  port?: number;
  /** Full control: return an action to override the default behaviour for this request. */
  script?: (req: FakeRequest) => FakeAction | undefined;
}

export interface FakeRequest {
  /** 1-based index of the request at this server. */
  index: number;
  body: ChatBody;
  /** How many times the same body has been seen (1 = first attempt). */
  attempt: number;
  authorization: string | undefined;
}

export type FakeAction =
  | { kind: 'ok'; texts?: string[] }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'malformed' };

interface EmbeddingsBody {
  model?: string;
  input?: string | string[];
  encoding_format?: 'float' | 'base64';
}

interface ChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
  n?: number;
  temperature?: number;
  max_tokens?: number;
}

/** Counters and what the server saw. */
export interface FakeServerStats {
  requests: number;
  ok: number;
  faults: Record<string, number>;
  /** Distinct Authorization header values seen ('' for none). */
  authorizations: Set<string>;
  /** `n` of every request body (1 when absent). */
  nValues: number[];
  /** Request bodies, kept only when `keepBodies` is on (off for benchmarks). */
  bodies: ChatBody[];
  /** Distinct values of every request header (lower-case names; content-length left out), e.g. `openai-organization`. */
  headers: Map<string, Set<string>>;
  /** Texts embedded through `/v1/embeddings`. */
  embeddings: number;
}

/** Mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stringHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** The id `echoRequestId` puts into a reply: a digest of the request's messages (what the request asked). */
export function requestIdOf(messages: readonly { role: string; content: string }[]): string {
  return stringHash(JSON.stringify(messages.map((m) => [m.role, m.content]))).toString(16).padStart(8, '0');
}

/** The request id echoed in a reply (`… [req 1a2b3c4d]`), or undefined. */
export function echoedRequestId(reply: string): string | undefined {
  return /\[req ([0-9a-f]{8})\]$/.exec(reply)?.[1];
}

/**
 * A deterministic embedding: hashed bag of words (lower case, letters and digits), unit length. Texts sharing most
 * of their words are close (cosine near 1), unrelated texts are not: enough to test a similarity threshold offline.
 */
export function embedText(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const h = stringHash(word);
    v[h % dims]! += (h >>> 16) & 1 ? 1 : -1;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/**
 * The fake's paraphrases of a seed question: rewordings that keep its words (similar embeddings), and as the third
 * one an unrelated question (a candidate a similarity threshold must reject).
 */
export function paraphrases(seed: string, k: number): string[] {
  const core = seed.replace(/^Do you agree with\s+/i, '').replace(/[.?\s]+$/, '');
  const forms = [
    `To what extent do you agree with the statement: ${core}?`,
    `How much do you agree that ${core}?`,
    'What is your favourite colour?',
    `Would you say you agree with this: ${core}?`,
    `Please tell me whether you agree: ${core}?`,
    `Thinking about it, do you agree with ${core}?`,
  ];
  return Array.from({ length: k }, (_, i) => `${i + 1}. ${i < forms.length ? forms[i] : `${forms[i % forms.length]} (${i + 1})`}`);
}

export class FakeOpenAIServer {
  readonly stats: FakeServerStats = { requests: 0, ok: 0, faults: {}, authorizations: new Set(), nValues: [], bodies: [], headers: new Map(), embeddings: 0 };
  keepBodies = false;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly attempts = new Map<string, number>();
  private readonly hanging = new Set<http.ServerResponse>();
  private random: () => number;

  constructor(public options: FakeServerOptions = {}) {
    this.random = prng(options.seed ?? 1);
  }

  /** Base URL to give the client, e.g. `http://127.0.0.1:41234/v1`. */
  get baseURL(): string {
    return `${this.origin}/v1`;
  }

  get origin(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('fake server not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Replace the options (and reseed) between phases of a test. */
  configure(options: FakeServerOptions): void {
    this.options = options;
    this.random = prng(options.seed ?? 1);
    this.attempts.clear();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const stats = this.stats;
      stats.requests++;
      stats.authorizations.add(req.headers.authorization ?? '');
      for (const [name, value] of Object.entries(req.headers)) {
        if (name === 'content-length' || value === undefined) continue;
        let seen = stats.headers.get(name);
        if (!seen) stats.headers.set(name, (seen = new Set()));
        for (const v of Array.isArray(value) ? value : [value]) seen.add(v);
      }
      if (req.url?.endsWith('/embeddings') && req.method === 'POST') {
        this.handleEmbeddings(raw, req, res);
        return;
      }
      if (!req.url?.endsWith('/chat/completions') || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      let body: ChatBody;
      try {
        body = JSON.parse(raw) as ChatBody;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      stats.nValues.push(body.n ?? 1);
      if (this.keepBodies) stats.bodies.push(body);
      const attempt = (this.attempts.get(raw) ?? 0) + 1;
      this.attempts.set(raw, attempt);
      const action = this.options.script?.({ index: stats.requests, body, attempt, authorization: req.headers.authorization }) ?? this.pickAction();
      const delay = this.latency();
      const act = () => this.respond(res, body, action);
      if (delay > 0) setTimeout(act, delay);
      else act();
    });
  }

  /** `POST /v1/embeddings`: deterministic vectors (see embedText); faults and scripts apply as for chat requests. */
  private handleEmbeddings(raw: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    let body: EmbeddingsBody;
    try {
      body = JSON.parse(raw) as EmbeddingsBody;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
      return;
    }
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : null;
    if (!inputs || !inputs.every((x) => typeof x === 'string')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"input must be a string or a list of strings"}}');
      return;
    }
    this.stats.embeddings += inputs.length;
    const action = this.options.script?.({ index: this.stats.requests, body: { model: body.model, messages: inputs.map((content) => ({ role: 'input', content })) }, attempt: 1, authorization: req.headers.authorization }) ?? this.pickAction();
    const act = (): void => {
      if (action.kind !== 'ok') return this.respond(res, {}, action);
      this.stats.ok++;
      const data = inputs.map((text, index) => {
        const v = embedText(text, this.options.embeddingDims ?? 64);
        const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
        return { object: 'embedding', index, embedding };
      });
      const tokens = inputs.reduce((a, t) => a + Math.ceil(t.length / 4), 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model ?? 'fake-embed', usage: { prompt_tokens: tokens, total_tokens: tokens } }));
    };
    const delay = this.latency();
    if (delay > 0) setTimeout(act, delay);
    else act();
  }

  private latency(): number {
    const l = this.options.latencyMs ?? 0;
    return Array.isArray(l) ? l[0] + this.random() * (l[1] - l[0]) : l;
  }

  private pickAction(): FakeAction {
    const o = this.options;
    if (o.redirectTo) return { kind: 'status', status: 302 };
    let r = this.random();
    const take = (p: number | undefined): boolean => {
      if (!p) return false;
      if (r < p) return true;
      r -= p;
      return false;
    };
    if (take(o.errorRate)) return { kind: 'status', status: 500 };
    if (take(o.rateLimitRate)) return { kind: 'status', status: 429, retryAfter: String(o.retryAfterSec ?? 1) };
    if (take(o.unavailableRate)) return { kind: 'status', status: 503 };
    if (take(o.resetRate)) return { kind: 'reset' };
    if (take(o.hangRate)) return { kind: 'hang' };
    if (take(o.malformedRate)) return { kind: 'malformed' };
    return { kind: 'ok' };
  }

  private count(kind: string): void {
    this.stats.faults[kind] = (this.stats.faults[kind] ?? 0) + 1;
  }

  private respond(res: http.ServerResponse, body: ChatBody, action: FakeAction): void {
    switch (action.kind) {
      case 'reset':
        this.count('reset');
        res.socket?.destroy();
        return;
      case 'hang':
        this.count('hang');
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'malformed':
        this.count('malformed');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"chatcmpl-x","choices":[{"index":0,"mess');
        return;
      case 'status': {
        if (action.status === 302 && this.options.redirectTo) {
          this.count('redirect');
          res.writeHead(302, { location: `${this.options.redirectTo.replace(/\/$/, '')}/chat/completions` }).end();
          return;
        }
        this.count(String(action.status));
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (action.retryAfter !== undefined) headers['retry-after'] = action.retryAfter;
        res.writeHead(action.status, headers).end(action.body ?? `{"error":{"message":"injected ${action.status}","type":"fake"}}`);
        return;
      }
      case 'ok': {
        this.stats.ok++;
        const n = Math.max(1, body.n ?? 1);
        const replies = action.texts ?? Array.from({ length: n }, (_, i) => this.answer(body, i));
        const id = this.options.echoRequestId ? requestIdOf(body.messages ?? []) : undefined;
        const texts = id ? replies.map((t) => `${t} [req ${id}]`) : replies;
        const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
        const payload = {
          id: `chatcmpl-fake-${this.stats.requests}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? 'fake',
          choices: texts.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: 'stop' })),
          usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: texts.reduce((a, t) => a + Math.ceil(t.length / 4), 0), total_tokens: 0 },
        };
        payload.usage.total_tokens = payload.usage.prompt_tokens + payload.usage.completion_tokens;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
        return;
      }
    }
  }

  private answer(body: ChatBody, choice: number): string {
    const messages = body.messages ?? [];
    const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const para = /Write (\d+) different paraphrases[^\n]*\n\s*Question: ([^\n]+)/.exec(lastUser);
    if (para) return paraphrases(para[2]!.trim(), Number(para[1])).join('\n');
    const k = ((stringHash(lastUser) + choice) % 4) + 1;
    switch (this.options.mode ?? 'number') {
      case 'scale': {
        const [lo, hi] = (lastUser.match(/\d+/g) ?? ['1', '4']).map(Number);
        const min = lo ?? 1;
        const max = hi !== undefined && hi > min ? hi : min + 3;
        const system = messages.find((m) => m.role === 'system')?.content ?? '';
        return String(min + ((stringHash(`${system}\n${lastUser}`) + choice) % (max - min + 1)));
      }
      case 'echo':
        return lastUser;
      case 'fixed':
        return this.options.text ?? '(1)';
      case 'arabic':
        return `الإجابة هي (${ARABIC_DIGITS[k]})`;
      case 'reasoning':
        return `As an anthropologist I consider the emic view of this persona, their social context and economic situation.\nWeighing these, the most plausible answer is the following.\n\n(${k})`;
      default:
        return `(${k})`;
    }
  }
}
