// The experiment file (`*.experiment.json`): conditions (template × language × model) × personas × questions ×
// paraphrase variants × samples. Paths are relative to the experiment file. Loading and validation live in
// src/core/run/ (the runner feature); these types are the contract every feature shares.
import type { Lang } from './model';
import type { StopDecision, StopRules } from './stop/stopRules';

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
  /** Fraction off the price for requests sent through a batch API (OpenAI Batch: 0.5); 0 when absent. */
  batchDiscount?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** replay: folder of recorded completions in the paper's format (`preds_q=…_lang=…_country=…json`). */
  completions?: string;
  /** CLI only: name of the environment variable holding this endpoint's key (default `OPENAI_API_KEY`); used for this origin only. */
  apiKeyEnv?: string;
}

export interface ConditionSpec {
  /** Stable id, e.g. `ar-plain`. */
  id: string;
  label?: string;
  /** Template file, e.g. `prompts/persona.ar.hbs`. */
  template: string;
  lang: Lang;
  model: string;
  /**
   * Replies reason first and give the answer last (e.g. the paper's anthropological prompting): scoring parses
   * the last non-empty line first. Declared here, never guessed from the template's name.
   */
  reasoning?: boolean;
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
  /** Anytime-valid early stopping of the headline comparison (docs/early-stopping.md). */
  stop?: StopRules;
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

// ---- Run store contract (`.alignment/runs/<run-id>/`) -----------------------------------------------------
// `manifest.json` (RunManifest) + `responses.jsonl` (one ResponseRecord per line, append-only, never rewritten).
// Written by the run engine (src/core/run/), read by scoring (src/core/score/) and results (src/core/results/).

export interface RunManifest {
  runId: string;
  /** Experiment file the run came from (relative to the workspace), and a snapshot of its spec. */
  experimentFile?: string;
  experiment: ExperimentSpec;
  createdAt: string;
  /** Total requests planned (after expansion), for progress and completeness checks. */
  plannedRequests: number;
  /** Recorded answers (replay models) are labelled as such in every view. */
  recorded?: boolean;
  status?: 'running' | 'completed' | 'cancelled' | 'failed' | 'stopped';
  finishedAt?: string;
  /** Why and when a stop rule (`scoring.stop`) ended the run early; kept when a resume continues past it. */
  stop?: RunStopRecord;
}

/** The manifest's record of an early stop. Deltas and intervals are fractions (× 100 = points). */
export interface RunStopRecord extends StopDecision {
  /** ISO time of the stop. */
  at: string;
  /** Personas in the confidence sequence (done, in the run's seeded persona order) and in the plan. */
  personas: number;
  personasPlanned: number;
  /** Requests made in the run (replay lookups count, cache hits do not), samples it holds, cost in USD. */
  requests: number;
  samples: number;
  cost: number;
  /** The headline pair (delta = b − a), its estimate and confidence sequence at the stop. */
  pair: [string, string] | null;
  delta: number | null;
  interval: [number, number] | null;
  method: string;
  alpha: number;
  /** Seed of the persona order. */
  seed: number;
  /** Set when a resume continued past this stop (`--ignore-stop`, "Continue Past Stop"). */
  continuedAt?: string;
}

/** One completed request = one sample of one (condition, persona, question, variant). */
export interface ResponseRecord {
  /** Stable request hash (model, params, rendered messages, sample index): the key for cache, resume, dedupe. */
  hash: string;
  condition: string;
  model: string;
  lang: string;
  personaId: string;
  questionId: string;
  variant: number;
  sample: number;
  /** Raw reply text; null when the request failed for good (see error). */
  text: string | null;
  error?: string;
  /** Parsed option number at write time (informational: scoring re-parses from `text`). */
  parsed?: number | null;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  /** Served from the cache / recorded answers rather than a live request. */
  cached?: boolean;
  /** A cache hit: the id of the run the answer was first stored in (only runs with a valid manifest feed the cache). */
  cachedFrom?: string;
  /** Answered through a batch job (OpenAI Batch API, vLLM run_batch) and imported, not a live request. */
  via?: 'batch';
  /** Epoch ms when completed. */
  t: number;
}
