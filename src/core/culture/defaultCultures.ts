import type { CultureSpec } from './types';

/**
 * CultureLLM's nine cultures (Li et al. 2024, Table 1): the language, its name in English and in the culture's
 * own language, and the countries whose WVS answers stand for it in the paper, with the per-country file names
 * the released data uses (`<Language>_<Country>.csv`). A culture whose files are absent has no ground truth.
 */
export const CULTURELLM_CULTURES: readonly CultureSpec[] = [
  { id: 'arabic', lang: 'ar', name: { en: 'Arabic', ar: 'العربية' }, countries: [{ file: 'Arabic_Iraq.csv', name: 'Iraq' }, { file: 'Arabic_Jordan.csv', name: 'Jordan' }] },
  { id: 'bengali', lang: 'bn', name: { en: 'Bengali', bn: 'বাঙালি' }, countries: [{ file: 'Bengali_Bangladesh.csv', name: 'Bangladesh' }] },
  { id: 'chinese', lang: 'zh', name: { en: 'Chinese', zh: '中国' }, countries: [{ file: 'China_China.csv', name: 'China' }] },
  { id: 'english', lang: 'en', name: { en: 'English' }, countries: [{ file: 'English_United_States.csv', name: 'United States' }] },
  { id: 'german', lang: 'de', name: { en: 'German', de: 'deutschen' }, countries: [{ file: 'Germany_Germany.csv', name: 'Germany' }] },
  { id: 'korean', lang: 'ko', name: { en: 'Korean', ko: '한국' }, countries: [{ file: 'Korean_South_Korea.csv', name: 'South Korea' }] },
  { id: 'portuguese', lang: 'pt', name: { en: 'Portuguese', pt: 'brasileira' }, countries: [{ file: 'Portuguese_Brazil.csv', name: 'Brazil' }] },
  { id: 'spanish', lang: 'es', name: { en: 'Spanish', es: 'hispana' }, countries: [{ file: 'Spanish_Argentina.csv', name: 'Argentina' }, { file: 'Spanish_Mexico.csv', name: 'Mexico' }] },
  { id: 'turkish', lang: 'tr', name: { en: 'Turkish', tr: 'Türk' }, countries: [{ file: 'Turkey_Turkey.csv', name: 'Turkey' }] },
];

/** The default culture of an id (`arabic`, …), for experiment files that name a culture without spelling it out. */
export function defaultCulture(id: string): CultureSpec | undefined {
  return CULTURELLM_CULTURES.find((c) => c.id === id);
}
