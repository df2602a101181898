// Multiple comparisons: a table of per-group (or per-question, per-persona) deltas runs one test per row, so some
// rows look "significant" by chance. Each table is a family; its p-values get Holm's step-down adjustment (controls
// the family-wise error rate) and Benjamini–Hochberg q-values (control the false discovery rate), shown beside them.

/** The methods, named as the report, the CLI and the panel cite them. */
export const MULTIPLICITY_METHODS = {
  holm: 'Holm (1979) step-down adjusted p-value (family-wise error rate)',
  bh: 'Benjamini–Hochberg (1995) q-value (false discovery rate)',
} as const;

/** Indices of the finite p-values, ascending by p (ties by index, so the result is deterministic). */
function ranked(p: readonly number[]): number[] {
  const idx: number[] = [];
  p.forEach((x, i) => {
    if (Number.isFinite(x)) idx.push(i);
  });
  return idx.sort((a, b) => p[a]! - p[b]! || a - b);
}

/** Holm step-down: p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)). NaN p-values are not tested (stay NaN, not in m). */
export function holmAdjust(p: readonly number[]): number[] {
  const out = p.map(() => NaN);
  const order = ranked(p);
  const m = order.length;
  let running = 0;
  order.forEach((i, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p[i]!));
    out[i] = running;
  });
  return out;
}

/** Benjamini–Hochberg step-up: q_(i) = min_{j ≥ i} min(1, m p_(j) / j). NaN p-values stay NaN and are not counted. */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const out = p.map(() => NaN);
  const order = ranked(p);
  const m = order.length;
  let running = 1;
  for (let j = m - 1; j >= 0; j--) {
    const i = order[j]!;
    running = Math.min(running, Math.min(1, (m * p[i]!) / (j + 1)));
    out[i] = running;
  }
  return out;
}

/** Adds `pHolm` and `qBH` to rows, each family (rows with the same `familyOf`) adjusted on its own. */
export function adjustFamilies<T extends { pValue: number }>(rows: readonly T[], familyOf: (row: T) => string): (T & { pHolm: number; qBH: number })[] {
  const families = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const f = familyOf(r);
    let list = families.get(f);
    if (!list) families.set(f, (list = []));
    list.push(i);
  });
  const holm = new Array<number>(rows.length);
  const bh = new Array<number>(rows.length);
  for (const idx of families.values()) {
    const p = idx.map((i) => rows[i]!.pValue);
    const h = holmAdjust(p);
    const q = benjaminiHochberg(p);
    idx.forEach((i, k) => {
      holm[i] = h[k]!;
      bh[i] = q[k]!;
    });
  }
  return rows.map((r, i) => ({ ...r, pHolm: holm[i]!, qBH: bh[i]! }));
}
