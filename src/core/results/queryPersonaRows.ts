import type { PersonaRow } from './types';

export interface PersonaQuery {
  /** Case-insensitive substring over the id and every field value. */
  search?: string;
  /** Keep rows whose field equals one of the values (per field; empty/missing = no filter). */
  filters?: Record<string, string[]>;
  /** Keep rows by the sign of their delta. */
  deltaSign?: 'gain' | 'loss' | 'any';
  /** `id`, a field key, `soft:<condition>` or `delta`. */
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
}

/**
 * Indices of the persona rows matching a query, in display order. Returns indices (not copies) so the
 * virtualised table can hold 10,000+ rows without reallocating them on every keystroke. Rows without a value
 * for the sort key (null) always go last, whatever the direction.
 */
export function queryPersonaRows(rows: PersonaRow[], q: PersonaQuery): number[] {
  const needle = q.search?.trim().toLowerCase() ?? '';
  const filters = Object.entries(q.filters ?? {}).filter(([, vs]) => vs.length > 0).map(([k, vs]) => [k, new Set(vs)] as const);
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (filters.some(([k, vs]) => !vs.has(r.fields[k] ?? 'unknown'))) continue;
    if (q.deltaSign === 'gain' && !(r.delta !== null && r.delta > 0)) continue;
    if (q.deltaSign === 'loss' && !(r.delta !== null && r.delta < 0)) continue;
    if (needle && !(r.id.toLowerCase().includes(needle) || Object.values(r.fields).some((v) => v.toLowerCase().includes(needle)))) continue;
    out.push(i);
  }
  const key = q.sortKey;
  if (!key) return out;
  const sign = q.sortDir === 'desc' ? -1 : 1;
  const value = (r: PersonaRow): string | number | null => {
    if (key === 'id') return r.id;
    if (key === 'delta') return r.delta;
    if (key === 'age') return r.age ?? r.fields.age ?? null;
    if (key.startsWith('soft:')) return r.soft[key.slice(5)] ?? null;
    return r.fields[key] ?? null;
  };
  const vals = rows.map(value);
  return out.sort((a, b) => {
    const va = vals[a], vb = vals[b];
    if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return c !== 0 ? sign * c : a - b;
  });
}
