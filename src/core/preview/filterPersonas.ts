import type { PersonaOption } from './previewModel';
import { normalizeSearchText } from './normalizeSearchText';

/**
 * Personas matching a query. Every whitespace-separated term must match: `field:value` compares one field
 * (`sex:female`, `age:34`, `region:cairo`, `ar.region:القاهرة`; exact for numbers, prefix otherwise), any
 * other term is a substring of any field in any language. An empty query keeps everything, in order.
 */
export function filterPersonas(options: readonly PersonaOption[], query: string): PersonaOption[] {
  const terms = query.trim().split(/\s+/).filter(Boolean).map((t) => {
    const m = /^([\w.]+):(.+)$/.exec(t);
    return m ? { field: m[1].toLowerCase(), value: normalizeSearchText(m[2]) } : { field: null, value: normalizeSearchText(t) };
  });
  if (!terms.length) return [...options];
  return options.filter((o) => terms.every(({ field, value }) => {
    if (field === null) return o.search.includes(value);
    const key = Object.keys(o.fields).find((k) => k.toLowerCase() === field);
    if (key === undefined) return false;
    const v = normalizeSearchText(o.fields[key]);
    return /^\d+$/.test(value) ? v === value : v.startsWith(value);
  }));
}
