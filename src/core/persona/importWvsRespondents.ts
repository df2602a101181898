import { InputError } from '../errors';
import type { Persona, PersonaValues, Question } from '../model';
import { resolveAnswerColumns, type AnswerColumn } from '../survey/answerColumns';
import type { AnswerCoding } from './buildAnswerCoding';
import { parseCsv } from './parseCsv';
import { WVS_COLUMNS, WVS_SURVEY_COUNTRY_COLUMN } from './wvsColumns';
import type { WvsColumnMapping } from './wvsColumns';
import { WVS_ARABIC_VALUES } from './wvsArabicValues';
import type { ValueDictionary } from './wvsArabicValues';

export interface WvsImportOptions {
  /** File name for errors. */
  file: string;
  /** Country key, lower case (e.g. `egypt`); default: the survey country column (`B_COUNTRY`) of each row. */
  country?: string;
  /** Persona id prefix; default the country key with `-` for spaces: `egypt-0001`, `united-states-0001`. */
  idPrefix?: string;
  /** Field → WVS variable code; default WVS_COLUMNS (the paper's mapping). */
  columns?: Partial<WvsColumnMapping>;
  /** Language → dictionary from the English WVS labels; default `{ ar: WVS_ARABIC_VALUES }`. */
  dictionaries?: Record<string, ValueDictionary>;
  /**
   * Real answers to keep: the questions (ids, or survey questions whose `column` overrides the column) and the coding
   * of their labels (see buildAnswerCoding). The column of each question follows the paper authors' rule
   * (resolveAnswerColumns): Egypt's Q78 reads `EG_Q78A Confidence: Private banks`.
   */
  answers?: { questions: readonly (string | Pick<Question, 'id' | 'column'>)[]; coding: AnswerCoding };
  /** Skip respondents with a missing demographic value instead of failing. */
  skipIncomplete?: boolean;
}

/** English prompt form of a WVS label, as the paper writes it (lower case except region and country). */
function englishValue(field: string, label: string): string {
  if (field === 'region') {
    // "EG: Cairo" → "Cairo"; "US: CA California" → "California".
    return label.split(':').pop()!.trim().replace(/^[A-Z]{2} /, '').trim();
  }
  if (field === 'country' || field === 'age') return label.trim();
  return label.trim().toLowerCase();
}

/** Dictionary key of a WVS label (the capitalised CSV form, region without its prefix). */
function dictionaryKey(field: string, label: string): string {
  return field === 'region' ? englishValue('region', label) : label.trim();
}

const isMissing = (label: string) => label.trim() === '' || /^-\d+$/.test(label.trim()) || /^(no answer|don['’]t know|not asked|missing.*)$/i.test(label.trim());

/**
 * Imports World Values Survey wave-7 respondents (the `;`-separated CSV with `"<code> <label>"` headers) as personas:
 * demographics in English (the paper's forms) and in every dictionary language, plus their real answers.
 * Persona ids are stable by row (`egypt-0001` = first data row). Throws InputError naming line and column on
 * missing columns, unknown values without a translation, and answer labels outside the coding.
 */
export function importWvsRespondents(csvText: string, options: WvsImportOptions): Persona[] {
  return importWvsRespondentsWithColumns(csvText, options).personas;
}

/** importWvsRespondents, plus the column each question's answers were read from (to show it). */
export function importWvsRespondentsWithColumns(csvText: string, options: WvsImportOptions): { personas: Persona[]; columns: AnswerColumn[] } {
  const { file } = options;
  const table = parseCsv(csvText, file);
  const codeOf = (header: string) => header.split(' ')[0];
  const columnIndex = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (h && !columnIndex.has(codeOf(h))) columnIndex.set(codeOf(h), i);
  });
  const need = (code: string, field: string): number => {
    const i = columnIndex.get(code);
    if (i === undefined) throw new InputError(`missing WVS column ${code} (for ${field})`, { file, line: 1, column: 1 }, field);
    return i;
  };
  const mapping: WvsColumnMapping = { ...WVS_COLUMNS, ...(options.columns ?? {}) } as WvsColumnMapping;
  const fieldColumns = Object.entries(mapping).map(([field, code]) => ({ field, code, index: need(code, field) }));
  const surveyCountryIndex = options.country ? -1 : need(WVS_SURVEY_COUNTRY_COLUMN, 'country');
  const dictionaries = options.dictionaries ?? { ar: WVS_ARABIC_VALUES };
  // Country of the file (for per-country column overrides): the option, else the first row's survey country.
  const fileCountry = (options.country ?? (surveyCountryIndex >= 0 ? table.rows[0]?.[surveyCountryIndex]?.trim() : undefined))?.toLowerCase();
  const columns = resolveAnswerColumns(table.header, options.answers?.questions ?? [], { file, ...(fileCountry ? { country: fileCountry } : {}) });
  const answerColumns = columns.map((c) => ({ q: c.questionId, index: c.index }));

  const personas: Persona[] = [];
  table.rows.forEach((row, r) => {
    const line = table.lines[r];
    // Column of a cell in its line (quotes aside): the fields before it plus their delimiters.
    const columnOf = (index: number) => (index === 0 ? 1 : row.slice(0, index).join(table.delimiter).length + 2);
    const surveyCountry = options.country ? undefined : row[surveyCountryIndex].trim();
    const countryKey = (options.country ?? surveyCountry ?? '').toLowerCase();
    const en: Record<string, string | number> = {};
    const translated: Record<string, Record<string, string | number>> = Object.fromEntries(Object.keys(dictionaries).map((l) => [l, {}]));
    let incomplete = false;
    for (const { field, code, index } of fieldColumns) {
      let label = row[index];
      if (field === 'country' && isMissing(label) && surveyCountry) label = surveyCountry; // unknown birth country → survey country
      if (isMissing(label)) {
        if (options.skipIncomplete) {
          incomplete = true;
          break;
        }
        throw new InputError(`respondent ${r + 1} has no ${field} ("${label}")`, { file, line, column: columnOf(index) }, `${code} (${field})`);
      }
      if (field === 'age') {
        const age = Number(label);
        if (!Number.isInteger(age)) throw new InputError(`age "${label}" is not a whole number`, { file, line, column: columnOf(index) }, `${code} (age)`);
        en.age = age;
        for (const lang of Object.keys(dictionaries)) translated[lang].age = age;
        continue;
      }
      en[field] = englishValue(field, label);
      for (const [lang, dict] of Object.entries(dictionaries)) {
        const value = dict[field]?.[dictionaryKey(field, label)];
        if (value === undefined) {
          throw new InputError(`no ${lang} translation for ${field} "${dictionaryKey(field, label)}"; add it to the value dictionary`, { file, line, column: columnOf(index) }, `${code} (${field})`);
        }
        translated[lang][field] = value;
      }
    }
    if (incomplete) return;
    const answers: Record<string, number | null> = {};
    for (const { q, index } of answerColumns) {
      const coded = options.answers!.coding(q, row[index]);
      if (coded === undefined) throw new InputError(`answer "${row[index]}" to ${q} is not one of its options`, { file, line, column: columnOf(index) }, q);
      answers[q] = coded;
    }
    const prefix = options.idPrefix ?? countryKey.replace(/\s+/g, '-');
    personas.push({
      id: `${prefix}-${String(r + 1).padStart(4, '0')}`,
      country: countryKey,
      values: { en: en as PersonaValues, ...(translated as Record<string, PersonaValues>) },
      answers,
    });
  });
  return { personas, columns };
}
