// A small flag parser for the culture commands: `--name value`, `--name=value`, boolean flags, positionals.
import { parseKeyFlag } from './keys';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Flags {
  positional: string[];
  /** The last value of each value flag. */
  values: Map<string, string>;
  /** Every value of each value flag, in order (repeatable flags such as `--key`). */
  lists: Map<string, string[]>;
  bools: Set<string>;
}

/** The `--key <origin>=<ENV_VAR>` flags (repeatable), checked: the user's own key mapping (src/cli/keys.ts). */
export function keyFlags(f: Flags): [string, string][] {
  return (f.lists.get('key') ?? []).map((v) => {
    const k = parseKeyFlag(v);
    if (typeof k === 'string') throw new UsageError(k);
    return k;
  });
}

/** Parses argv against the known flags; an unknown flag or a missing value is a UsageError. `-h` = `--help`. */
export function parseFlags(argv: readonly string[], valueFlags: readonly string[], boolFlags: readonly string[]): Flags {
  const out: Flags = { positional: [], values: new Map(), lists: new Map(), bools: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') { out.bools.add('help'); continue; }
    if (a === '-q') { out.bools.add('quiet'); continue; }
    if (!a.startsWith('--')) { out.positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (boolFlags.includes(name)) out.bools.add(name);
    else if (valueFlags.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || (v.startsWith('--') && inline === undefined)) throw new UsageError(`--${name} needs a value`);
      out.values.set(name, v);
      out.lists.set(name, [...(out.lists.get(name) ?? []), v]);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}

export function intFlag(f: Flags, name: string, min: number, max: number): number | undefined {
  const v = f.values.get(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  return Number(v);
}

export function numberFlag(f: Flags, name: string, min: number, max: number): number | undefined {
  const v = f.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${v}"`);
  return n;
}

export function pairFlag(f: Flags, name: string): [string, string] | undefined {
  const v = f.values.get(name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0] === parts[1]) throw new UsageError(`--${name} takes two different ids: a,b`);
  return parts as [string, string];
}

/** Writes and waits for the flush (the entry point exits right after; a large output would be cut short on a pipe). */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}
