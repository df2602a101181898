import { InputError } from '../errors';
import { parseStructured } from '../workspace/parseStructured';
import type { ScalePoint, SeedQuestion } from './types';

/** The seed survey file (`*.seeds.json`): `{ "name"?, "questions": SeedQuestion[] }`, as `importSeedSurvey` builds it. */
export interface SeedSurveyFile {
  name?: string;
  questions: SeedQuestion[];
}

/**
 * Parses a seed survey file. Each question needs an id, a scale `min` < `max`, English text and options whose codes
 * lie on the scale; other languages are optional. Errors name the file, line, column and field.
 */
export function parseSeedSurvey(text: string, file: string): SeedQuestion[] {
  const f = parseStructured(text, file);
  const fail = (path: (string | number)[], message: string, field?: string): never => {
    throw new InputError(message, f.locate(path), field);
  };
  const root = f.value as Partial<SeedSurveyFile> | null;
  if (!root || typeof root !== 'object' || !Array.isArray(root.questions)) fail([], 'a seed survey needs a "questions" list', 'questions');
  const seen = new Set<string>();
  return root!.questions!.map((q: Partial<SeedQuestion>, i) => {
    const p = ['questions', i];
    if (!q || typeof q !== 'object') fail(p, 'a question must be an object');
    if (typeof q.id !== 'string' || !q.id) fail([...p, 'id'], 'a question needs an "id" such as "Q27"', 'id');
    if (seen.has(q.id!)) fail([...p, 'id'], `duplicate question id "${q.id}"`, 'id');
    seen.add(q.id!);
    if (!Number.isInteger(q.min) || !Number.isInteger(q.max) || q.min! >= q.max!) fail([...p, 'min'], `${q.id}: "min" and "max" must be whole numbers with min < max`, 'min');
    if (!q.text || typeof q.text !== 'object' || typeof q.text.en !== 'string' || !q.text.en.trim()) fail([...p, 'text'], `${q.id}: "text" needs an English ("en") text`, 'text');
    if (!q.options || typeof q.options !== 'object' || !Array.isArray(q.options.en)) fail([...p, 'options'], `${q.id}: "options" needs an English ("en") list`, 'options');
    for (const [lang, list] of Object.entries(q.options!)) {
      if (!Array.isArray(list)) fail([...p, 'options', lang], `${q.id}: options.${lang} must be a list`, 'options');
      (list as ScalePoint[]).forEach((o, k) => {
        if (!o || !Number.isInteger(o.code) || o.code < q.min! || o.code > q.max! || typeof o.label !== 'string') {
          fail([...p, 'options', lang, k], `${q.id}: option ${k + 1} (${lang}) needs a "code" from ${q.min} to ${q.max} and a "label"`, 'options');
        }
      });
    }
    for (const [lang, t] of Object.entries(q.text!)) if (typeof t !== 'string') fail([...p, 'text', lang], `${q.id}: text.${lang} must be a string`, 'text');
    return q as SeedQuestion;
  });
}
