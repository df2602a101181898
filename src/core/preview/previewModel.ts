// The preview's view model: plain JSON data the host computes (pure, in core) and the webview draws.
// Shared by src/core/preview/*, src/shared/protocol.ts and webview/preview/*; no behaviour here.
import type { ChatMessage, Diagnostic, Lang } from '../model';
import type { TokenEncoding } from '../run/tokenizer';

/** BPE encodings the preview can count with (gpt-tokenizer). */
export type { TokenEncoding };

/** Which panes are visible. */
export type PaneMode = 'both' | 'en' | 'ar';

/** One language's rendering of the template pair. */
export interface PreviewPane {
  lang: Lang;
  /** Writing direction of the language (`rtl` for Arabic). */
  dir: 'ltr' | 'rtl';
  /** Workspace-relative template path, e.g. `prompts/persona.ar.hbs`. */
  file: string;
  /** False when the pair's file for this language does not exist (the pane says so). */
  exists: boolean;
  /** The chat messages exactly as they will be sent. */
  messages: ChatMessage[];
  /** Problems of this template (the same ones the Problems panel shows). */
  diagnostics: Diagnostic[];
  /** Set when the template could not be rendered; the pane shows it instead of a blank area. */
  error?: string;
  /** Input tokens of the request (messages + chat framing); null while the tokenizer loads. */
  tokens: number | null;
  /** Estimated cost of one request in the model's currency (input + at most maxTokens output); null without a price. */
  cost: number | null;
}

/** A row of the variables table: one leaf value of the template context, per language. */
export interface VariableRow {
  /** Dotted path as written in a template, e.g. `persona.sex` or `options.0`. */
  path: string;
  /** Display value per language (absent when that language's context lacks the path). */
  values: Record<Lang, string>;
  /** JavaScript type of the value (`string`, `number`, `boolean`, `null`, `array`). */
  type: string;
}

/** A persona in the picker; `search` is the normalised text every field contributes to. */
export interface PersonaOption {
  id: string;
  country: string;
  /** Short human label, e.g. `Female, 34, Married — Cairo, Egypt`. */
  label: string;
  /** field → value (English values, plus `ar.<field>` for Arabic), for `field:value` searches. */
  fields: Record<string, string>;
  /** Lower-cased, normalised concatenation of id, country and every value in every language. */
  search: string;
}

export interface QuestionOption {
  id: string;
  /** `Q19 — Neighbours: people of a different race`. */
  label: string;
  theme: string;
  /** Number of paraphrase variants (the smallest over the pair's languages). */
  variants: number;
}

/** A model the token/cost estimate can be computed for. */
export interface ModelOption {
  id: string;
  /** Model name at the endpoint, when known (chooses the tokenizer). */
  model?: string;
  encoding: TokenEncoding;
  pricePer1kInput: number | null;
  pricePer1kOutput: number | null;
  maxTokens: number | null;
  /** Where the price came from: the experiment file or the settings. */
  priceSource: 'experiment' | 'settings' | 'none';
}

/** The lists behind the pickers; sent once per workspace load, not with every render. */
export interface PreviewCatalog {
  /** Workspace-relative experiment file the data comes from, if any. */
  experimentFile: string | null;
  personas: PersonaOption[];
  questions: QuestionOption[];
  models: ModelOption[];
}

/** What the user picked; any field may be missing or stale and is resolved against the catalog. */
export interface PreviewSelection {
  personaId?: string;
  questionId?: string;
  /** 0-based paraphrase variant. */
  variant?: number;
  modelId?: string;
}

/** The selection after resolution: every field valid for the catalog. */
export interface ResolvedSelection {
  personaId: string;
  questionId: string;
  variant: number;
  modelId: string | null;
}

/** Estimate for the whole experiment (every condition × persona × question × variant × sample). */
export interface ExperimentEstimate {
  experimentFile: string;
  /** Requests that will be sent (n samples per item with `useN`, else one request per sample). */
  requests: number;
  /** Items = condition × persona × question × variant. */
  items: number;
  inputTokens: number;
  /** Upper bound: samples × maxTokens per item. */
  outputTokensMax: number;
  /** Input + maximum output cost; null when some model has no price. */
  cost: number | null;
  /** Items actually rendered to estimate (the rest are extrapolated from their mean). */
  sampledItems: number;
  exact: boolean;
  /** Items that failed to render (counted, not hidden). */
  failedItems: number;
}

/** One complete render of the template pair, stamped with a version (stale ones are dropped). */
export interface PreviewRender {
  version: number;
  /** Template pair base path without `.<lang>.hbs`, e.g. `prompts/persona`. */
  base: string;
  /** The language of the file being edited. */
  activeLang: Lang;
  selection: ResolvedSelection;
  panes: PreviewPane[];
  variables: VariableRow[];
  model: ModelOption | null;
  /** Wall time of the core render (both panes), ms. */
  renderMs: number;
  /** Not sent with every keystroke: the host fills it in when computed. */
  experiment?: ExperimentEstimate | null;
  /** Wall-clock stamps (Date.now()) for latency breakdowns: the edit that caused the render, and its posting. */
  timing?: { editAt?: number; postedAt: number };
}
