import { InputError } from '../errors';
import type { Question } from '../model';

/**
 * The paper authors' rule for the survey column of question Qn: a header matches when this pattern finds
 * `Q<digits><one optional word character><space>` anywhere in it, and the LAST matching header of a question
 * number wins. Taken from `create_wvs_question_map` in `scripts/utils.py` of the paper's repository
 * (github.com/BKHMSI/cultural-trends): `re.search(r"Q(\d+)[\w]? (.+)", column)`, a dict overwritten header by
 * header. Egypt has `Q78 Confidence: Banks` and, later, `EG_Q78A Confidence: Private banks`: Q78 reads `EG_Q78A`,
 * which is also what the question asked (`wvs_questions_dump.*.json`, Q78) is about.
 */
export const AUTHORS_COLUMN_PATTERN = /Q(\d+)\w? (.+)/;

/** A question's column override in a survey file: one column for every country, or per country key. */
export type ColumnOverride = string | Record<string, string>;

/** The respondents column a question's real answers are read from, and why. */
export interface AnswerColumn {
  questionId: string;
  /** 0-based index of the column in the header. */
  index: number;
  /** The full header, e.g. `EG_Q78A Confidence: Private banks`. */
  header: string;
  /** Its variable code (the header's first word), e.g. `EG_Q78A`. */
  code: string;
  /** `authors`: the authors' rule (AUTHORS_COLUMN_PATTERN, last match); `survey`: the survey file's `column`;
   * `code`: a question id that is not `Q<n>` reads the column of that code. */
  rule: 'authors' | 'survey' | 'code';
  /** Every header the authors' rule matched for the question, in file order (the last one wins). */
  candidates: string[];
}

/** Options of resolveAnswerColumns. */
export interface AnswerColumnOptions {
  /** The respondents file, for errors. */
  file: string;
  /** Country key of the file (lower case, e.g. `egypt`): picks a per-country override. */
  country?: string;
}

const codeOf = (header: string): string => header.trim().split(/\s+/)[0] ?? '';

/** The override of a question for a country, if any (a per-country map without the country → none). */
export function columnOverrideFor(column: ColumnOverride | undefined, country: string | undefined): string | undefined {
  if (column === undefined) return undefined;
  if (typeof column === 'string') return column;
  return country === undefined ? undefined : column[country.toLowerCase()];
}

/**
 * Picks, for each question, the column of a respondents file its real answers come from: the survey file's
 * `column` when it names one (a variable code such as `EG_Q78A`, or a full header), else the authors' rule.
 * Throws an InputError (header line of the file) when an override names no column or no column matches.
 */
export function resolveAnswerColumns(
  header: readonly string[],
  questions: readonly (string | Pick<Question, 'id' | 'column'>)[],
  options: AnswerColumnOptions,
): AnswerColumn[] {
  const { file, country } = options;
  const byNumber = new Map<number, number[]>();
  header.forEach((h, i) => {
    const m = AUTHORS_COLUMN_PATTERN.exec(h);
    if (!m) return;
    const n = Number(m[1]);
    const list = byNumber.get(n);
    if (list) list.push(i);
    else byNumber.set(n, [i]);
  });
  const at = { file, line: 1, column: 1 };
  return questions.map((q) => {
    const questionId = typeof q === 'string' ? q : q.id;
    const num = /^Q(\d+)$/i.exec(questionId);
    const matched = num ? (byNumber.get(Number(num[1])) ?? []) : [];
    const candidates = matched.map((i) => header[i]!);
    const override = columnOverrideFor(typeof q === 'string' ? undefined : q.column, country);
    let index: number;
    let rule: AnswerColumn['rule'];
    if (override !== undefined) {
      const want = override.trim();
      index = header.findIndex((h) => h.trim() === want);
      if (index < 0) index = header.findIndex((h) => codeOf(h) === want);
      if (index < 0) {
        throw new InputError(`${questionId}: the survey's "column" names ${want}, which is not a column of this file${candidates.length ? ` (the authors' rule would read ${codeOf(candidates[candidates.length - 1]!)})` : ''}`, at, `${questionId}.column`);
      }
      rule = 'survey';
    } else if (matched.length) {
      index = matched[matched.length - 1]!;
      rule = 'authors';
    } else {
      index = header.findIndex((h) => codeOf(h) === questionId);
      if (index < 0) throw new InputError(`missing WVS column for ${questionId} (no header matches Q<n> as the authors' scripts read it; set "column" in the survey)`, at, `answers.${questionId}`);
      rule = 'code';
    }
    const h = header[index]!;
    return { questionId, index, header: h, code: codeOf(h), rule, candidates };
  });
}

/** One line per question whose column is not simply its own code, or was one of several: what a researcher should see. */
export function describeAnswerColumns(columns: readonly AnswerColumn[], source?: string): string[] {
  const where = source ? ` in ${source}` : '';
  return columns
    .filter((c) => c.code !== c.questionId || c.candidates.length > 1)
    .map((c) => {
      const why = c.rule === 'survey'
        ? 'set by the survey\'s "column"'
        : c.rule === 'authors'
          ? `the authors' rule: the last column matching Q<n>${c.candidates.length > 1 ? ` among ${c.candidates.map(codeOf).join(', ')}` : ''}`
          : 'the column of that code';
      return `${c.questionId} reads column "${c.header}"${where} (${why})`;
    });
}
