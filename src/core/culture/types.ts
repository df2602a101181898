// CultureLLM (Li et al. 2024) domain: seed questions with their answer scales, per-country WVS answer tables,
// cultures (a language + one or more countries) and their answer distributions. Plain data, JSON-serialisable.
import type { Lang } from '../model';

/** A labelled point of a seed question's scale, e.g. code 1 = "Strongly agree". */
export interface ScalePoint {
  code: number;
  label: string;
}

/** One of the 50 WVS seed questions, in the paper's layout (`Give me the answer from 1 to 4: … 1. … 2. …`). */
export interface SeedQuestion {
  /** WVS variable, e.g. `Q27`. */
  id: string;
  /** Answer codes run from min to max inclusive (0–2 for the recoded immigration items, 1–10 for science items). */
  min: number;
  max: number;
  /** Question text per language (without the scale preamble and the options). */
  text: Record<Lang, string>;
  /** Labelled scale points per language, in the order the paper lists them (not always ascending, some scales label only the ends). */
  options: Record<Lang, ScalePoint[]>;
  /** English only: codes as the paper printed them when it misprinted one (Q31), index-aligned with options.en. */
  printedCodes?: number[];
  /** English only: what closes the paper's option list (`.` or ` .`), to print its message verbatim. */
  end?: string;
}

/** One per-country WVS table (`<Language>_<Country>.csv`). */
export interface CountryTable {
  file: string;
  /** ISO numeric and alpha-3 codes of the rows, e.g. 368 / IRQ. */
  countryCode: number;
  countryAlpha: string;
  /** Question ids in column order. */
  questions: string[];
  /** Respondent rows (summary rows such as `Avg` excluded). */
  respondents: number;
  /** Per question: raw codes of every respondent in row order (negative = missing), one typed array per column. */
  codes: Record<string, Int16Array>;
  /** Summary rows the released files append (`Avg`, `Avg_First`, `Avg_Last`): label → question → value. */
  summaryRows: Record<string, Record<string, number>>;
}

/** How several countries of one culture are combined. */
export type Pooling = 'pooled' | 'equal';

export interface CultureCountry {
  /** Country table file (relative to the experiment file in specs). */
  file: string;
  /** Display name, e.g. `Iraq`. */
  name?: string;
}

/** A culture: a language plus one or more countries (CultureLLM: Arabic = Iraq + Jordan, …). */
export interface CultureSpec {
  id: string;
  /** Name per language, e.g. `{ en: "Arabic", ar: "العربية" }`: what the culture prompt says. */
  name: Record<Lang, string>;
  /** The culture's own language (its prompt template language by default). */
  lang: Lang;
  countries: CultureCountry[];
  /**
   * `pooled` (default): every respondent of every country counts once (larger countries weigh more);
   * `equal`: each country's distribution is computed first and the countries are averaged with equal weight.
   */
  pooling?: Pooling;
}

/** A culture's answers to one question. */
export interface QuestionTruth {
  questionId: string;
  /** Probability per code, index i = code min + i. All zero when nobody answered. */
  distribution: number[];
  /** Valid answers counted (pooled respondents). */
  answered: number;
  /** Missing / negative codes dropped, by code (e.g. `{"-1": 12, "-4": 1200}`). */
  missing: Record<string, number>;
  /** Most frequent code (ties → the lowest code); null when nobody answered. */
  majority: number | null;
  /** Mean of the valid codes; null when nobody answered. */
  mean: number | null;
}

export interface CultureTruth {
  cultureId: string;
  pooling: Pooling;
  respondents: number;
  questions: Record<string, QuestionTruth>;
}
