import type { ChatMessage } from '../model';
import { seededUint32 } from '../score/rng';
import { seedUserMessage } from './importSeedSurvey';
import type { SeedQuestion } from './types';

/** One OpenAI chat fine-tuning record (`{"messages": [system, user, assistant]}`), the shape of the paper's files. */
export interface FineTuneRecord {
  messages: ChatMessage[];
}

/** CultureLLM's system prompt, verbatim (grammar included) from `*_WVQ_*_50.jsonl`. */
export function paperSystemPrompt(cultureName: string): string {
  return `You are an ${cultureName} chatbot that know ${cultureName} very well.`;
}

export interface FineTuneBlock {
  /** Answer label per question id (e.g. one country's paperFineTuneLabel, or the culture's majority); missing → no record. */
  labels: Record<string, number | null>;
}

export interface BuildFineTuneOptions {
  /** Name in the system prompt, e.g. `Arabic`. */
  cultureName: string;
  /** Language of the user messages (default `en`, as in the paper's files; questions lacking it fall back to English). */
  lang?: string;
  systemPrompt?: string;
  /** Only these questions (e.g. the training part of a held-out split). */
  questions?: ReadonlySet<string>;
  /** Accepted paraphrases per question id: each becomes one more record with the seed's label and scale. */
  paraphrases?: Record<string, string[]>;
}

/**
 * Seed (+ paraphrase) records of one culture: one block per label set (the paper writes one block of 50 per
 * country, e.g. Iraq then Jordan for Arabic). Questions without a label are left out and reported.
 */
export function buildFineTuneRecords(seeds: readonly SeedQuestion[], blocks: readonly FineTuneBlock[], options: BuildFineTuneOptions): { records: FineTuneRecord[]; skipped: string[] } {
  const system = options.systemPrompt ?? paperSystemPrompt(options.cultureName);
  const lang = options.lang ?? 'en';
  const records: FineTuneRecord[] = [];
  const skipped: string[] = [];
  blocks.forEach((block, b) => {
    for (const q of seeds) {
      if (options.questions && !options.questions.has(q.id)) continue;
      const label = block.labels[q.id];
      if (label === null || label === undefined) {
        skipped.push(`block ${b + 1} ${q.id}`);
        continue;
      }
      const l = q.text[lang] ? lang : 'en';
      const texts = [seedUserMessage(q, l), ...(options.paraphrases?.[q.id] ?? []).map((t) => seedUserMessage({ ...q, text: { ...q.text, [l]: t } }, l))];
      for (const user of texts) records.push({ messages: [{ role: 'system', content: system }, { role: 'user', content: user }, { role: 'assistant', content: String(label) }] });
    }
  });
  return { records, skipped };
}

/** A seeded split of question ids into training and held-out questions (the tuned model is evaluated on the latter). */
export function splitHeldOut(ids: readonly string[], heldOutFraction: number, seed = 1): { train: string[]; heldOut: string[] } {
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new RangeError(`held-out fraction must be in [0, 1), got ${heldOutFraction}`);
  const order = [...ids];
  const next = seededUint32(seed, 'held-out');
  for (let i = order.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const n = Math.round(ids.length * heldOutFraction);
  const held = new Set(order.slice(0, n));
  return { train: ids.filter((id) => !held.has(id)), heldOut: ids.filter((id) => held.has(id)) };
}

export const toJsonl = (records: readonly FineTuneRecord[]): string => records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
