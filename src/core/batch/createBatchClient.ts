import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ModelSpec } from '../experiment';
import { credentialsFor, isolatedClientOptions, originOf, type KeyLookup } from '../run/createOpenAICompleter';
import { CHAT_COMPLETIONS_URL } from './batchFormat';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** What the product keeps of a batch object. */
export interface BatchInfo {
  id: string;
  status: BatchStatus;
  outputFileId: string | null;
  errorFileId: string | null;
  counts: { total: number; completed: number; failed: number };
  /** Why a batch failed (validation errors), first few. */
  errors?: string[];
}

/** The files + batches APIs of one endpoint (OpenAI, Azure OpenAI, or any server implementing them). */
export interface BatchClient {
  upload(file: string): Promise<string>;
  create(inputFileId: string): Promise<BatchInfo>;
  retrieve(batchId: string): Promise<BatchInfo>;
  cancel(batchId: string): Promise<BatchInfo>;
  /** Streams a file's content to `dest`; returns its size in bytes. */
  download(fileId: string, dest: string): Promise<number>;
}

/**
 * A BatchClient through the `openai` package. As for live calls, the key is looked up for the endpoint's origin
 * only and every request to another origin (or a redirect) is refused, so the key never leaves that endpoint.
 */
export async function createBatchClient(model: ModelSpec, keys: KeyLookup): Promise<BatchClient> {
  if (!model.baseURL) throw new Error(`model "${model.id}": baseURL is required for a batch`);
  const origin = originOf(model.baseURL);
  const credentials = await credentialsFor(keys, origin);
  const { default: OpenAI } = await import('openai');
  const guardedFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    if (originOf(target) !== origin) return Promise.reject(new Error(`refusing to send a request for ${origin} to ${new URL(target).origin}`));
    return fetch(url, { ...init, redirect: 'error' });
  };
  const client = new OpenAI({ ...isolatedClientOptions(credentials), baseURL: model.baseURL, maxRetries: 3, timeout: 10 * 60_000, fetch: guardedFetch });
  const info = (b: { id: string; status: string; output_file_id?: string | null; error_file_id?: string | null; request_counts?: { total: number; completed: number; failed: number } | null; errors?: { data?: { message?: string | null; line?: number | null }[] } | null }): BatchInfo => ({
    id: b.id, status: b.status as BatchStatus, outputFileId: b.output_file_id ?? null, errorFileId: b.error_file_id ?? null,
    counts: b.request_counts ?? { total: 0, completed: 0, failed: 0 },
    ...(b.errors?.data?.length ? { errors: b.errors.data.slice(0, 5).map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message ?? 'error'}`) } : {}),
  });
  return {
    async upload(file) {
      const f = await client.files.create({ file: fs.createReadStream(file), purpose: 'batch' });
      return f.id;
    },
    async create(inputFileId) {
      return info(await client.batches.create({ input_file_id: inputFileId, endpoint: CHAT_COMPLETIONS_URL, completion_window: '24h' }));
    },
    async retrieve(batchId) {
      return info(await client.batches.retrieve(batchId));
    },
    async cancel(batchId) {
      return info(await client.batches.cancel(batchId));
    },
    async download(fileId, dest) {
      const res = await client.files.content(fileId);
      if (!res.body) throw new Error(`file ${fileId}: empty response`);
      const tmp = `${dest}.part`;
      fs.rmSync(tmp, { force: true }); // a planted link at the temp name: rm removes the link, never its target
      await pipeline(Readable.fromWeb(res.body as WebReadableStream), fs.createWriteStream(tmp, { flags: 'wx' }));
      fs.renameSync(tmp, dest);
      return fs.statSync(dest).size;
    },
  };
}
