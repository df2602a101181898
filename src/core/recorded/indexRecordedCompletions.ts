import type { RecordedRecord } from './parseRecordedCompletions';

/** Persona fields that identify a recorded persona (all the paper writes into a prompt). */
export const RECORDED_PERSONA_FIELDS = ['region', 'sex', 'age', 'country', 'marital_status', 'education', 'social_class'] as const;

/** Lookup key of a recorded item: language, persona values (trimmed, lower case), question id, variant. */
export function recordedKey(lang: string, persona: Record<string, unknown>, questionId: string, variant: number): string {
  const values = RECORDED_PERSONA_FIELDS.map((f) => String(persona[f] ?? '').trim().toLowerCase());
  return [lang, ...values, questionId, String(variant)].join('\u0001');
}

/** Recorded replies by (lang, persona values, question id, variant). */
export interface RecordedIndex {
  /** The sampled replies, or undefined when nothing was recorded for that item. */
  get(lang: string, persona: Record<string, unknown>, questionId: string, variant: number): string[] | undefined;
  readonly size: number;
}

/**
 * Indexes recorded records for replay and scoring. Persona values are compared trimmed and case-insensitively
 * (`Male` finds `male`). When a file repeats an item, its first record wins (the paper keeps the first too).
 */
export function indexRecordedCompletions(records: Iterable<RecordedRecord>): RecordedIndex {
  const map = new Map<string, string[]>();
  for (const r of records) {
    const k = recordedKey(r.lang, r.persona, r.questionId, r.variant);
    if (!map.has(k)) map.set(k, r.responses);
  }
  return {
    get: (lang, persona, questionId, variant) => map.get(recordedKey(lang, persona, questionId, variant)),
    get size() {
      return map.size;
    },
  };
}
