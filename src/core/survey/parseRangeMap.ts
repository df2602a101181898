import { InputError } from '../errors';

/**
 * Reads the paper's range-keyed maps (`wvs_options.json`, `wvs_themes.json`): keys like `"1-6"` or `"57"`
 * → value, looked up by question number.
 */
export function parseRangeMap<T>(map: Record<string, T>, file: string): (questionNumber: number) => T | undefined {
  const ranges = Object.entries(map).map(([key, value]) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(key);
    if (!m) throw new InputError(`range key "${key}" is not "<n>" or "<from>-<to>"`, { file, line: 1, column: 1 }, key);
    return { from: Number(m[1]), to: Number(m[2] ?? m[1]), value };
  });
  return (n) => ranges.find((r) => n >= r.from && n <= r.to)?.value;
}
