import type { SourceLocation } from './model';

/**
 * A problem in a user's input file. Carries the file, line, column and field so the host can point at it
 * (a diagnostic or a notification with "Open file"), and the CLI can print `file:line:col`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly location: SourceLocation,
    readonly field?: string,
  ) {
    super(`${location.file}:${location.line}:${location.column}: ${message}${field ? ` (field "${field}")` : ''}`);
  }
}

/** 1-based line and column of a character offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
