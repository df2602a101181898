// The OpenAI Batch API input/output line formats, also read and written by vLLM's
// `python -m vllm.entrypoints.openai.run_batch` (same JSONL), and where a run keeps its batch files.
import * as path from 'node:path';
import type { ChatBody } from '../run/buildChatBody';

/** OpenAI Batch API limits per input file. */
export const MAX_LINES_PER_FILE = 50_000;
export const MAX_BYTES_PER_FILE = 200 * 1024 * 1024;
export const CHAT_COMPLETIONS_URL = '/v1/chat/completions';

/** One input line. `custom_id` is the request hash of the first sample the line answers (see exportBatch). */
export interface BatchRequestLine {
  custom_id: string;
  method: 'POST';
  url: typeof CHAT_COMPLETIONS_URL;
  body: ChatBody;
}

/** One output (or error-file) line, as OpenAI and vLLM write it. */
export interface BatchOutputLine {
  id?: string;
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code?: string | null; message?: string | null } | null;
}

/** `<run>/batch/`: exports (shards + manifest), jobs.json (submitted batches), downloads (output and error files). */
export const batchDir = (runDir: string): string => path.join(runDir, 'batch');
export const exportsDir = (runDir: string): string => path.join(batchDir(runDir), 'exports');
export const downloadsDir = (runDir: string): string => path.join(batchDir(runDir), 'downloads');
export const jobsFile = (runDir: string): string => path.join(batchDir(runDir), 'jobs.json');
export const EXPORT_MANIFEST = 'manifest.json';
