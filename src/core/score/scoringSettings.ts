import type { ScoringProfile, ScoringSettings } from './types';

/** The nominal questions of the paper: answers have no order, so soft alignment is exact match. */
export const PAPER_NOMINAL_QUESTIONS = ['Q19', 'Q21', 'Q149', 'Q150', 'Q171', 'Q175', 'Q209', 'Q210', 'Q221'];

const PAPER: ScoringSettings = {
  profile: 'paper',
  emptyReplyIsFirstOption: true,
  optionTextMatch: 'substring',
  optionTextLanguages: 'prompt',
  looseNumbers: true,
  lastLineForReasoning: true,
  tieBreak: 'expected',
  seed: 1,
  // The survey column Q234 asks a different question than the prompt, so the paper leaves it out.
  skipQuestions: ['Q234'],
  nominalQuestions: PAPER_NOMINAL_QUESTIONS,
  matchRegion: false,
  sameAnswerFilter: true,
  commonItems: true,
  ageBuckets: [25, 35, 45, 55, 65],
  bootstrapResamples: 1000,
  permutationResamples: 1000,
  confidence: 0.95,
};

/** Strict: an empty reply is unparsed, option text must match exactly (or as a unique prefix), no stray digits. */
const STRICT: ScoringSettings = {
  ...PAPER,
  profile: 'strict',
  emptyReplyIsFirstOption: false,
  optionTextMatch: 'exact-or-unique-prefix',
  optionTextLanguages: 'any',
  looseNumbers: false,
};

/**
 * The settings of a profile, with overrides applied (unknown keys are ignored, arrays are copied).
 * Throws a RangeError for an unknown profile or a malformed override, naming the setting.
 */
export function scoringSettings(profile: ScoringProfile = 'paper', overrides: Partial<ScoringSettings> = {}): ScoringSettings {
  const base = profile === 'paper' ? PAPER : profile === 'strict' ? STRICT : undefined;
  if (!base) throw new RangeError(`unknown scoring profile "${String(profile)}" (expected paper or strict)`);
  const s: ScoringSettings = { ...base, skipQuestions: [...base.skipQuestions], nominalQuestions: [...base.nominalQuestions], ageBuckets: [...base.ageBuckets] };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined || !(k in s) || k === 'profile') continue;
    (s as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
  if (!['expected', 'first', 'random'].includes(s.tieBreak)) throw new RangeError(`unknown tie-break "${s.tieBreak}" (expected, first or random)`);
  if (!Number.isInteger(s.seed)) throw new RangeError(`seed must be an integer, got ${s.seed}`);
  if (!(s.confidence > 0 && s.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${s.confidence}`);
  for (const k of ['bootstrapResamples', 'permutationResamples'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 0) throw new RangeError(`${k} must be a non-negative integer, got ${s[k]}`);
  }
  return s;
}
