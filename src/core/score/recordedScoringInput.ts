import type { Persona } from '../model';
import type { RecordedRecord } from '../recorded/parseRecordedCompletions';
import { respondentKey } from './respondentKey';
import type { ScoringCondition, ScoringItemSamples } from './scoreResponses';

export interface RecordedScoringInput {
  conditions: ScoringCondition[];
  /** One entry per recorded record (item); re-iterable and lazy, made while scoring reads them. */
  items: Iterable<ScoringItemSamples>;
  /** Recorded personas without exactly one matching respondent (their items count as `noRespondent`). */
  unmatchedPersonas: number;
}

/** Condition id of recorded answers: the language, `-anthro` for anthropological prompting. */
export const recordedConditionId = (lang: string, anthro: boolean): string => (anthro ? `${lang}-anthro` : lang);

/**
 * Turns recorded completions (paper format) into scoring samples: one condition per (language, anthro), each
 * recorded persona matched to its survey respondent by (sex, age, marital status, education, social class) in
 * the record's language — plus region when `matchRegion` (the anthropological analysis does). A persona matched
 * to no respondent or to several keeps a placeholder id, so its items are counted as `noRespondent`.
 */
export function recordedScoringInput(records: readonly RecordedRecord[], personas: readonly Persona[], opts: { model: string; matchRegion?: boolean }): RecordedScoringInput {
  const byLang = new Map<string, Map<string, string | null>>();
  const index = (lang: string) => {
    let m = byLang.get(lang);
    if (!m) {
      m = new Map();
      for (const p of personas) {
        const values = p.values[lang];
        if (!values) continue;
        const k = respondentKey(values, opts.matchRegion);
        m.set(k, m.has(k) ? null : p.id); // null = ambiguous
      }
      byLang.set(lang, m);
    }
    return m;
  };
  const conditions = new Map<string, ScoringCondition>();
  const personaOf: string[] = [];
  const unmatched = new Set<string>();
  for (const r of records) {
    const condition = recordedConditionId(r.lang, r.anthro);
    if (!conditions.has(condition)) {
      conditions.set(condition, { id: condition, lang: r.lang, model: opts.model, recorded: true, reasoning: r.anthro, label: `${opts.model} · ${r.lang}${r.anthro ? ' · anthropological' : ''} (recorded)` });
    }
    const k = respondentKey(r.persona, opts.matchRegion);
    let personaId = index(r.lang).get(k) ?? null;
    if (personaId === null) {
      unmatched.add(`${r.lang}\u0001${k}`);
      personaId = `unmatched:${r.lang}:${k.replace(/\u0001/g, '|')}`;
    }
    personaOf.push(personaId);
  }
  const items: Iterable<ScoringItemSamples> = {
    *[Symbol.iterator]() {
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        yield { condition: recordedConditionId(r.lang, r.anthro), personaId: personaOf[i]!, questionId: r.questionId, variant: r.variant, texts: r.responses };
      }
    },
  };
  return { conditions: [...conditions.values()], items, unmatchedPersonas: unmatched.size };
}
