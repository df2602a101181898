import { pairedClusterDelta } from '../score/pairedStatistics';
import type { Estimate, ResultsInput, RunComparison, ScoredItem } from './types';

const key = (it: ScoredItem): string => `${it.personaId}\u0000${it.questionId}\u0000${it.variant}`;
const scored = (it: ScoredItem | undefined): it is ScoredItem & { soft: number; hard: number } =>
  !!it && !it.dropped && typeof it.soft === 'number' && typeof it.hard === 'number';

/**
 * Two runs side by side (e.g. before/after a template edit): for every condition id the runs share, soft
 * alignment in each and the paired delta after − before over the items scored in both, with a persona
 * bootstrap CI. Personas are matched by id, items by (persona, question, variant).
 */
export function compareRuns(before: ResultsInput, after: ResultsInput, resamples = 1000): RunComparison {
  const seed = after.seed ?? 1;
  const idsA = new Set(before.conditions.map((c) => c.id));
  const idsB = new Set(after.conditions.map((c) => c.id));
  const shared = after.conditions.map((c) => c.id).filter((id) => idsA.has(id));
  const unmatched = [...[...idsA].filter((id) => !idsB.has(id)), ...[...idsB].filter((id) => !idsA.has(id))];
  const personas = after.personas.filter((p) => before.personas.some((q) => q.id === p.id));
  const pIndex = new Map(personas.map((p, i) => [p.id, i]));
  const P = personas.length;
  const rows = personas.map((p) => ({ id: p.id, fields: p.fields, delta: {} as Record<string, number | null> }));

  const conditions = shared.map((cond) => {
    const mapA = new Map(before.items.filter((it) => it.condition === cond).map((it) => [key(it), it]));
    const sA = new Float64Array(P), sB = new Float64Array(P), cA = new Float64Array(P), cB = new Float64Array(P);
    const dSoft = new Float64Array(P), dHard = new Float64Array(P), dN = new Float64Array(P);
    for (const it of mapA.values()) {
      const i = pIndex.get(it.personaId);
      if (i === undefined || !scored(it)) continue;
      sA[i] += it.soft;
      cA[i]++;
    }
    for (const itB of after.items) {
      if (itB.condition !== cond || !scored(itB)) continue;
      const i = pIndex.get(itB.personaId);
      if (i === undefined) continue;
      sB[i] += itB.soft;
      cB[i]++;
      const itA = mapA.get(key(itB));
      if (!scored(itA)) continue;
      dSoft[i] += itB.soft - itA.soft;
      dHard[i] += itB.hard - itA.hard;
      dN[i]++;
    }
    rows.forEach((r, i) => { r.delta[cond] = dN[i] ? dSoft[i] / dN[i] : null; });
    // Scoring's statistics engine: persona-cluster bootstrap, sign-flip test for the deltas.
    const run = (s: Float64Array, c: Float64Array, k: string, permutations: number): Estimate & { p: number | null } => {
      const ss: number[] = [];
      const cc: number[] = [];
      let items = 0;
      for (let i = 0; i < c.length; i++) if (c[i] > 0) { ss.push(s[i]); cc.push(c[i]); items += c[i]; }
      if (!cc.length) return { mean: null, lo: null, hi: null, n: 0, items: 0, p: null };
      const e = pairedClusterDelta(ss, cc, { seed, context: `compare|${k}`, bootstrap: resamples, permutations, confidence: 0.95 });
      const fin = (x: number) => (Number.isFinite(x) ? x : null);
      return { mean: fin(e.delta), lo: fin(e.ciLow), hi: fin(e.ciHigh), n: cc.length, items, p: fin(e.pValue) };
    };
    const est = (s: Float64Array, c: Float64Array, k: string): Estimate => {
      const { mean, lo, hi, n, items } = run(s, c, k, 0);
      return { mean, lo, hi, n, items };
    };
    const soft = run(dSoft, dN, `cmp:soft:${cond}`, resamples);
    let gained = 0, lost = 0, unchanged = 0;
    for (let i = 0; i < P; i++) {
      if (!dN[i]) continue;
      const d = dSoft[i] / dN[i];
      if (d > 1e-12) gained++;
      else if (d < -1e-12) lost++;
      else unchanged++;
    }
    return {
      condition: cond,
      before: est(sA, cA, `cmp:a:${cond}`),
      after: est(sB, cB, `cmp:b:${cond}`),
      delta: {
        a: `${before.runId}:${cond}`, b: `${after.runId}:${cond}`,
        soft: { mean: soft.mean, lo: soft.lo, hi: soft.hi, n: soft.n, items: soft.items },
        hard: est(dHard, dN, `cmp:hard:${cond}`), p: soft.p, gained, lost, unchanged,
      },
    };
  });
  const meta = (r: ResultsInput) => ({ runId: r.runId, experimentName: r.experimentName, createdAt: r.createdAt });
  return { before: meta(before), after: meta(after), conditions, personas: rows, unmatched };
}
