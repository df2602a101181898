/**
 * A failed files/batches call as one sentence with what to do. Servers that only serve chat completions (vLLM's
 * and llama.cpp's OpenAI servers, Ollama) answer the Batch API's routes with 404 or 405.
 */
export function describeBatchError(e: unknown, baseURL: string): string {
  const status = typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' ? (e as { status: number }).status : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (status === 404 || status === 405) {
    return `${baseURL} does not implement the OpenAI Batch API (files + batches; HTTP ${status}). For a vLLM model, run the exported shards with "python -m vllm.entrypoints.openai.run_batch" and import the outputs (docs/batch.md).`;
  }
  if (status === 401 || status === 403) return `${baseURL} refused the API key (HTTP ${status}): set the key for this endpoint.`;
  return `batch request to ${baseURL} failed: ${message}`;
}
