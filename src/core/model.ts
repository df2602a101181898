// The domain model shared by every part of core (see docs/architecture.md, "Data flow").
// Plain data only: everything here serialises to JSON unchanged.

/** A language code such as `en` or `ar`; more can be added without code changes. */
export type Lang = string;

/** How answers of a question relate: ordinal answers have a distance, nominal ones only equality. */
export type ScaleKind = 'ordinal' | 'nominal';

export interface Question {
  /** Survey variable id, e.g. `Q19`. */
  id: string;
  /** Theme / section the question belongs to, e.g. `Social Values, Attitudes & Stereotypes`. */
  theme: string;
  /** Short description per language. */
  description: Record<Lang, string>;
  scale: ScaleKind;
  /** Option labels in order, per language; every language has the same number of options. */
  options: Record<Lang, string[]>;
  /** 0-based index of the "Don't know" option, or null when the question has none. */
  dontKnowIndex: number | null;
  /** Paraphrase variants of the question text, per language (variant i in one language translates variant i in another). */
  variants: Record<Lang, string[]>;
  /**
   * The respondents column its real answers come from when importing a survey CSV (WVS `"<code> <label>"` headers):
   * a variable code such as `EG_Q78A` (or a full header) for every country, or per country key. Absent: the
   * paper authors' rule (the last column matching `Q<n>`, see core/survey/answerColumns.ts).
   */
  column?: string | Record<string, string>;
}

export interface Survey {
  /** Where it was loaded from (for diagnostics). */
  source?: string;
  questions: Question[];
}

/** Demographic values of a persona, in one language, as they appear in a prompt. */
export interface PersonaValues {
  region: string;
  sex: string;
  age: number;
  country: string;
  marital_status: string;
  education: string;
  social_class: string;
  [field: string]: string | number;
}

/** A persona is a real survey respondent: demographics (per language) plus their real answers. */
export interface Persona {
  /** Stable id, e.g. `egypt-0007`. */
  id: string;
  /** Country key, lower case, e.g. `egypt`, `united states`. */
  country: string;
  /** Demographic values per language; `values.en` is the canonical one used for grouping. */
  values: Record<Lang, PersonaValues>;
  /** Real answers: question id → 1-based option number in the question's option order; null = missing. */
  answers: Record<string, number | null>;
}

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Where a problem is, for diagnostics. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic extends SourceLocation {
  severity: Severity;
  message: string;
  /** Machine-readable kind, e.g. `template.unknown-variable`. */
  code: string;
  /** The field / variable / column concerned, when there is one. */
  field?: string;
}
