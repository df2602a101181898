import { InputError } from '../errors';
import { parseCsv } from '../persona/parseCsv';
import type { CountryTable, SeedQuestion } from './types';

/** WVS missing-value codes for the labels the AlKhamissi et al. dumps print instead of codes. */
const MISSING: Record<string, number> = { "don't know": -1, 'no answer': -2, 'not applicable': -3, 'not asked': -4, 'missing; not available': -5, missing: -5, '': -5 };
/** Code of a question the survey did not ask (no column at all). */
export const NOT_ASKED = -4;

/** Order-free word key of a scale label: "Agree strongly" = "Strongly agree", "Neither agree or disagree" = "… nor …". */
function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\s]/gu, ' ').split(/\s+/).filter(Boolean).map((w) => (w === 'or' ? 'nor' : w)).sort().join(' ');
}

/**
 * Reads one country of the WVS wave-7 dumps of AlKhamissi et al. (`eg_wvs_wave7_v7_n303.csv`: `;`-separated, header
 * `<code> <label>`, answers as labels) as a per-country table of the seed questions: a label becomes its code on the
 * seed's scale (numbers on the scale as themselves, labels matched word for word in any order), "Don't know",
 * "No answer" and the like become the WVS negative missing codes, and a seed question the file has no column for
 * counts as not asked (−4) for every respondent. A label that matches nothing is an error at its line and column.
 */
export function importWvsCountryTable(text: string, file: string, seeds: readonly SeedQuestion[]): CountryTable {
  const csv = parseCsv(text, file, ';');
  const codeOf = csv.header.map((h) => h.trim().split(/\s+/)[0] ?? '');
  const col = (code: string): number => codeOf.indexOf(code);
  const alphaAt = col('B_COUNTRY_ALPHA');
  if (alphaAt < 0) throw new InputError('expected a "B_COUNTRY_ALPHA …" column (a WVS wave-7 dump)', { file, line: 1, column: 1 }, 'B_COUNTRY_ALPHA');
  const alphas = new Set(csv.rows.map((r) => (r[alphaAt] ?? '').trim()));
  if (alphas.size !== 1) throw new InputError(`expected one country, found ${[...alphas].join(', ')}`, { file, line: 2, column: 1 }, 'B_COUNTRY_ALPHA');
  const codes: Record<string, Int16Array> = {};
  for (const q of seeds) {
    const at = col(q.id);
    const column = new Int16Array(csv.rows.length);
    if (at < 0) {
      column.fill(NOT_ASKED);
      codes[q.id] = column;
      continue;
    }
    const byLabel = new Map((q.options.en ?? []).map((o) => [labelKey(o.label), o.code]));
    csv.rows.forEach((row, i) => {
      const raw = (row[at] ?? '').trim();
      const lower = raw.toLowerCase();
      let code: number | undefined;
      if (/^-?\d+$/.test(raw)) code = Number(raw) < 0 || (Number(raw) >= q.min && Number(raw) <= q.max) ? Number(raw) : undefined;
      else code = MISSING[lower] ?? byLabel.get(labelKey(raw));
      if (code === undefined) {
        const columnNo = row.slice(0, at).reduce((n, c) => n + c.length + 1, 1);
        throw new InputError(`answer "${raw}" is not on the ${q.min}–${q.max} scale of ${q.id} (labels: ${(q.options.en ?? []).map((o) => o.label).join(', ')})`, { file, line: csv.lines[i] ?? i + 2, column: columnNo }, q.id);
      }
      column[i] = code;
    });
    codes[q.id] = column;
  }
  return { file, countryCode: 0, countryAlpha: [...alphas][0]!, questions: seeds.map((q) => q.id), respondents: csv.rows.length, codes, summaryRows: {} };
}
