import { InputError } from '../errors';
import type { Diagnostic } from '../model';
import { inputErrorToDiagnostic } from '../workspace/inputErrorToDiagnostic';
import { parseStructured } from '../workspace/parseStructured';
import { checkSurvey } from './checkSurvey';

/** Every problem in a survey file (syntax errors, invalid fields, missing translations) as diagnostics. */
export function diagnoseSurvey(text: string, file: string): Diagnostic[] {
  try {
    return checkSurvey(parseStructured(text, file)).diagnostics;
  } catch (e) {
    if (e instanceof InputError) return [inputErrorToDiagnostic(e, 'survey.syntax')];
    throw e;
  }
}
