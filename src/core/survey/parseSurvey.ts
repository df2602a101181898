import { InputError } from '../errors';
import type { Survey } from '../model';
import { parseStructured } from '../workspace/parseStructured';
import { checkSurvey } from './checkSurvey';

/**
 * Parses a survey in the workspace format (JSON when `file` ends in `.json`, else YAML).
 * Throws an InputError naming file, line, column and field at the first error; warnings are ignored here
 * (use diagnoseSurvey to see them).
 */
export function parseSurvey(text: string, file: string): Survey {
  const check = checkSurvey(parseStructured(text, file));
  const first = check.diagnostics.find((d) => d.severity === 'error');
  if (first) throw new InputError(first.message, first, first.field);
  return check.survey;
}
