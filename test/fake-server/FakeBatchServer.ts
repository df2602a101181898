// A fake OpenAI Batch endpoint (files + batches APIs) on 127.0.0.1 for tests. Each request line is answered by
// forwarding its body to a chat endpoint (the FakeOpenAIServer), so a batch gets exactly the answers a live run
// against that server gets. Every `GET /batches/:id` moves a batch one status on: validating → in_progress →
// the configured end (completed / failed / expired), or cancelling → cancelled after a cancel.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FinalStatus = 'completed' | 'failed' | 'expired';

export interface FakeBatchOptions {
  /** Chat endpoint that answers the lines, e.g. FakeOpenAIServer.baseURL. */
  chatBaseURL: string;
  finalStatus?: FinalStatus;
  /** expired / cancelled: the fraction of lines answered before the end (default 0.5). */
  partial?: number;
  /** Every k-th line (1-based) fails with HTTP 500 and goes to the error file. */
  errorEvery?: number;
  /** GETs spent in each of validating and in_progress (default 1). */
  pollsPerStatus?: number;
}

interface FakeFile {
  id: string;
  filename: string;
  purpose: string;
  content: Buffer;
}

interface FakeBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  request_counts: { total: number; completed: number; failed: number };
  errors: { object: 'list'; data: { code: string; message: string; line?: number }[] } | null;
  polls: number;
}

export class FakeBatchServer {
  readonly files = new Map<string, FakeFile>();
  readonly batches = new Map<string, FakeBatch>();
  /** Authorization headers seen. */
  readonly authorizations = new Set<string>();
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private next = 1;

  constructor(public options: FakeBatchOptions) {}

  get baseURL(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('fake batch server not started');
    return `http://127.0.0.1:${addr.port}/v1`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.authorizations.add(req.headers.authorization ?? '');
        this.handle(req, Buffer.concat(chunks)).then((r) => send(res, r.status, r.body), (e: unknown) => send(res, 500, { error: { message: String(e) } }));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private id(prefix: string): string {
    return `${prefix}-fake${this.next++}`;
  }

  private async handle(req: http.IncomingMessage, raw: Buffer): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.replace(/^\/v1\//, '').split('/');
    if (req.method === 'POST' && url.pathname === '/v1/files') {
      const form = await new Request('http://x/', { method: 'POST', headers: req.headers as Record<string, string>, body: raw }).formData();
      const file = form.get('file');
      if (!file || typeof file === 'string') return { status: 400, body: { error: { message: 'no file' } } };
      const f: FakeFile = { id: this.id('file'), filename: file.name, purpose: String(form.get('purpose')), content: Buffer.from(await file.arrayBuffer()) };
      this.files.set(f.id, f);
      return { status: 200, body: fileObject(f) };
    }
    if (parts[0] === 'files' && parts[1]) {
      const f = this.files.get(parts[1]);
      if (!f) return { status: 404, body: { error: { message: `no file ${parts[1]}` } } };
      if (parts[2] === 'content') return { status: 200, body: f.content };
      return { status: 200, body: fileObject(f) };
    }
    if (req.method === 'POST' && url.pathname === '/v1/batches') {
      const b = JSON.parse(raw.toString('utf8')) as { input_file_id: string; endpoint: string; completion_window: string };
      const input = this.files.get(b.input_file_id);
      if (!input) return { status: 400, body: { error: { message: `no file ${b.input_file_id}` } } };
      const lines = input.content.toString('utf8').split('\n').filter(Boolean).length;
      const batch: FakeBatch = {
        id: this.id('batch'), object: 'batch', endpoint: b.endpoint, input_file_id: b.input_file_id, completion_window: b.completion_window, status: 'validating',
        output_file_id: null, error_file_id: null, created_at: Math.floor(Date.now() / 1000), request_counts: { total: lines, completed: 0, failed: 0 }, errors: null, polls: 0,
      };
      this.batches.set(batch.id, batch);
      return { status: 200, body: batchObject(batch) };
    }
    if (parts[0] === 'batches' && parts[1]) {
      const batch = this.batches.get(parts[1]);
      if (!batch) return { status: 404, body: { error: { message: `no batch ${parts[1]}` } } };
      if (req.method === 'POST' && parts[2] === 'cancel') {
        if (['validating', 'in_progress'].includes(batch.status)) batch.status = 'cancelling';
        return { status: 200, body: batchObject(batch) };
      }
      await this.advance(batch);
      return { status: 200, body: batchObject(batch) };
    }
    return { status: 404, body: { error: { message: `no route ${req.method} ${url.pathname}` } } };
  }

  private async advance(batch: FakeBatch): Promise<void> {
    const per = this.options.pollsPerStatus ?? 1;
    batch.polls++;
    if (batch.status === 'validating' && batch.polls > per) {
      batch.status = 'in_progress';
      batch.polls = 0;
    } else if (batch.status === 'in_progress' && batch.polls > per) {
      const end = this.options.finalStatus ?? 'completed';
      if (end === 'failed') {
        batch.status = 'failed';
        batch.errors = { object: 'list', data: [{ code: 'invalid_request', message: 'fake: the input file was rejected', line: 1 }] };
      } else {
        await this.process(batch, end === 'completed' ? 1 : (this.options.partial ?? 0.5));
        batch.status = end;
      }
    } else if (batch.status === 'cancelling') {
      await this.process(batch, this.options.partial ?? 0.5);
      batch.status = 'cancelled';
    }
  }

  /** Answers the first `fraction` of the lines through the chat endpoint; writes the output and error files. */
  private async process(batch: FakeBatch, fraction: number): Promise<void> {
    const input = this.files.get(batch.input_file_id)!;
    const lines = input.content.toString('utf8').split('\n').filter(Boolean);
    const take = Math.floor(lines.length * fraction);
    const out: string[] = new Array(take);
    const errors: string[] = [];
    let cursor = 0;
    const worker = async (): Promise<void> => {
      while (cursor < take) {
        const i = cursor++;
        const line = JSON.parse(lines[i]) as { custom_id: string; url: string; body: unknown };
        if (this.options.errorEvery && (i + 1) % this.options.errorEvery === 0) {
          errors.push(JSON.stringify({ id: `batch_req_${i}`, custom_id: line.custom_id, response: { status_code: 500, request_id: `req_${i}`, body: { error: { message: 'fake: internal error', type: 'server_error' } } }, error: null }));
          continue;
        }
        const res = await fetch(`${this.options.chatBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line.body) });
        const body = (await res.json()) as unknown;
        const outLine = JSON.stringify({ id: `batch_req_${i}`, custom_id: line.custom_id, response: { status_code: res.status, request_id: `req_${i}`, body }, error: null });
        if (res.status === 200) out[i] = outLine;
        else errors.push(outLine);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // Output order is not input order in the real API either.
    const answered = out.filter(Boolean).reverse();
    batch.request_counts = { total: lines.length, completed: answered.length, failed: errors.length };
    if (answered.length) batch.output_file_id = this.store(`${batch.id}_output.jsonl`, answered);
    if (errors.length) batch.error_file_id = this.store(`${batch.id}_error.jsonl`, errors);
  }

  private store(filename: string, lines: string[]): string {
    const f: FakeFile = { id: this.id('file'), filename, purpose: 'batch_output', content: Buffer.from(`${lines.join('\n')}\n`) };
    this.files.set(f.id, f);
    return f.id;
  }
}

function fileObject(f: FakeFile): unknown {
  return { id: f.id, object: 'file', bytes: f.content.length, created_at: Math.floor(Date.now() / 1000), filename: f.filename, purpose: f.purpose, status: 'processed' };
}

function batchObject(b: FakeBatch): unknown {
  const { polls: _polls, ...rest } = b;
  return rest;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (Buffer.isBuffer(body)) res.writeHead(status, { 'content-type': 'application/octet-stream' }).end(body);
  else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
