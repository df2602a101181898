import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Persona, Survey } from '../model';
import { buildAnswerCoding } from '../persona/buildAnswerCoding';
import { importWvsRespondentsWithColumns } from '../persona/importWvsRespondents';
import type { AnswerColumn } from '../survey/answerColumns';
import { loadPaperSurvey } from '../survey/loadPaperSurvey';

export interface PaperScoringData {
  survey: Survey;
  respondents: Persona[];
  twins?: Persona[];
  /** The column each question's answers were read from, per file (the authors' rule unless the survey overrides). */
  columns: { file: string; columns: AnswerColumn[] }[];
}

/**
 * Loads what scoring needs from the paper's files: the questions (EN/AR dumps, options, themes, selection) from
 * `questionsDir`, the respondents of the survey CSV and, when given, the twin country's respondents, with their
 * real answers coded the paper's way (response map, then option labels; "No answer"/negative → missing).
 */
export async function loadPaperScoringData(opts: { surveyCsv: string; twinCsv?: string; questionsDir?: string }): Promise<PaperScoringData> {
  const dir = opts.questionsDir ?? path.dirname(opts.surveyCsv);
  const survey = await loadPaperSurvey(dir);
  const json = async (name: string) => JSON.parse(await readFile(path.join(dir, name), 'utf8'));
  const coding = buildAnswerCoding(await json('wvs_response_map.json'), await json('wvs_options.json'), path.join(dir, 'wvs_options.json'));
  const questions = survey.questions.map((q) => q.id);
  const load = async (file: string) => importWvsRespondentsWithColumns(await readFile(file, 'utf8'), { file, answers: { questions, coding } });
  const main = await load(opts.surveyCsv);
  const twin = opts.twinCsv ? await load(opts.twinCsv) : undefined;
  return {
    survey,
    respondents: main.personas,
    ...(twin ? { twins: twin.personas } : {}),
    columns: [{ file: opts.surveyCsv, columns: main.columns }, ...(twin ? [{ file: opts.twinCsv!, columns: twin.columns }] : [])],
  };
}
