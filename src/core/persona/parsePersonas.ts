import { InputError } from '../errors';
import type { Persona, PersonaValues } from '../model';
import { parseCsv } from './parseCsv';
import { PERSONA_FIELDS } from './personaFields';

type Loc = { file: string; line: number; column: number };

function fail(message: string, loc: Loc, field?: string): never {
  throw new InputError(message, loc, field);
}

function checkValues(raw: unknown, lang: string, loc: Loc, who: string): PersonaValues {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${who}: values.${lang} must be an object`, loc, `values.${lang}`);
  const values = raw as Record<string, unknown>;
  const out: Record<string, string | number> = {};
  for (const field of PERSONA_FIELDS) {
    const v = values[field];
    if (field === 'age') {
      const age = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 130) fail(`${who}: age must be a whole number of years, got ${JSON.stringify(v)}`, loc, `values.${lang}.age`);
      out.age = age;
    } else {
      if (typeof v !== 'string' || v.trim() === '') fail(`${who}: missing ${field} in values.${lang}`, loc, `values.${lang}.${field}`);
      out[field] = v;
    }
  }
  for (const [k, v] of Object.entries(values)) {
    if (k in out) continue;
    if (typeof v !== 'string' && typeof v !== 'number') fail(`${who}: values.${lang}.${k} must be text or a number`, loc, `values.${lang}.${k}`);
    out[k] = v;
  }
  return out as PersonaValues;
}

function checkAnswers(raw: unknown, loc: Loc, who: string): Record<string, number | null> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${who}: "answers" must map question ids to option numbers`, loc, 'answers');
  const out: Record<string, number | null> = {};
  for (const [q, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null) out[q] = null;
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 1) out[q] = v;
    else fail(`${who}: answers.${q} must be a 1-based option number or null, got ${JSON.stringify(v)}`, loc, `answers.${q}`);
  }
  return out;
}

/** Validates one persona object (JSONL line, or a row assembled from CSV columns). */
function checkPersona(raw: unknown, loc: Loc, ids: Set<string>): Persona {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a persona must be a JSON object', loc);
  const p = raw as Record<string, unknown>;
  if (typeof p.id !== 'string' || !p.id.trim()) fail('missing persona "id"', loc, 'id');
  const id = p.id.trim();
  if (ids.has(id)) fail(`duplicate persona id "${id}"`, loc, 'id');
  ids.add(id);
  if (typeof p.country !== 'string' || !p.country.trim()) fail(`${id}: missing "country" (e.g. "egypt")`, loc, 'country');
  if (typeof p.values !== 'object' || p.values === null || !('en' in p.values)) fail(`${id}: "values" must hold at least the English values ("en")`, loc, 'values');
  const values: Record<string, PersonaValues> = {};
  for (const [lang, v] of Object.entries(p.values as Record<string, unknown>)) values[lang] = checkValues(v, lang, loc, id);
  return { id, country: p.country.trim().toLowerCase(), values, answers: checkAnswers(p.answers, loc, id) };
}

function parseJsonl(text: string, file: string): Persona[] {
  const ids = new Set<string>();
  const personas: Persona[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message);
      fail(`invalid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line: i + 1, column: at ? Number(at[1]) + 1 : 1 });
    }
    personas.push(checkPersona(raw, { file, line: i + 1, column: 1 }, ids));
  });
  return personas;
}

/**
 * CSV columns: `id`, `country` (the persona's country key), demographic values as `<lang>.<field>` (a bare
 * `<field>` means English; `en.country` defaults to the country key), answers as `answer.<questionId>`
 * (empty = missing).
 */
function parseCsvPersonas(text: string, file: string): Persona[] {
  const table = parseCsv(text, file);
  const col = (name: string) => table.header.indexOf(name);
  if (col('id') < 0) fail('missing column "id"', { file, line: 1, column: 1 }, 'id');
  if (col('country') < 0) fail('missing column "country"', { file, line: 1, column: 1 }, 'country');
  const ids = new Set<string>();
  return table.rows.map((row, r) => {
    const loc = { file, line: table.lines[r], column: 1 };
    const values: Record<string, Record<string, string>> = {};
    const answers: Record<string, number | null> = {};
    table.header.forEach((name, c) => {
      const cell = row[c].trim();
      if (name === 'id' || name === 'country' || name === '') return;
      if (name.startsWith('answer.')) {
        const q = name.slice('answer.'.length);
        if (cell === '') answers[q] = null;
        else if (/^\d+$/.test(cell) && Number(cell) >= 1) answers[q] = Number(cell);
        else fail(`answer.${q} must be a 1-based option number or empty, got "${cell}"`, loc, name);
        return;
      }
      const m = /^([a-z]{2,3}(?:-[A-Za-z]+)?)\.(.+)$/.exec(name);
      const [lang, field] = m ? [m[1], m[2]] : ['en', name];
      (values[lang] ??= {})[field] = cell;
    });
    const country = row[col('country')].trim();
    values.en ??= {};
    if (!values.en.country) values.en.country = country.replace(/\b\w/g, (ch) => ch.toUpperCase());
    for (const lang of Object.keys(values)) if (lang !== 'en' && values[lang].age === undefined) values[lang].age = values.en.age;
    return checkPersona({ id: row[col('id')], country, values, answers }, loc, ids);
  });
}

/**
 * Parses a personas file: JSONL (one Persona object per line; `.jsonl`/`.ndjson`, or content starting with `{`)
 * or CSV with any delimiter. Throws InputError naming file, line and field on bad input.
 */
export function parsePersonas(text: string, file: string): Persona[] {
  const jsonl = /\.(jsonl|ndjson)$/i.test(file) || (!/\.(csv|tsv|txt)$/i.test(file) && text.replace(/^\uFEFF/, '').trimStart().startsWith('{'));
  return jsonl ? parseJsonl(text, file) : parseCsvPersonas(text, file);
}
