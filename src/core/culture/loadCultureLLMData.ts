import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { importSeedSurvey, type QuestionDump } from './importSeedSurvey';
import { parseCountryTable } from './parseCountryTable';
import type { CountryTable, SeedQuestion } from './types';

/** Reads a per-country table file. */
export function loadCountryTable(file: string): CountryTable {
  return parseCountryTable(readFileSync(file, 'utf8'), file);
}

/**
 * The 50 seed questions from the paper's English fine-tuning file, ids from the column order of a
 * per-country table; Arabic added from the AlKhamissi et al. dumps when `wvsDir` holds them.
 */
export function loadSeedSurvey(jsonlFile: string, tableFile: string, wvsDir?: string): SeedQuestion[] {
  const ids = loadCountryTable(tableFile).questions;
  const translations: Record<string, { dump: QuestionDump; english: QuestionDump }> = {};
  if (wvsDir) {
    const read = (f: string): QuestionDump => JSON.parse(readFileSync(path.join(wvsDir, f), 'utf8')) as QuestionDump;
    translations.ar = { dump: read('wvs_questions_dump.ar.json'), english: read('wvs_questions_dump.en.json') };
  }
  return importSeedSurvey(readFileSync(jsonlFile, 'utf8'), jsonlFile, ids, translations);
}
