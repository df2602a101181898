import { readFile } from 'node:fs/promises';
import type { Survey } from '../model';
import { parseSurvey } from './parseSurvey';

/** Reads and parses a survey file (`*.survey.json`, `*.survey.yaml`); throws InputError on bad input. */
export async function loadSurvey(path: string): Promise<Survey> {
  return parseSurvey(await readFile(path, 'utf8'), path);
}
