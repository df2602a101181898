// The culture experiment file (`*.culture.json`, JSON or YAML): CultureLLM's evaluation as an experiment. Conditions
// are culture × model × prompt template; every condition asks each selected seed question (and, optionally, its
// accepted paraphrases) `samples` times. Paths are relative to the file. Parsed by parseCultureExperiment.ts.
import type { ModelSpec, RunManifest } from '../experiment';
import type { CultureSpec } from './types';

/** The paper's seed questions: a seed survey file (`*.seeds.json`) or the paper's fine-tuning file + a table for the ids. */
export type SeedSource = string | { jsonl: string; table: string; translations?: string };

/** Which seed questions are asked: all, a list, or one part of a held-out split written by `finetune-data`. */
export type QuestionSelection = 'all' | string[] | { split: string; part: 'train' | 'heldOut' };

/** Semantic augmentation (CultureLLM §3.2): paraphrase seeds, keep those close to the seed in embedding space. */
export interface AugmentationSpec {
  /** The decisions file (`*.augment.json`): candidates, similarities, review decisions. */
  file: string;
  /** The model that writes paraphrases (any OpenAI-compatible chat endpoint). */
  model?: ModelSpec;
  /** The OpenAI-compatible `/v1/embeddings` endpoint and model. */
  embeddings?: { baseURL: string; model: string; apiKeyEnv?: string };
  /** Paraphrases asked per seed (default 5). */
  k?: number;
  /** Minimum cosine similarity to the seed (default 0.8). */
  tau?: number;
  /** Also require that the paraphraser answers the paraphrase as it answers the seed (majority of `checkSamples`). */
  checkAnswers?: boolean;
  checkSamples?: number;
  /** Prompt template of the paraphrase request (default `prompts/paraphrase.en.hbs`). */
  prompt?: string;
}

export interface CultureScoringSpec {
  /** Bootstrap resamples (default 1000), seed (default 1) and level (default 0.95) of the CIs. */
  resamples?: number;
  seed?: number;
  level?: number;
  /** Default pair of model ids for the paired deltas, e.g. ["base", "tuned"] (second − first). */
  compare?: [string, string];
}

export interface CultureExperimentSpec {
  kind: 'culture';
  name: string;
  description?: string;
  seeds: SeedSource;
  cultures: CultureSpec[];
  models: ModelSpec[];
  /** Prompt templates; `{lang}` is replaced by each culture's language (default `prompts/culture.{lang}.hbs`). */
  templates: string[];
  questions: QuestionSelection;
  /** `seeds`: the seed text only (default); `all`: the seed and every accepted paraphrase of the augmentation file. */
  variants: 'seeds' | 'all';
  samples: number;
  augmentation?: AugmentationSpec;
  scoring?: CultureScoringSpec;
}

/** One condition: a culture asked by a model through a template (in the template's language). */
export interface CultureCondition {
  /** `arabic/base`, or `arabic/base/culture.en` when the experiment has several templates. */
  id: string;
  cultureId: string;
  model: string;
  /** The template path with `{lang}` filled in, relative to the experiment file. */
  template: string;
  /** The experiment's template entry it came from (`prompts/culture.{lang}.hbs`): conditions of one pattern compare. */
  pattern: string;
  /** Language of the template (its `.xx.hbs` suffix, else the culture's language). */
  lang: string;
}

/**
 * A culture run's manifest: the run engine's manifest (so every run reader works on it) with the conditions
 * spelled out, plus the culture experiment it was made from. Culture runs live in `.alignment/culture-runs/`.
 */
export interface CultureRunManifest extends RunManifest {
  kind: 'culture';
  culture: CultureExperimentSpec;
  conditions: CultureCondition[];
  /** What the requests depended on beyond the spec (seed texts, paraphrases, templates): resume needs the same. */
  digest: string;
}

/** Where a culture experiment's runs go: `<experiment folder>/.alignment/culture-runs`. */
export const CULTURE_RUNS_DIR = '.alignment/culture-runs';
