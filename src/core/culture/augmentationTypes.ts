// The augmentation decisions file's types, free of Node imports (the review webview uses them).

export type CandidateStatus = 'pending' | 'accepted' | 'rejected';

export interface AnswerCheck {
  /** Majority answer code of the checking model to the seed and to the paraphrase (null: no parsable answer). */
  seed: number | null;
  paraphrase: number | null;
  agree: boolean;
}

export interface AugmentCandidate {
  /** Stable id: `<question>#<n>` (n counts the candidates ever generated for the question). */
  id: string;
  questionId: string;
  lang: string;
  /** The paraphrase as generated. */
  text: string;
  /** Cosine similarity of its embedding to the seed's; null when not embedded. */
  similarity: number | null;
  /** Similarity ≥ τ (and, when checked, the same answer as the seed). */
  passed: boolean;
  /** Why it did not pass, e.g. "similarity 0.71 < τ 0.80". */
  reason?: string;
  answerCheck?: AnswerCheck;
  status: CandidateStatus;
  /** The reviewer's wording, used instead of `text` once accepted. */
  edited?: string;
  /** Who decided: the reviewer, or `auto` (accept every candidate that passed). */
  decidedBy?: 'review' | 'auto';
}

export interface DecisionChange {
  id: string;
  before: Pick<AugmentCandidate, 'status' | 'edited' | 'decidedBy'>;
  after: Pick<AugmentCandidate, 'status' | 'edited' | 'decidedBy'>;
  at: string;
}

export interface AugmentationSettings {
  model: string;
  embeddingModel: string;
  k: number;
  tau: number;
  checkAnswers: boolean;
  prompt: string;
}

export interface AugmentationFile {
  version: 1;
  /** The seed text each candidate paraphrases (question id → text), to show seed and paraphrase side by side. */
  seeds: Record<string, string>;
  settings: AugmentationSettings;
  candidates: AugmentCandidate[];
  history: DecisionChange[];
  updatedAt?: string;
}

export interface ReviewProgress {
  total: number;
  pending: number;
  accepted: number;
  rejected: number;
  passed: number;
  edited: number;
}
