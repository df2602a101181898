import type { Lang } from '../model';
import type { VariableRow } from './previewModel';

/**
 * The variables table: every leaf value each language's template context holds, by dotted path, merged
 * into one row per path (so `persona.sex` shows `Female` and `امرأة` side by side). Arrays are indexed
 * (`options.0`) and also listed whole with their length, since templates iterate them with `#each`.
 */
export function flattenVariables(contexts: Record<Lang, unknown>, maxDepth = 6): VariableRow[] {
  const rows = new Map<string, VariableRow>();
  const put = (path: string, lang: Lang, value: string, type: string) => {
    let row = rows.get(path);
    if (!row) rows.set(path, (row = { path, values: {}, type }));
    row.values[lang] = value;
  };
  const walk = (lang: Lang, value: unknown, path: string, depth: number, seen: Set<unknown>) => {
    if (value === null || value === undefined) return put(path, lang, String(value), String(value));
    if (typeof value === 'function') return; // helpers are not data
    if (typeof value !== 'object') return put(path, lang, String(value), typeof value);
    if (seen.has(value) || depth >= maxDepth) return put(path, lang, Array.isArray(value) ? `[${value.length} items]` : '{…}', Array.isArray(value) ? 'array' : 'object');
    seen.add(value);
    if (Array.isArray(value)) {
      if (path) put(path, lang, `[${value.length} items]`, 'array');
      value.forEach((v, i) => walk(lang, v, path ? `${path}.${i}` : String(i), depth + 1, seen));
    } else {
      for (const [k, v] of Object.entries(value)) walk(lang, v, path ? `${path}.${k}` : k, depth + 1, seen);
    }
    seen.delete(value);
  };
  for (const [lang, ctx] of Object.entries(contexts)) walk(lang, ctx, '', 0, new Set());
  return [...rows.values()];
}
