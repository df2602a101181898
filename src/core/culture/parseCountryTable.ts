import { InputError } from '../errors';
import type { CountryTable } from './types';

/**
 * Reads a per-country WVS table (`B_COUNTRY,B_COUNTRY_ALPHA,Q27,…`; comma separated, one respondent per row).
 * Rows whose first cell is not a number (`Avg`, `Avg_First`, `Avg_Last`: the released files' summary rows)
 * are kept apart as summary rows. Every answer cell must be a whole number (negative = missing).
 */
export function parseCountryTable(text: string, file: string): CountryTable {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((h) => h.trim());
  if (header[0] !== 'B_COUNTRY' || header[1] !== 'B_COUNTRY_ALPHA') {
    throw new InputError('expected the header to start with B_COUNTRY,B_COUNTRY_ALPHA', { file, line: 1, column: 1 }, 'B_COUNTRY');
  }
  const questions = header.slice(2);
  questions.forEach((q, i) => {
    if (!/^Q\d+[A-Z]?$/.test(q)) throw new InputError(`column ${i + 3} is not a WVS question id: "${q}"`, { file, line: 1, column: 1 }, q);
  });
  const columns = questions.map(() => [] as number[]);
  const summaryRows: CountryTable['summaryRows'] = {};
  let countryCode = NaN;
  let countryAlpha = '';
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const loc = { file, line: li + 1, column: 1 };
    if (cells.length !== header.length) throw new InputError(`expected ${header.length} cells, found ${cells.length}`, loc);
    const first = cells[0]!.trim();
    if (!/^-?\d+$/.test(first)) {
      const row: Record<string, number> = {};
      questions.forEach((q, i) => (row[q] = Number(cells[i + 2])));
      summaryRows[first] = row;
      continue;
    }
    const code = Number(first);
    const alpha = cells[1]!.trim();
    if (Number.isNaN(countryCode)) {
      countryCode = code;
      countryAlpha = alpha;
    } else if (code !== countryCode) {
      throw new InputError(`a second country (${code}) in a per-country table of ${countryCode}`, loc, 'B_COUNTRY');
    }
    for (let i = 0; i < questions.length; i++) {
      const cell = cells[i + 2]!.trim();
      if (!/^-?\d+$/.test(cell)) {
        let column = 1;
        for (let k = 0; k < i + 2; k++) column += cells[k]!.length + 1;
        throw new InputError(`answer must be a whole number (negative = missing), got "${cell}"`, { file, line: li + 1, column }, questions[i]);
      }
      columns[i]!.push(Number(cell));
    }
  }
  if (Number.isNaN(countryCode)) throw new InputError('no respondent rows', { file, line: 2, column: 1 });
  const codes: Record<string, Int16Array> = {};
  questions.forEach((q, i) => (codes[q] = Int16Array.from(columns[i]!)));
  return { file, countryCode, countryAlpha, questions, respondents: columns[0]?.length ?? 0, codes, summaryRows };
}
