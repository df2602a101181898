import type { ExperimentSpec } from '../experiment';
import type { BatchExportManifest } from './exportBatch';

/** The output file name vLLM run_batch should write for a shard (`<shard>.output.jsonl`). */
export const outputFileOf = (shard: string): string => shard.replace(/\.jsonl$/, '') + '.output.jsonl';

/**
 * One `python -m vllm.entrypoints.openai.run_batch` command per shard (shard i on GPU node i), run in the folder
 * that holds the shard. `--model` is the model name the requests carry (run_batch serves the requests whose
 * `model` it serves; with weights at another path, give that path and `--served-model-name <this name>`).
 */
export function vllmRunBatchCommands(manifest: BatchExportManifest, spec: ExperimentSpec): string[] {
  return manifest.shards.map((s) => {
    const m = spec.models.find((x) => x.id === s.model);
    const name = m?.model ?? s.model;
    return `python -m vllm.entrypoints.openai.run_batch -i ${s.file} -o ${outputFileOf(s.file)} --model ${name}`;
  });
}
