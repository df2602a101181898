import type { Persona } from '../model';
import type { PersonaOption } from './previewModel';
import { normalizeSearchText } from './normalizeSearchText';

/**
 * The picker entry of a persona: a readable label and a search text built from every field in every
 * language (so a persona is found by region, sex, age, marital status, education, class, id or country).
 */
export function personaOption(p: Persona): PersonaOption {
  const en = p.values.en ?? Object.values(p.values)[0] ?? {};
  const fields: Record<string, string> = { id: p.id, country: p.country };
  const parts: string[] = [p.id, p.country];
  for (const [lang, values] of Object.entries(p.values)) {
    for (const [k, v] of Object.entries(values ?? {})) {
      const s = String(v);
      parts.push(s);
      fields[lang === 'en' ? k : `${lang}.${k}`] = s;
    }
  }
  const label = [
    [en.sex, en.age, en.marital_status].filter((x) => x !== undefined && x !== '').join(', '),
    [en.region, en.country].filter(Boolean).join(', '),
    [en.education && `${en.education} education`, en.social_class].filter(Boolean).join(', '),
  ].filter(Boolean).join(' — ');
  return { id: p.id, country: p.country, label: label || p.id, fields, search: normalizeSearchText(parts.join(' ')) };
}
