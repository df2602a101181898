// The files of a run folder (manifest.json, responses.jsonl, run.lock, temp files) are opened without following
// symbolic links: a run folder committed to a repository may hold links to the user's files elsewhere, and
// resuming, locking or repairing such a run would then cut, append to or overwrite those files. A link is a
// located error naming the file; nothing is written through it. See docs/security.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import { checkContained, isWithin } from '../workspace/containPath';

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

function linkError(file: string): InputError {
  return new InputError(`${path.basename(file)} is a symbolic link: files of a run folder are never followed (it may point outside the workspace); remove it`, { file, line: 1, column: 1 }, path.basename(file));
}

/** Throws the located error when `file` exists and is a symbolic link (platforms without O_NOFOLLOW rely on this). */
function refuseLink(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) throw linkError(file);
}

/** `fs.openSync` that never follows a link at the last component: a link is an InputError naming the file. */
export function openRunFile(file: string, flags: number, mode?: number): number {
  refuseLink(file);
  try {
    return fs.openSync(file, flags | NOFOLLOW, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw linkError(file);
    throw e;
  }
}

/** The text of a run file (not through a link). */
export function readRunFile(file: string): string {
  const fd = openRunFile(file, fs.constants.O_RDONLY);
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a run file, replacing its content (not through a link). */
export function writeRunFile(file: string, text: string): void {
  const fd = openRunFile(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

/** A run folder must be a real folder, not a link to one elsewhere. */
export function assertRunDir(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return; // missing: the caller's own error says so
  }
  if (st.isSymbolicLink()) throw new InputError(`run folder ${path.basename(dir)} is a symbolic link: run folders are never followed (it may point outside the workspace); remove it`, { file: dir, line: 1, column: 1 }, 'run folder');
}

/**
 * The runs folder of a workspace must really lie in it (`.alignment` or `.alignment/runs` may be links out of a
 * cloned repository), and hold no links to run folders elsewhere. A runs folder the user chose outside the
 * workspace (`--runs-dir`) is theirs: only the second check applies.
 */
export function assertRunsDir(runsDir: string, workspaceDir?: string): void {
  if (workspaceDir && isWithin(path.resolve(workspaceDir), path.resolve(runsDir))) {
    checkContained(workspaceDir, runsDir, { file: runsDir, field: 'runs folder' });
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const dir = path.join(runsDir, e.name);
    if (e.isSymbolicLink()) assertRunDir(dir);
    if (!e.isDirectory()) continue;
    for (const f of RUN_FILES) refuseLink(path.join(dir, f));
  }
}

/** The files the run engine opens in a run folder. */
const RUN_FILES = ['manifest.json', 'responses.jsonl', 'run.lock'];

/** Write-then-rename so a reader (or a crash) never sees half a file; the temp file is created fresh, never through a link. */
export function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true }); // a leftover of a crash (or a planted link: rm removes the link, not its target)
  const fd = openRunFile(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // rename replaces a link at `file` itself, never the file it points to.
  fs.renameSync(tmp, file);
}

/**
 * `mkdir -p` of a folder inside a run folder (e.g. `<run>/batch/downloads`) that refuses a symbolic link at any
 * level below the run folder: a committed `<run>/batch` linking elsewhere would otherwise receive the downloads.
 */
export function makeRunFolder(dir: string): void {
  const parts: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(path.join(d, 'manifest.json')); d = path.dirname(d)) {
    if (path.dirname(d) === d) {
      fs.mkdirSync(dir, { recursive: true }); // not inside a run folder (e.g. an export to a folder of the user's)
      return;
    }
    parts.unshift(d);
  }
  for (const d of parts) {
    refuseLink(d);
    if (!fs.existsSync(d)) fs.mkdirSync(d);
  }
}
