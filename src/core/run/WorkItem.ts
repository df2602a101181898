import type { ChatMessage, PersonaValues } from '../model';
import type { ModelSpec } from '../experiment';

/** One (condition, persona, question, variant) with its rendered prompt and the hash of each sample. */
export interface WorkItem {
  condition: string;
  model: ModelSpec;
  lang: string;
  personaId: string;
  /** The persona's demographic values in the prompt language (the replay model's lookup key). */
  personaValues?: PersonaValues;
  questionId: string;
  variant: number;
  messages: ChatMessage[];
  /** Every planned sample; the engine skips the ones already answered. */
  samples: { sample: number; hash: string }[];
  /** Option labels in the prompt language (for parsing the answer at write time). */
  options?: string[];
}

export interface CompletionRequest {
  item: WorkItem;
  /** Number of samples wanted from this call (`n`; 1 for repeated calls). */
  n: number;
  signal: AbortSignal;
  /** Which sample indices this call answers (replay uses them to pick the recorded sample). */
  sampleIndices: number[];
}

export interface CompletionResult {
  /** One text per requested sample, in order. */
  texts: string[];
  inputTokens?: number;
  outputTokens?: number;
}

/** Something that answers requests for one model: an OpenAI-compatible endpoint or recorded completions. */
export interface Completer {
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Answers come from recordings, not a live model (labelled as such in every view). */
  readonly recorded: boolean;
}
