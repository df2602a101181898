import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../batch/writeJsonAtomic';
import { InputError } from '../errors';
import { createOpenAICompleter, type KeyLookup } from '../run/createOpenAICompleter';
import { acceptPassing, emptyAugmentation, parseAugmentationFile, type AugmentationFile } from './augmentationFile';
import { applyThreshold, augmentSeeds, loadParaphrasePrompt, type AugmentResult } from './augmentSeeds';
import { createEmbedder } from './createEmbedder';
import type { OpenedCultureExperiment } from './openCultureExperiment';

export const DEFAULT_TAU = 0.8;
export const DEFAULT_K = 5;
export const DEFAULT_PARAPHRASE_PROMPT = 'prompts/paraphrase.en.hbs';

/** Reads the experiment's decisions file, or an empty one with its settings when it does not exist yet. */
export function loadAugmentation(exp: OpenedCultureExperiment): { file: string; augmentation: AugmentationFile; exists: boolean } {
  const a = exp.spec.augmentation;
  if (!a) throw new InputError('the experiment has no "augmentation" (its decisions "file", the paraphrase "model" and the "embeddings" endpoint)', { file: exp.file, line: 1, column: 1 }, 'augmentation');
  const file = exp.resolve(a.file);
  if (existsSync(file)) return { file, augmentation: parseAugmentationFile(readFileSync(file, 'utf8'), file), exists: true };
  return {
    file, exists: false,
    augmentation: emptyAugmentation({ model: a.model?.model ?? a.model?.id ?? '', embeddingModel: a.embeddings?.model ?? '', k: a.k ?? DEFAULT_K, tau: a.tau ?? DEFAULT_TAU, checkAnswers: a.checkAnswers ?? false, prompt: a.prompt ?? DEFAULT_PARAPHRASE_PROMPT }),
  };
}

/** Writes a decisions file (write-then-rename: a reader never sees half of it). */
export function saveAugmentation(file: string, a: AugmentationFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeJsonAtomic(file, a);
}

export interface AugmentExperimentOptions {
  keys: KeyLookup;
  /** Seed question ids to augment (default: the experiment's questions). */
  questions?: string[];
  k?: number;
  /** τ: overrides the experiment's (e.g. the alignmentStudio.augment.tau setting or --tau). */
  tau?: number;
  checkAnswers?: boolean;
  more?: boolean;
  /** Accept every candidate that passed (the paper's automatic filter), instead of leaving them for review. */
  acceptPassing?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; questionId: string; candidates: number }) => void;
  log?: (m: string) => void;
}

/**
 * Semantic augmentation of a culture experiment's seeds with its configured paraphrase model and embeddings
 * endpoint; the new candidates (and τ re-applied to the earlier ones) are saved to the decisions file.
 */
export async function augmentExperiment(exp: OpenedCultureExperiment, options: AugmentExperimentOptions): Promise<AugmentResult & { path: string }> {
  const spec = exp.spec.augmentation;
  const { file, augmentation } = loadAugmentation(exp);
  if (!spec?.model) throw new InputError('"augmentation" needs a "model": the chat endpoint that writes the paraphrases', { file: exp.file, line: 1, column: 1 }, 'model');
  if (!spec.embeddings) throw new InputError('"augmentation" needs "embeddings": { "baseURL", "model" } of an OpenAI-compatible /v1/embeddings endpoint', { file: exp.file, line: 1, column: 1 }, 'embeddings');
  const byId = new Map(exp.seeds.map((q) => [q.id, q]));
  const seeds = options.questions
    ? options.questions.map((id) => byId.get(id) ?? (() => { throw new RangeError(`no seed question "${id}"`); })())
    : exp.questions;
  const tau = options.tau ?? spec.tau ?? DEFAULT_TAU;
  const checkAnswers = options.checkAnswers ?? spec.checkAnswers ?? false;
  const prompt = await loadParaphrasePrompt(exp.resolve(spec.prompt ?? DEFAULT_PARAPHRASE_PROMPT));
  const completer = await createOpenAICompleter(spec.model, options.keys);
  const embed = await createEmbedder(spec.embeddings, options.keys);
  const result = await augmentSeeds(applyThreshold(augmentation, tau, checkAnswers), seeds, {
    promptFile: exp.resolve(spec.prompt ?? DEFAULT_PARAPHRASE_PROMPT), promptSource: prompt.source, partials: prompt.partials,
    completer, model: spec.model, embed, k: options.k ?? spec.k ?? DEFAULT_K, tau, checkAnswers, checkSamples: spec.checkSamples,
    more: options.more, signal: options.signal, onProgress: options.onProgress, log: options.log,
  });
  result.file.settings.model = spec.model.model ?? spec.model.id;
  result.file.settings.embeddingModel = spec.embeddings.model;
  result.file.settings.prompt = spec.prompt ?? DEFAULT_PARAPHRASE_PROMPT;
  if (options.acceptPassing) result.file = acceptPassing(result.file);
  saveAugmentation(file, result.file);
  return { ...result, path: file };
}
