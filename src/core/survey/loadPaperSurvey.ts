import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Survey } from '../model';
import type { NamedText } from '../workspace/NamedText';
import { importPaperSurvey } from './importPaperSurvey';

async function named(file: string): Promise<NamedText> {
  return { file, text: await readFile(file, 'utf8') };
}

/** Imports the paper's survey from a folder holding its files (e.g. `../shared/data/wvs`), English and Arabic. */
export async function loadPaperSurvey(dir: string, languages: readonly string[] = ['en', 'ar']): Promise<Survey> {
  const questions: Record<string, NamedText> = {};
  for (const lang of languages) questions[lang] = await named(path.join(dir, `wvs_questions_dump.${lang}.json`));
  return importPaperSurvey({
    questions,
    options: await named(path.join(dir, 'wvs_options.json')),
    themes: await named(path.join(dir, 'wvs_themes.json')),
    selected: await named(path.join(dir, 'filtered_selected_questions.csv')),
  });
}
