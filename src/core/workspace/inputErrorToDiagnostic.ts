import type { InputError } from '../errors';
import type { Diagnostic } from '../model';

/** Turns an InputError into a Diagnostic (message without the `file:line:col:` prefix the error text carries). */
export function inputErrorToDiagnostic(error: InputError, code: string): Diagnostic {
  const { file, line, column } = error.location;
  let message = error.message;
  const prefix = `${file}:${line}:${column}: `;
  if (message.startsWith(prefix)) message = message.slice(prefix.length);
  const suffix = error.field ? ` (field "${error.field}")` : '';
  if (suffix && message.endsWith(suffix)) message = message.slice(0, -suffix.length);
  return { ...error.location, severity: 'error', message, code, ...(error.field ? { field: error.field } : {}) };
}
