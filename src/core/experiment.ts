// The experiment file (`*.experiment.json`): conditions (template × language × model) × personas × questions ×
// paraphrase variants × samples. Paths are relative to the experiment file. Loading and validation live in
// src/core/run/ (the runner feature); these types are the contract every feature shares.
import type { Lang } from './model';

export interface ModelSpec {
  /** Name used by conditions, e.g. `gpt-4o-mini` or `replay-gpt35`. */
  id: string;
  /** `openai`: any OpenAI-compatible chat endpoint. `replay`: answers from recorded completions (paper format). */
  kind: 'openai' | 'replay';
  baseURL?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** Samples per item are requested with `n` when true (endpoint supports it), else with repeated calls. */
  useN?: boolean;
  systemPrompt?: string;
  pricePer1kInput?: number;
  pricePer1kOutput?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** replay: folder of recorded completions in the paper's format (`preds_q=…_lang=…_country=…json`). */
  completions?: string;
}

export interface ConditionSpec {
  /** Stable id, e.g. `ar-plain`. */
  id: string;
  label?: string;
  /** Template file, e.g. `prompts/persona.ar.hbs`. */
  template: string;
  lang: Lang;
  model: string;
}

export interface PersonaFilter {
  /** Only personas of these countries (lower case). */
  countries?: string[];
  /** Only these persona ids. */
  ids?: string[];
  /** At most this many (after the other filters, in file order). */
  limit?: number;
}

export interface ScoringSpec {
  profile?: 'paper' | 'strict';
  tieBreak?: 'expected' | 'first' | 'random';
  seed?: number;
  /** Drop items on which the persona's respondent and their twin in `twinCountry` gave the same answer. */
  sameAnswerFilter?: boolean;
  twinCountry?: string;
  /** Default pair of condition ids for the headline delta, e.g. ["en-plain", "ar-plain"] (second − first). */
  compare?: [string, string];
}

export interface ExperimentSpec {
  name: string;
  description?: string;
  /** Survey file (JSON/YAML workspace format). */
  survey: string;
  /** Personas file (JSONL or CSV). */
  personas: string;
  personaFilter?: PersonaFilter;
  /** Question ids, or "all". */
  questions?: string[] | 'all';
  /** Paraphrase variant indices (0-based); default all. */
  variants?: number[];
  /** Samples per (persona, question, variant, condition). */
  samples: number;
  models: ModelSpec[];
  conditions: ConditionSpec[];
  scoring?: ScoringSpec;
}
