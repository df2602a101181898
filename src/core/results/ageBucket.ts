/** Age groups used by the per-demographic charts (wide enough to hold ≥ 30 of 303 respondents each). */
export const AGE_BUCKETS = ['18–29', '30–44', '45–59', '60+'] as const;

/** The age group label of an age in years (`unknown` for a missing or implausible age). */
export function ageBucket(age: number | null | undefined): string {
  if (age === null || age === undefined || !Number.isFinite(age) || age < 0) return 'unknown';
  if (age < 30) return AGE_BUCKETS[0];
  if (age < 45) return AGE_BUCKETS[1];
  if (age < 60) return AGE_BUCKETS[2];
  return AGE_BUCKETS[3];
}
