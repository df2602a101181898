import type { PersonaValues } from '../model';

/** The demographic fields that identify a respondent (the paper's 5-tuple); region is added on request. */
export const RESPONDENT_FIELDS = ['sex', 'age', 'marital_status', 'education', 'social_class'] as const;

/**
 * Key of a respondent for persona → respondent and twin matching: (sex, age, marital status, education,
 * social class), plus region when `withRegion`. Compared case-insensitively and trimmed, because the recorded
 * completions write `male` where the survey has `Male`.
 */
export function respondentKey(values: PersonaValues | Record<string, unknown>, withRegion = false): string {
  const fields: readonly string[] = withRegion ? ['region', ...RESPONDENT_FIELDS] : RESPONDENT_FIELDS;
  return fields.map((f) => String(values[f] ?? '').trim().toLowerCase()).join('\u0001');
}
