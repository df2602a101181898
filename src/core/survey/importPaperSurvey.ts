import { InputError, lineColumnAt } from '../errors';
import type { Question, Survey } from '../model';
import type { NamedText } from '../workspace/NamedText';
import { PAPER_NOMINAL_QUESTIONS } from './nominalQuestions';
import { parseRangeMap } from './parseRangeMap';

/** The paper's survey files (AlKhamissi et al. 2024, `dataset/`). */
export interface PaperSurveyFiles {
  /** `wvs_questions_dump.<lang>.json` per language; `en` is required (it names the "Don't know" option). */
  questions: Record<string, NamedText>;
  /** `wvs_options.json`: fallback option lists by question-number range. */
  options: NamedText;
  /** `wvs_themes.json`: theme by question-number range. */
  themes: NamedText;
  /** `filtered_selected_questions.csv`: the questions to keep, in order; all questions of the English dump when absent. */
  selected?: NamedText;
  /** Question ids scored as nominal; default the paper's list. */
  nominal?: readonly string[];
}

interface DumpEntry {
  description?: unknown;
  questions?: unknown;
  options?: unknown;
}

function parseJson(input: NamedText): unknown {
  try {
    return JSON.parse(input.text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file: input.file, ...lineColumnAt(input.text, at ? Number(at[1]) : 0) });
  }
}

function asObject(value: unknown, input: NamedText): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('expected a JSON object at the top level', { file: input.file, line: 1, column: 1 });
  }
  return value as Record<string, unknown>;
}

function locateKey(input: NamedText, key: string): { file: string; line: number; column: number } {
  const offset = input.text.indexOf(`"${key}"`);
  return { file: input.file, ...lineColumnAt(input.text, Math.max(offset, 0)) };
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');

/**
 * Builds a Survey from the paper's files: question texts (4 paraphrases) and options per language from the dumps,
 * themes from the ranges in `wvs_themes.json`, "Don't know" position from the English options, nominal questions
 * per the paper. Q234 stays in (the paper's scoring skips it; scoring decides).
 */
export function importPaperSurvey(files: PaperSurveyFiles): Survey {
  const en = files.questions.en;
  if (!en) throw new InputError('the English question dump (wvs_questions_dump.en.json) is required', { file: '(paper files)', line: 1, column: 1 }, 'questions.en');
  const dumps = Object.fromEntries(Object.entries(files.questions).map(([lang, input]) => [lang, asObject(parseJson(input), input)]));
  const optionsByNumber = parseRangeMap(asObject(parseJson(files.options), files.options) as Record<string, unknown>, files.options.file);
  const themeByNumber = parseRangeMap(asObject(parseJson(files.themes), files.themes) as Record<string, unknown>, files.themes.file);
  const nominal = new Set(files.nominal ?? PAPER_NOMINAL_QUESTIONS);

  const ids = files.selected
    ? files.selected.text.replace(/^\uFEFF/, '').split(/[,\n\r]+/).map((s) => s.trim()).filter(Boolean)
    : Object.keys(dumps.en);

  const questions = ids.map((id): Question => {
    const num = Number(/^Q(\d+)$/i.exec(id)?.[1]);
    if (!Number.isFinite(num)) {
      const src = files.selected ?? en;
      throw new InputError(`"${id}" is not a question id like Q19`, locateKey(src, id), 'id');
    }
    const description: Record<string, string> = {};
    const options: Record<string, string[]> = {};
    const variants: Record<string, string[]> = {};
    for (const [lang, dump] of Object.entries(dumps)) {
      const input = files.questions[lang];
      const entry = dump[id] as DumpEntry | undefined;
      if (!entry) {
        if (lang === 'en') throw new InputError(`question ${id} is not in the English dump`, locateKey(files.selected ?? en, id), id);
        continue; // A missing translation is reported by diagnoseSurvey on the workspace file.
      }
      if (!isStrings(entry.questions)) throw new InputError(`${id}: "questions" must be a list of texts`, locateKey(input, id), `${id}.questions`);
      variants[lang] = entry.questions;
      if (typeof entry.description === 'string') description[lang] = entry.description;
      const fallback = optionsByNumber(num);
      const list = isStrings(entry.options) ? entry.options : isStrings(fallback) ? fallback : undefined;
      if (!list) throw new InputError(`${id}: no options in the dump nor in ${files.options.file}`, locateKey(input, id), `${id}.options`);
      options[lang] = list;
    }
    const dk = options.en.findIndex((o) => /^don['’]t know$/i.test(o.trim()));
    const theme = themeByNumber(num);
    return {
      id,
      theme: typeof theme === 'string' ? theme : '',
      description,
      scale: nominal.has(id) ? 'nominal' : 'ordinal',
      options,
      dontKnowIndex: dk >= 0 ? dk : null,
      variants,
    };
  });
  return { source: files.selected?.file ?? en.file, questions };
}
