import type { Diagnostic, Question, ScaleKind, Survey } from '../model';
import type { StructuredFile } from '../workspace/parseStructured';

/** The result of validating a survey file: the survey as far as it could be read, and every problem found. */
export interface SurveyCheck {
  survey: Survey;
  /** Declared (or inferred) languages of the survey, e.g. `["en", "ar"]`. */
  languages: string[];
  diagnostics: Diagnostic[];
  /** Questions whose real answers come from a column the survey names (`column`), as the file says it. */
  columns: { questionId: string; column: string | Record<string, string> }[];
}

const TOP_KEYS = new Set(['$schema', 'name', 'description', 'languages', 'questions']);
const QUESTION_KEYS = new Set(['id', 'theme', 'scale', 'description', 'options', 'dontKnowIndex', 'variants', 'column']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Validates a parsed survey file (workspace format, see docs/workspace-format.md) and builds the Survey.
 * Errors make the file unusable; warnings (e.g. a question missing its Arabic variant) do not.
 */
export function checkSurvey(parsed: StructuredFile): SurveyCheck {
  const diagnostics: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, code: string, field: string, severity: Diagnostic['severity'] = 'error') => {
    diagnostics.push({ ...parsed.locate(path), severity, message, code, field });
  };
  const root = parsed.value;
  const questions: Question[] = [];
  if (!isRecord(root)) {
    report([], 'a survey file must be an object with a "questions" list', 'survey.not-object', 'questions');
    return { survey: { source: parsed.file, questions }, languages: [], diagnostics, columns: [] };
  }
  for (const key of Object.keys(root)) {
    if (!TOP_KEYS.has(key)) report([key], `unknown top-level field "${key}"`, 'survey.unknown-field', key, 'warning');
  }
  let declared: string[] | undefined;
  if (root.languages !== undefined) {
    if (isStringArray(root.languages) && root.languages.length > 0) declared = root.languages;
    else report(['languages'], '"languages" must be a non-empty list of language codes such as "en"', 'survey.bad-field', 'languages');
  }
  if (!Array.isArray(root.questions)) {
    report(['questions'], 'missing "questions": a list of questions', 'survey.missing-field', 'questions');
    return { survey: { source: parsed.file, questions }, languages: declared ?? [], diagnostics, columns: [] };
  }
  const seen = new Set<string>();
  root.questions.forEach((raw: unknown, i: number) => {
    const at = (...rest: (string | number)[]) => ['questions', i, ...rest];
    if (!isRecord(raw)) {
      report(at(), `question ${i + 1} must be an object`, 'survey.bad-question', `questions[${i}]`);
      return;
    }
    let ok = true;
    const bad = (field: string, message: string, code = 'survey.bad-field') => {
      ok = false;
      report(at(field), message, code, `questions[${i}].${field}`);
    };
    for (const key of Object.keys(raw)) {
      if (!QUESTION_KEYS.has(key)) report(at(key), `unknown question field "${key}"`, 'survey.unknown-field', key, 'warning');
    }
    const id = typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : undefined;
    if (!id) bad('id', `question ${i + 1} needs an "id" such as "Q19"`, 'survey.missing-field');
    else if (seen.has(id)) bad('id', `duplicate question id "${id}"`, 'survey.duplicate-id');
    else seen.add(id);
    const name = id ?? `question ${i + 1}`;
    if (raw.theme !== undefined && typeof raw.theme !== 'string') bad('theme', `${name}: "theme" must be text`);
    const scale = raw.scale ?? 'ordinal';
    if (scale !== 'ordinal' && scale !== 'nominal') bad('scale', `${name}: "scale" must be "ordinal" or "nominal"`);

    const options: Record<string, string[]> = {};
    if (!isRecord(raw.options) || Object.keys(raw.options).length === 0) {
      bad('options', `${name}: "options" must map a language to its option list, e.g. { "en": ["Yes", "No"] }`, 'survey.missing-field');
    } else {
      let count: number | undefined;
      for (const [lang, list] of Object.entries(raw.options)) {
        if (!isStringArray(list) || list.length < 2) {
          ok = false;
          report(at('options', lang), `${name}: options.${lang} must be a list of at least 2 option texts`, 'survey.bad-field', `questions[${i}].options.${lang}`);
          continue;
        }
        if (count !== undefined && list.length !== count) {
          ok = false;
          report(at('options', lang), `${name}: options.${lang} has ${list.length} options but another language has ${count}`, 'survey.option-count', `questions[${i}].options.${lang}`);
        }
        count ??= list.length;
        options[lang] = list;
      }
    }
    const optionCount = Object.values(options)[0]?.length ?? 0;
    let dontKnowIndex: number | null = null;
    if (raw.dontKnowIndex !== undefined && raw.dontKnowIndex !== null) {
      const d = raw.dontKnowIndex;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || (optionCount > 0 && d >= optionCount)) {
        bad('dontKnowIndex', `${name}: "dontKnowIndex" must be a 0-based option index below ${optionCount} or null`);
      } else dontKnowIndex = d;
    }
    const variants: Record<string, string[]> = {};
    if (!isRecord(raw.variants) || Object.keys(raw.variants).length === 0) {
      bad('variants', `${name}: "variants" must map a language to its paraphrases of the question`, 'survey.missing-field');
    } else {
      for (const [lang, list] of Object.entries(raw.variants)) {
        if (!isStringArray(list) || list.length === 0 || list.some((s) => !s.trim())) {
          ok = false;
          report(at('variants', lang), `${name}: variants.${lang} must be a non-empty list of question texts`, 'survey.bad-field', `questions[${i}].variants.${lang}`);
          continue;
        }
        variants[lang] = list;
      }
    }
    const description: Record<string, string> = {};
    if (raw.description !== undefined) {
      if (!isRecord(raw.description) || !Object.values(raw.description).every((s) => typeof s === 'string')) {
        bad('description', `${name}: "description" must map a language to a text`);
      } else Object.assign(description, raw.description);
    }
    let column: string | Record<string, string> | undefined;
    if (raw.column !== undefined) {
      const c = raw.column;
      const okText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
      if (okText(c)) column = c.trim();
      else if (isRecord(c) && Object.keys(c).length > 0 && Object.values(c).every(okText)) {
        column = Object.fromEntries(Object.entries(c).map(([country, v]) => [country.toLowerCase(), (v as string).trim()]));
      } else bad('column', `${name}: "column" must name a survey column (e.g. "EG_Q78A") or map country keys to columns (e.g. { "egypt": "EG_Q78A" })`);
    }
    if (ok && id) {
      questions.push({ id, theme: typeof raw.theme === 'string' ? raw.theme : '', description, scale: scale as ScaleKind, options, dontKnowIndex, variants, ...(column !== undefined ? { column } : {}) });
      if (column !== undefined) {
        // Visible where it matters: the question reads another column than its own id.
        const shown = typeof column === 'string' ? `column ${column}` : Object.entries(column).map(([country, c]) => `${c} in ${country}`).join(', ');
        const differs = typeof column === 'string' ? column !== id : Object.values(column).some((c) => c !== id);
        if (differs) report(at('column'), `${id}: real answers are read from ${shown}`, 'survey.column', `questions[${i}].column`, 'info');
      }
    }
  });

  const languages = declared ?? [...new Set(questions.flatMap((q) => [...Object.keys(q.variants), ...Object.keys(q.options)]))];
  // Every question should be askable in every language of the survey: a missing translation is a warning.
  root.questions.forEach((raw: unknown, i: number) => {
    const q = questions.find((x) => isRecord(raw) && x.id === raw.id);
    if (!q) return;
    const variantCounts = new Set(Object.values(q.variants).map((v) => v.length));
    for (const lang of languages) {
      if (!q.variants[lang]) report(['questions', i, 'variants'], `${q.id} has no "${lang}" variant`, 'survey.missing-language', `${q.id}.variants.${lang}`, 'warning');
      if (!q.options[lang]) report(['questions', i, 'options'], `${q.id} has no "${lang}" options`, 'survey.missing-language', `${q.id}.options.${lang}`, 'warning');
    }
    if (variantCounts.size > 1) {
      report(['questions', i, 'variants'], `${q.id}: languages have different numbers of variants (variant i in one language should translate variant i in another)`, 'survey.variant-count', `${q.id}.variants`, 'warning');
    }
  });
  const columns = questions.filter((q) => q.column !== undefined).map((q) => ({ questionId: q.id, column: q.column! }));
  return { survey: { source: parsed.file, questions }, languages, diagnostics, columns };
}
