import { readFileSync, existsSync } from 'node:fs';
import { acceptedParaphrases, parseAugmentationFile } from './augmentationFile';
import { buildFineTuneRecords, paperSystemPrompt, splitHeldOut, toJsonl, type FineTuneBlock } from './fineTuneData';
import type { HeldOutSplit, OpenedCultureExperiment } from './openCultureExperiment';
import { paperFineTuneLabel } from './paperFineTuneLabel';
import { validateFineTuneJsonl, type FineTuneReport, type ValidateOptions } from './validateFineTuneJsonl';

/** Which answer a record teaches: the paper's rule per country (one block per country), or the culture's majority. */
export type LabelRule = 'paper' | 'majority';

export interface FineTuneExportOptions extends Omit<ValidateOptions, 'countTokens'> {
  countTokens: (text: string) => number;
  labels?: LabelRule;
  /** Share of seed questions held out of training (default 0.2) and the split's seed (default 1). */
  heldOutFraction?: number;
  seed?: number;
  /** Add the accepted paraphrases of the augmentation file (default true). */
  paraphrases?: boolean;
  /** Language of the user messages (default `en`, as the paper's files). */
  lang?: string;
}

export interface FineTuneFile {
  /** File name, e.g. `arabic.jsonl` or `culturellm-one.jsonl`. */
  name: string;
  /** The culture, or null for the all-cultures file (CultureLLM-One). */
  cultureId: string | null;
  text: string;
  records: number;
  /** Records left out: questions without a label (not asked in a country). */
  skipped: string[];
  paraphraseRecords: number;
  report: FineTuneReport;
}

export interface FineTuneExport {
  files: FineTuneFile[];
  split: HeldOutSplit;
  labels: LabelRule;
  /** Sum over the per-culture files (the all-cultures file repeats them). */
  totalTokens: number;
  trainingTokens: number;
  cost: number | null;
  valid: boolean;
}

/**
 * Fine-tuning data of a culture experiment, the shape of the paper's files: per culture one OpenAI chat JSONL of
 * the training seeds (+ accepted paraphrases, each with its seed's label and scale), and one file of all cultures
 * (CultureLLM-One). The held-out questions of a seeded split are left out of every file, so the tuned model can be
 * evaluated on questions it did not see. Each file is validated (roles, one answer on the scale, tokens, size).
 */
export function exportFineTuneData(exp: OpenedCultureExperiment, options: FineTuneExportOptions): FineTuneExport {
  const labels = options.labels ?? 'paper';
  const fraction = options.heldOutFraction ?? 0.2;
  const seed = options.seed ?? 1;
  const { train, heldOut } = splitHeldOut(exp.seeds.map((q) => q.id), fraction, seed);
  const split: HeldOutSplit = { seed, heldOutFraction: fraction, train, heldOut };
  const trainSet = new Set(train);
  let paraphrases: Record<string, string[]> = {};
  const aug = exp.spec.augmentation ? exp.resolve(exp.spec.augmentation.file) : undefined;
  if ((options.paraphrases ?? true) && aug && existsSync(aug)) {
    const accepted = acceptedParaphrases(parseAugmentationFile(readFileSync(aug, 'utf8'), aug));
    const lang = options.lang ?? 'en';
    paraphrases = Object.fromEntries(Object.entries(accepted).map(([q, list]) => [q, list.filter((p) => p.lang === lang).map((p) => p.text)]));
  }
  const validate = (text: string, name: string): FineTuneReport => validateFineTuneJsonl(text, name, options);
  const files: FineTuneFile[] = [];
  const all: string[] = [];
  for (const c of exp.spec.cultures) {
    const blocks: FineTuneBlock[] = labels === 'paper'
      ? (exp.tables.get(c.id) ?? []).map((t) => ({ labels: Object.fromEntries(exp.seeds.map((q) => [q.id, paperFineTuneLabel(t, q.id)])) }))
      : [{ labels: Object.fromEntries(exp.seeds.map((q) => [q.id, exp.truths.find((t) => t.cultureId === c.id)?.questions[q.id]?.majority ?? null])) }];
    const cultureName = c.name.en ?? c.id;
    const { records, skipped } = buildFineTuneRecords(exp.seeds, blocks, { cultureName, systemPrompt: paperSystemPrompt(cultureName), questions: trainSet, paraphrases, lang: options.lang });
    const text = toJsonl(records);
    all.push(text);
    const seedsPerBlock = exp.seeds.filter((q) => trainSet.has(q.id)).length;
    const paraphraseRecords = records.length - (seedsPerBlock * blocks.length - skipped.length);
    files.push({ name: `${c.id}.jsonl`, cultureId: c.id, text, records: records.length, skipped, paraphraseRecords, report: validate(text, `${c.id}.jsonl`) });
  }
  const oneText = all.join('');
  const one = validate(oneText, 'culturellm-one.jsonl');
  files.push({ name: 'culturellm-one.jsonl', cultureId: null, text: oneText, records: one.records, skipped: files.flatMap((f) => f.skipped.map((s) => `${f.cultureId} ${s}`)), paraphraseRecords: files.reduce((s, f) => s + f.paraphraseRecords, 0), report: one });
  const perCulture = files.filter((f) => f.cultureId !== null);
  const costs = perCulture.map((f) => f.report.cost);
  return {
    files, split, labels,
    totalTokens: perCulture.reduce((s, f) => s + f.report.totalTokens, 0),
    trainingTokens: perCulture.reduce((s, f) => s + f.report.trainingTokens, 0),
    cost: costs.some((c) => c === null) ? null : costs.reduce((s, c) => s! + c!, 0),
    valid: files.every((f) => f.report.errors.length === 0),
  };
}
