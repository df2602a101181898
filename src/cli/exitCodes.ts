// One convention for every subcommand (documented in README.md and docs/security.md):
//   0 ok · 1 failures (requests that failed, a failed batch, nothing to score) · 2 bad input or usage · 130 interrupted
import { InputError } from '../core/errors';
import { ResumeError } from '../core/run/prepareRun';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

export const EXIT_CODES_HELP = 'exit codes: 0 ok, 1 failures (failed requests, a failed batch, nothing to score), 2 bad input or usage, 130 interrupted';

/** A usage problem (unknown option, missing argument): exit 2 with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input the user can fix: a located InputError, a run that cannot be resumed, a usage error, a file or folder that is not there. */
export function isBadInput(e: unknown): e is Error {
  if (e instanceof InputError || e instanceof ResumeError || e instanceof UsageError) return true;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
