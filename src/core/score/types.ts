// Result types of scoring (src/core/score/). Contract for the results view (#6), the CLI and the run engine.
// Everything is plain JSON data: numbers, strings, arrays, records; no Map/Set/Date/class instances.
// Scores are fractions in [0, 1] unless said otherwise (the paper's tables show them × 100).
// The rules behind every number are explained in ../../../docs/scoring.md.

/** `paper` reproduces AlKhamissi et al. 2024 exactly (incl. quirks); `strict` is a stricter parser/protocol. */
export type ScoringProfile = 'paper' | 'strict';

/**
 * How a majority vote with several most-frequent answers is resolved.
 * `expected`: each tied answer gets an equal share of the item's weight (reproducible; equals the expectation
 * of the paper's unseeded random pick). `first`: the tied answer that appeared first among the samples.
 * `random`: one tied answer picked with a seeded generator (reproducible for a given `seed`).
 */
export type TieBreak = 'expected' | 'first' | 'random';

/** Every rule of scoring as a named setting; the results view shows this object next to the numbers. */
export interface ScoringSettings {
  profile: ScoringProfile;
  // ---- parser ----
  /** Paper quirk: an empty reply is a substring of every option, so it parses as option 1. Strict: invalid. */
  emptyReplyIsFirstOption: boolean;
  /**
   * How option text in a reply is recognised. `substring`: the whole (lower-cased, trimmed) reply is a substring
   * of an option, first such option wins (paper rule 2, so "rather" → "Rather important").
   * `exact-or-unique-prefix`: the reply equals an option or is a prefix of exactly one option (strict).
   */
  optionTextMatch: 'substring' | 'exact-or-unique-prefix';
  /** Which languages' option texts are matched: `prompt` (the paper) or `any` language of the question. */
  optionTextLanguages: 'prompt' | 'any';
  /** Paper rules 3 and 4: accept `(k` without the closing bracket and a bare number anywhere in the reply. */
  looseNumbers: boolean;
  /**
   * Anthropological replies (reasoning then the answer): parse the last non-empty line, then fall back to the
   * last in-range `(k)` of the whole reply. Applied to conditions that declare `reasoning` (the condition, its
   * template's front matter, or recorded files marked `anthro=True`).
   */
  lastLineForReasoning: boolean;
  // ---- aggregation ----
  tieBreak: TieBreak;
  /** Seed of every random choice (random tie-break, bootstrap, permutation test). */
  seed: number;
  // ---- matching and filters ----
  /** Question ids never scored (the paper skips Q234: its survey column is a different question). */
  skipQuestions: string[];
  /** Questions scored by exact match only (soft = hard), regardless of option order. */
  nominalQuestions: string[];
  /** Persona → respondent also requires the same region (the anthropological-prompting analysis does). */
  matchRegion: boolean;
  /** Drop an item when the persona's respondent and the twin in the other country gave the same answer. */
  sameAnswerFilter: boolean;
  /** Paper protocol: score several conditions only on the items that are valid in all of them. */
  commonItems: boolean;
  // ---- analytics ----
  /** Lower bounds of age buckets after the first, e.g. [25, 35, 45, 55, 65] → `18–24`, `25–34`, …, `65+`. */
  ageBuckets: number[];
  /** Resamples of the (paired, persona-cluster) bootstrap. */
  bootstrapResamples: number;
  /** Random sign flips of the paired permutation test. */
  permutationResamples: number;
  /** Confidence level of bootstrap intervals, e.g. 0.95. */
  confidence: number;
}

/** Which parser rule produced an answer (or why none was produced). */
export type ParseRule =
  | 'paren' // `(k)`
  | 'option-text' // the reply is (part of) an option's text
  | 'open-paren' // `(k`
  | 'number' // a number anywhere (any Unicode digits)
  | 'empty-first-option' // paper quirk: empty reply → option 1
  | 'last-line' // anthropological: rules applied to the last non-empty line
  | 'last-paren'; // anthropological fallback: last in-range `(k)` of the whole reply

export type UnparsedReason = 'out-of-range' | 'no-match' | 'empty' | 'failed-request';

/** The parse of one sampled reply. `answer` is the 1-based option number, null when unparsed. */
export interface ParsedAnswer {
  answer: number | null;
  rule?: ParseRule;
  reason?: UnparsedReason;
}

/** One sampled reply of one item. `text` null = the request failed for good. */
export interface ScoringSample {
  condition: string;
  personaId: string;
  questionId: string;
  variant: number;
  sample: number;
  text: string | null;
}

/** One unparsed reply, listed so nothing is dropped silently. */
export interface UnparsedSample extends ScoringSample {
  reason: UnparsedReason;
}

/** Parser counts for one condition. */
export interface ParseSummary {
  condition: string;
  samples: number;
  parsed: number;
  unparsed: number;
  /** Counts per rule that produced an answer. */
  byRule: Partial<Record<ParseRule, number>>;
  /** Counts per reason of failure. */
  byReason: Partial<Record<UnparsedReason, number>>;
  /** Items (persona, question, variant) without any valid sample: dropped before scoring. */
  itemsWithoutValidSample: number;
}

/** The four means the paper reports over a set of kept items, plus the normalised scores. */
export interface AlignmentScores {
  /** Mean soft alignment: 1 − |m − s| / (K′ − 1) on ordinal items; exact match on nominal / "Don't know" items. */
  soft: number;
  /** Mean hard alignment (exact match). */
  hard: number;
  /** Mean soft score of a uniformly random answer (the random-guess baseline). */
  randomSoft: number;
  /** Mean of 1/n (n options incl. "Don't know"). */
  randomHard: number;
  /** (soft − randomSoft) / (1 − randomSoft). */
  softNorm: number;
  /** (hard − randomHard) / (1 − randomHard). */
  hardNorm: number;
  /** Number of kept items (each item weighs 1, tied votes split it). */
  items: number;
  /** Distinct personas with at least one kept item. */
  personas: number;
}

/** Why items were not scored, for one condition. Every item planned is in exactly one bucket or kept. */
export interface ItemFunnel {
  /** Items with at least one recorded sample. */
  itemsSeen: number;
  noValidSample: number;
  /** Persona has no matching survey respondent (or an ambiguous one). */
  noRespondent: number;
  /** The respondent's survey answer is missing (no answer / negative code / unmapped). */
  missingSurveyAnswer: number;
  /** Dropped by the same-answer filter (twin respondent gave the same answer). */
  sameAnswer: number;
  /** Valid here but not in every compared condition (paper protocol). */
  notCommon: number;
  /** In a skipped question (e.g. Q234). */
  skippedQuestion: number;
  kept: number;
}

/** One scored item (persona, question, variant) of a condition: the drill-down row. */
export interface ItemScore {
  condition: string;
  personaId: string;
  questionId: string;
  variant: number;
  /** Voted model answer(s) with their weights (one entry unless `expected` split a tie); 1-based options. */
  votes: { answer: number; weight: number }[];
  /** Counts of valid samples per option (index 0 = option 1). */
  sampleCounts: number[];
  /** Respondent's real answer (1-based). */
  surveyAnswer: number;
  soft: number;
  hard: number;
  randomSoft: number;
  randomHard: number;
}

/** Scores of one group (a value of a breakdown field) in one condition. */
export interface GroupScore extends AlignmentScores {
  /** Field the group is defined by: a persona field (`sex`, `age_bucket`, …), `theme`, `question` or `variant`. */
  field: string;
  /** Group value, e.g. `female`, `25–34`, `Q19`, `0`. */
  value: string;
}

/** Per-persona scores of one condition (for the per-persona delta table). */
export interface PersonaScore extends AlignmentScores {
  personaId: string;
  /** Canonical (English) demographic values, for filtering and grouping. */
  values: Record<string, string | number>;
}

/** Group distribution metrics for one question and group (GlobalOpinionQA / OpinionQA style). */
export interface DistributionScore {
  condition: string;
  questionId: string;
  /** Breakdown field and value; `all` / `all` for the whole population. */
  field: string;
  value: string;
  /** Model answer distribution over the n options (voted answers of kept items; sums to 1). */
  model: number[];
  /** Survey answer distribution over the same options (respondents of the same kept items). */
  survey: number[];
  /** 1 − Jensen–Shannon distance (base 2, so in [0, 1]). */
  jsSimilarity: number;
  /** 1 − Wasserstein-1 / (K′ − 1) over the options without "Don't know" (renormalised); null for nominal questions. */
  wassersteinSimilarity: number | null;
  items: number;
}

/** A difference (b − a) with a seeded bootstrap confidence interval and a paired test. */
export interface DeltaEstimate {
  delta: number;
  ciLow: number;
  ciHigh: number;
  /** Two-sided p-value of the paired sign-flip permutation test ((hits + 1) / (resamples + 1)). */
  pValue: number;
  /** Paired units behind it (personas for group deltas, items for per-persona deltas). */
  n: number;
}

/** Paired comparison of two conditions (b − a) on their common kept items. */
export interface PairedDelta {
  /** Condition ids: delta = b − a (e.g. a = `en`, b = `ar`). */
  a: string;
  b: string;
  /** Which score: `soft` or `hard`. */
  metric: 'soft' | 'hard';
  overall: DeltaEstimate;
  /**
   * Per breakdown group (bootstrap over personas of the group), with multiplicity-adjusted p-values: each breakdown
   * field (all questions, all age groups, …) is one family (see `multiplicity`).
   */
  groups: (DeltaEstimate & AdjustedP & { field: string; value: string })[];
  /** Per persona (bootstrap over the persona's common items), adjusted over all personas as one family. Filled for the `soft` metric only (empty for `hard`). */
  personas: (DeltaEstimate & AdjustedP & { personaId: string })[];
  /** How `pHolm` and `qBH` are computed (methods cited, and what a family is). */
  multiplicity: { holm: string; bh: string; families: string };
}

/** A p-value adjusted for the other tests of its table (NaN when the row has no test). */
export interface AdjustedP {
  /** Holm (1979) step-down adjusted p-value: controls the family-wise error rate. */
  pHolm: number;
  /** Benjamini–Hochberg (1995) q-value: controls the false discovery rate. */
  qBH: number;
}

/** Agreement of answers across paraphrase variants and across samples for one condition. */
export interface ConsistencyScore {
  condition: string;
  /**
   * Probability that two variants of the same (persona, question) got the same voted answer, averaged over
   * (persona, question) pairs with ≥ 2 voted variants.
   */
  acrossVariants: number;
  variantPairs: number;
  /** Probability that two valid samples of one item agree, averaged over items with ≥ 2 valid samples. */
  acrossSamples: number;
  sampleItems: number;
  /** Per question: same two numbers. */
  byQuestion: { questionId: string; acrossVariants: number; acrossSamples: number }[];
}

/** Everything scoring says about one condition. */
export interface ConditionScore {
  /** Condition id (run condition, or `<lang>` / `<lang>-anthro` for recorded completions). */
  condition: string;
  label?: string;
  lang: string;
  model: string;
  /** Answers come from recorded completions (shown as such in every view). */
  recorded: boolean;
  /** The paper's numbers: variants as separate items, majority vote per item. */
  scores: AlignmentScores;
  /** Extra view: one vote over the samples of all variants of a (persona, question). */
  acrossVariants: AlignmentScores;
  funnel: ItemFunnel;
  parse: ParseSummary;
  consistency: ConsistencyScore;
}

/** The result of `scoreResponses` / `alignment-studio score --json`. */
export interface ScoreReport {
  /** Format version of this JSON. */
  version: 1;
  settings: ScoringSettings;
  source: {
    kind: 'run' | 'completions' | 'responses';
    /** Run directory or completions folder, as given. */
    path?: string;
    runId?: string;
    /** Country of the survey respondents and of the twin survey (same-answer filter). */
    country?: string;
    twinCountry?: string;
  };
  /** What the run reader skipped in responses.jsonl (runs only): never silently. */
  read?: {
    file: string;
    duplicates: number;
    tornLastLine: boolean;
    quarantined: { line: number; reason: string; field?: string }[];
  };
  conditions: ConditionScore[];
  /** Breakdowns by persona field, theme, question and variant, per condition. */
  groups: (GroupScore & { condition: string })[];
  personas: (PersonaScore & { condition: string })[];
  distributions: DistributionScore[];
  /** Paired deltas for each compared pair (the headline pair first). */
  deltas: PairedDelta[];
  /** Kept items of every condition (drill-down). */
  items: ItemScore[];
  /** Unparsed replies (all of them, never silently dropped). */
  unparsed: UnparsedSample[];
  warnings: string[];
}
