// Input and output contracts of the results views. The input is a flat list of scored items (one per
// condition × persona × question × variant) so the views do not depend on how scoring computed them;
// `fromScoreReport.ts` adapts the scoring feature's output (src/core/score/) to it.

import type { RunStopRecord } from '../experiment';
import type { ScoreReport, ScoringSettings } from '../score/types';

/** What the run reader skipped in responses.jsonl, shown in the coverage line (never silently). */
export interface ReadSummary {
  file: string;
  duplicates: number;
  tornLastLine: boolean;
  /** Unreadable lines (1-based line, reason, field): not scored. */
  quarantined: Array<{ line: number; reason: string; field?: string }>;
}

/** The scoring report's statistics: the views take their means, deltas, CIs and p-values from here (one engine). */
export type ReportStats = Pick<ScoreReport, 'settings' | 'conditions' | 'groups' | 'deltas'>;

/** One condition of a run (template × language × model). */
export interface ResultsCondition {
  id: string;
  label: string;
  lang: string;
  model: string;
  template: string;
}

/** A persona as the results views group it: canonical (English) field values, as strings. */
export interface ResultsPersona {
  id: string;
  country: string;
  /** Grouping fields: region, sex, age (the bucket, e.g. `30–44`), marital_status, education, social_class. */
  fields: Record<string, string>;
  /** Raw age, shown in the table. */
  age?: number;
}

export interface ResultsQuestion {
  id: string;
  theme: string;
  scale: 'ordinal' | 'nominal';
}

/**
 * Why an item has no score: the model gave no parseable answer, the respondent has no answer, the
 * same-answer filter dropped it, the run has no response for it (yet), or a filter of scoring dropped it.
 */
export type DropReason = 'unparsed' | 'no-survey-answer' | 'same-answer' | 'no-response' | 'filtered';

/** One (condition, persona, question, variant) item, scored or dropped (never silently missing). */
export interface ScoredItem {
  condition: string;
  personaId: string;
  questionId: string;
  variant: number;
  /** Soft and hard alignment of the item (fractional when a tie was split with the `expected` rule). */
  soft?: number;
  hard?: number;
  /** Random baselines of the item. */
  rSoft?: number;
  rHard?: number;
  /** Majority-vote model answer and the respondent's answer (1-based option numbers). */
  modelAnswer?: number | null;
  surveyAnswer?: number | null;
  /** Set when the item is not scored. */
  dropped?: DropReason;
}

/** Everything the results views need about one run. */
export interface ResultsInput {
  runId: string;
  experimentName: string;
  createdAt: string;
  recorded: boolean;
  conditions: ResultsCondition[];
  personas: ResultsPersona[];
  questions: ResultsQuestion[];
  items: ScoredItem[];
  /** Default headline pair `[a, b]`: the delta is b − a (e.g. Arabic − English). */
  compare?: [string, string];
  /** Bootstrap seed (reproducible CIs). */
  seed?: number;
  /** Samples of the experiment and total requests, for the coverage line. */
  samples?: number;
  responses?: number;
  failedResponses?: number;
  /** Coverage per condition computed by scoring (its item funnel); replaces the counts derived from `items`. */
  coverage?: Record<string, Coverage>;
  /** The scoring report behind the items: when present, every number of the view comes from it. */
  stats?: ReportStats;
  read?: ReadSummary;
  /** Why a stop rule ended the run early (its manifest's `stop`). */
  stop?: RunStopRecord;
}

/** A mean with a 95% bootstrap confidence interval; `n` = clusters (personas) it is computed over. */
export interface Estimate {
  mean: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  /** Items behind the mean. */
  items: number;
}

export interface Coverage {
  items: number;
  scored: number;
  unparsed: number;
  noSurveyAnswer: number;
  sameAnswer: number;
  noResponse: number;
  /** Scored here but not in every compared condition (paper protocol: only common items count). */
  notCommon?: number;
}

export interface ConditionSummary {
  condition: ResultsCondition;
  soft: Estimate;
  hard: Estimate;
  rSoft: number | null;
  rHard: number | null;
  /** (score − random) / (1 − random). */
  softNorm: number | null;
  hardNorm: number | null;
  coverage: Coverage;
}

/** A paired delta b − a over the items valid in both conditions, bootstrap CI over personas. */
export interface PairedDelta {
  a: string;
  b: string;
  soft: Estimate;
  hard: Estimate;
  /** Two-sided bootstrap p-value of the soft delta (share of resamples on the other side of 0, × 2). */
  p: number | null;
  /** Personas whose soft alignment rose / fell / stayed. */
  gained: number;
  lost: number;
  unchanged: number;
}

export interface GroupRow {
  value: string;
  /** Personas in the group. */
  personas: number;
  perCondition: Record<string, Estimate>;
  delta: Estimate | null;
  /**
   * The delta's sign-flip p-value and its multiplicity-adjusted values within the breakdown (Holm, Benjamini–Hochberg),
   * from the scoring report; absent when the view has no report behind it.
   */
  test?: { p: number | null; pHolm: number | null; qBH: number | null };
}

export interface GroupBreakdown {
  field: string;
  label: string;
  groups: GroupRow[];
}

export interface PersonaRow {
  id: string;
  fields: Record<string, string>;
  age?: number;
  /** Mean soft alignment per condition (null when no scored item). */
  soft: Record<string, number | null>;
  /** Soft b − a on the items valid in both, null when none. */
  delta: number | null;
  /** Items behind the delta. */
  pairedItems: number;
}

/** A persona × question cell of the drill-down grid: soft alignment per condition (mean over variants). */
export interface PersonaQuestionCell {
  questionId: string;
  theme: string;
  soft: Record<string, number | null>;
  surveyAnswer: number | null;
}

export interface ResultsView {
  runId: string;
  experimentName: string;
  createdAt: string;
  recorded: boolean;
  conditions: ResultsCondition[];
  overview: ConditionSummary[];
  /** The pair the headline and deltas use: delta = b − a. Null with fewer than two conditions. */
  pair: [string, string] | null;
  headline: PairedDelta | null;
  breakdowns: GroupBreakdown[];
  /** False in the quick first view: group means are final, their CIs follow in the full view. */
  breakdownCIs?: boolean;
  personas: PersonaRow[];
  /** Grouping fields in display order (for the table columns and filters). */
  fields: Array<{ key: string; label: string }>;
  questions: ResultsQuestion[];
  samples?: number;
  responses?: number;
  failedResponses?: number;
  /** The scoring settings that produced the numbers (shown beside them, as the CLI does). */
  settings?: ScoringSettings;
  /** How the group tables' adjusted p-values are computed (from the report). */
  multiplicity?: { holm: string; bh: string; families: string };
  /** Why a stop rule ended the run early (from its manifest). */
  stop?: RunStopRecord;
  read?: ReadSummary;
}

/** Two runs side by side: for each condition id present in both, the paired delta after − before. */
export interface RunComparison {
  before: { runId: string; experimentName: string; createdAt: string };
  after: { runId: string; experimentName: string; createdAt: string };
  conditions: Array<{
    condition: string;
    before: Estimate;
    after: Estimate;
    delta: PairedDelta;
  }>;
  /** Per persona: soft after − before per shared condition. */
  personas: Array<{ id: string; fields: Record<string, string>; delta: Record<string, number | null> }>;
  /** Conditions only in one of the runs (not compared). */
  unmatched: string[];
}

/** A flat table for export (CSV/JSON) and the HTML report. */
export interface ExportTable {
  name: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

/** One sampled reply in the drill-down. */
export interface DrillSample {
  sample: number;
  text: string | null;
  /** Parsed option number (1-based), null when unparsed. */
  parsed: number | null;
  /** Parser rule or the reason it failed (from scoring), when known. */
  how?: string;
  error?: string;
}

/** Everything about one persona × question cell: prompts, raw replies, parses, votes, the real answer. */
export interface DrillDown {
  personaId: string;
  questionId: string;
  theme: string;
  /** Persona fields (canonical) for the header. */
  fields: Record<string, string>;
  /** Option labels per language (1-based numbering in the UI). */
  options: Record<string, string[]>;
  /** The respondent's real answer (1-based) and its label, null when missing. */
  surveyAnswer: number | null;
  conditions: Array<{
    condition: string;
    label: string;
    lang: string;
    template: string;
    /** 1-based line in the template where the question is laid out (for "Open template"). */
    templateLine: number;
    variants: Array<{
      variant: number;
      /** The rendered prompt messages, when they could be re-rendered. */
      prompt: Array<{ role: string; content: string }> | null;
      samples: DrillSample[];
      /** Voted answer(s) with weights, from scoring; empty when the item was dropped. */
      votes: Array<{ answer: number; weight: number }>;
      soft: number | null;
      hard: number | null;
      dropped?: DropReason;
    }>;
  }>;
}
