// The culture report's types, free of Node imports: the CLI, the host and the dashboard webview all use them.
import type { CultureCondition } from './cultureExperiment';
import type { CultureScore, PairedDelta } from './scoreCulture';
import type { ScalePoint } from './types';

export interface CultureReportSettings {
  resamples: number;
  seed: number;
  level: number;
}

/** One side of a comparison: a model (under one template pattern) of a run. */
export interface CultureSide {
  runId: string;
  model: string;
  /** The template pattern (`prompts/culture.{lang}.hbs`). */
  template: string;
}

export interface CultureComparison {
  a: CultureSide;
  b: CultureSide;
  /** Per culture and metric: mean of (b − a) over the questions both scored, with a bootstrap CI. */
  deltas: PairedDelta[];
}

export interface CultureReportCulture {
  id: string;
  name: string;
  lang: string;
  countries: Array<{ file: string; country: string; respondents: number }>;
  respondents: number;
  pooling: 'pooled' | 'equal';
  /** Seed questions the culture answered (the others were not asked there). */
  answeredQuestions: number;
}

/** Everything the CLI table, the dashboard and the exports show about one culture run: computed once, here. */
export interface CultureReport {
  runId: string;
  runDir: string;
  experimentName: string;
  createdAt: string;
  status?: string;
  recorded: boolean;
  samples: number;
  settings: CultureReportSettings;
  cultures: CultureReportCulture[];
  models: string[];
  templates: string[];
  conditions: CultureCondition[];
  /** One per condition that has answers (`condition` = the condition id). */
  scores: CultureScore[];
  seeds: Array<{ id: string; text: string; min: number; max: number; scale: ScalePoint[] }>;
  comparison: CultureComparison | null;
  /** Question ids held out of fine-tuning when the experiment asked one part of a split. */
  heldOut?: string[];
  /** Requests that failed for good (no text), and what reading the run skipped. */
  failed: number;
  read: { quarantined: number; duplicates: number; tornLastLine: boolean };
}
