// Containment: a path named by workspace data (an experiment's template, survey, personas, completions, a run's
// manifest) must resolve, through every symbolic link, to a file inside the workspace. A cloned repository can then
// never read a file of the user's elsewhere (into a prompt, a report) by naming `../../etc/passwd`, an absolute
// path, or a link that points out. See docs/security.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';

/** Where a path was named, for the error: the file naming it, its field, and the field's line and column there. */
export interface PathSource {
  file: string;
  field: string;
  line?: number;
  column?: number;
}

/**
 * The real path of `p` (every link resolved): realpath of its longest existing prefix, plus the rest, so a file
 * not created yet resolves too. A dangling link resolves to undefined (where it would write is not knowable).
 */
export function realPathOf(p: string): string | undefined {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
      try {
        if (fs.lstatSync(cur).isSymbolicLink()) return undefined;
      } catch {
        // does not exist: its parent decides
      }
      const parent = path.dirname(cur);
      if (parent === cur) return undefined;
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

/** True when `inner` is `outer` or below it (both absolute, already real). */
export function isWithin(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}

/**
 * Resolves `relative` against `base` and checks that it really lies inside `root` (through links). Returns the
 * absolute path (as named, not the link target). Outside: an InputError at the naming field; nothing is read.
 */
export function containedPath(root: string, base: string, relative: string, source: PathSource): string {
  const abs = path.resolve(base, relative);
  checkContained(root, abs, source, relative);
  return abs;
}

/** Throws the located InputError when `abs` does not really lie inside `root`. */
export function checkContained(root: string, abs: string, source: PathSource, named: string = abs): void {
  const realRoot = realPathOf(root) ?? path.resolve(root);
  const real = realPathOf(abs);
  if (real !== undefined && isWithin(realRoot, real)) return;
  const via = real === undefined ? ' (a dangling symbolic link)' : real !== path.resolve(abs) ? ` (it resolves to ${real})` : '';
  throw new InputError(`"${named}" is outside the workspace ${root}${via}: workspace files may only name files inside it`, { file: source.file, line: source.line ?? 1, column: source.column ?? 1 }, source.field);
}
