import { pairedClusterDelta } from '../score/pairedStatistics';
import type { DeltaEstimate, PairedDelta as ReportDelta } from '../score/types';
import type {
  ConditionSummary, Coverage, Estimate, GroupBreakdown, GroupRow, PairedDelta, PersonaRow, ResultsInput, ScoredItem,
} from './types';
import type { ResultsView } from './types';

/** The persona fields the breakdowns and the table show, in order. `theme` is a question field, added last. */
export const GROUP_FIELDS: Array<{ key: string; label: string }> = [
  { key: 'region', label: 'Region' },
  { key: 'sex', label: 'Sex' },
  { key: 'age', label: 'Age group' },
  { key: 'marital_status', label: 'Marital status' },
  { key: 'education', label: 'Education' },
  { key: 'social_class', label: 'Social class' },
];

export interface ViewOptions {
  /** Headline pair `[a, b]` (delta = b − a); defaults to the input's `compare`, else the first two conditions. */
  pair?: [string, string];
  /** Bootstrap resamples per estimate (0 = no CIs); default the scoring report's, else 1000. */
  resamples?: number;
  /**
   * Resamples for the breakdowns only (default: `resamples`). 0 gives a quick first view (group means, no group
   * CIs) that the panel paints at once while the full view is computed.
   */
  breakdownResamples?: number;
}

/** Per persona (cluster) sums of one measure: the bootstrap works on these. */
interface Clusters {
  soft: Float64Array;
  hard: Float64Array;
  rSoft: Float64Array;
  rHard: Float64Array;
  count: Float64Array;
}

function clusters(n: number): Clusters {
  return { soft: new Float64Array(n), hard: new Float64Array(n), rSoft: new Float64Array(n), rHard: new Float64Array(n), count: new Float64Array(n) };
}

function isScored(it: ScoredItem): it is ScoredItem & { soft: number; hard: number } {
  return !it.dropped && typeof it.soft === 'number' && typeof it.hard === 'number';
}


const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Σ sums / Σ counts over the personas with items, with the persona-cluster bootstrap interval of scoring's
 * statistics engine (`pairedClusterDelta`, the one that computes `score --json`'s deltas).
 */
function estimate(sums: Float64Array, counts: Float64Array, seed: number, key: string, resamples: number, confidence: number, permutations = 0): Estimate & { p: number | null } {
  const s: number[] = [];
  const c: number[] = [];
  let items = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      s.push(sums[i]);
      c.push(counts[i]);
      items += counts[i];
    }
  }
  if (!c.length) return { mean: null, lo: null, hi: null, n: 0, items: 0, p: null };
  const e = pairedClusterDelta(s, c, { seed, context: `view|${key}`, bootstrap: resamples, permutations, confidence });
  return { mean: fin(e.delta), lo: resamples > 0 ? fin(e.ciLow) : null, hi: resamples > 0 ? fin(e.ciHigh) : null, n: c.length, items, p: fin(e.pValue) };
}

const strip = ({ mean, lo, hi, n, items }: Estimate): Estimate => ({ mean, lo, hi, n, items });

/** A scoring delta as a view estimate (`items` from the view's own pairing of the same items). */
function fromDelta(d: DeltaEstimate, items: number): Estimate {
  return { mean: fin(d.delta), lo: fin(d.ciLow), hi: fin(d.ciHigh), n: d.n, items };
}

/** The results views call the age bucket `age`; scoring calls it `age_bucket`. */
const reportField = (key: string): string => (key === 'age' ? 'age_bucket' : key);

/**
 * Builds everything the results panel shows from scored items: per-condition overview with CIs and coverage,
 * the headline paired delta, per-demographic and per-theme breakdowns, and one row per persona.
 * Pure and deterministic (seeded bootstrap), so the panel, the CLI export and the HTML report agree.
 * With the scoring report's statistics in `input.stats` (every loaded run), the means, the paired deltas, their
 * CIs and p-values are the report's own, so they equal `alignment-studio score --json` to the last digit; only
 * the intervals of single-condition means (which the report does not carry) are computed here, by the same engine.
 */
export function buildResultsView(input: ResultsInput, options: ViewOptions = {}): ResultsView {
  const stats = input.stats;
  const resamples = options.resamples ?? stats?.settings.bootstrapResamples ?? 1000;
  const groupResamples = options.breakdownResamples ?? resamples;
  const seed = stats?.settings.seed ?? input.seed ?? 1;
  const confidence = stats?.settings.confidence ?? 0.95;
  const condIds = input.conditions.map((c) => c.id);
  const pair = choosePair(condIds, options.pair ?? input.compare);
  const personaIndex = new Map(input.personas.map((p, i) => [p.id, i]));
  const themes = [...new Set(input.questions.map((q) => q.theme))];
  const themeIndex = new Map(themes.map((t, i) => [t, i]));
  const P = input.personas.length;

  // Items are addressed by a dense slot (persona, question, variant) so pairing two conditions needs no string keys.
  const qIndex = new Map(input.questions.map((q, i) => [q.id, i]));
  const Q = input.questions.length + 1; // last slot: questions missing from the survey list
  let V = 1;
  for (const it of input.items) if (it.variant + 1 > V) V = it.variant + 1;
  const qTheme = Int32Array.from({ length: Q }, (_, i) => (i < input.questions.length ? themeIndex.get(input.questions[i].theme) ?? -1 : -1));
  const slotOf = (pi: number, it: ScoredItem) => (pi * Q + (qIndex.get(it.questionId) ?? Q - 1)) * V + it.variant;

  // Per condition: persona clusters overall and per theme; coverage counts; slot → item index + 1.
  const byCond = new Map<string, { all: Clusters; byTheme: Clusters[]; byQuestion: Clusters[]; coverage: Coverage; slots: Int32Array }>();
  for (const c of condIds) {
    byCond.set(c, {
      all: clusters(P), byTheme: themes.map(() => clusters(P)), byQuestion: input.questions.map(() => clusters(P)),
      coverage: { items: 0, scored: 0, unparsed: 0, noSurveyAnswer: 0, sameAnswer: 0, noResponse: 0 }, slots: new Int32Array(P * Q * V),
    });
  }
  const add = (cl: Clusters, pi: number, it: ScoredItem & { soft: number; hard: number }) => {
    cl.soft[pi] += it.soft;
    cl.hard[pi] += it.hard;
    cl.rSoft[pi] += it.rSoft ?? 0;
    cl.rHard[pi] += it.rHard ?? 0;
    cl.count[pi]++;
  };
  const items = input.items;
  for (let ix = 0; ix < items.length; ix++) {
    const it = items[ix];
    const acc = byCond.get(it.condition);
    const pi = personaIndex.get(it.personaId);
    if (!acc || pi === undefined) continue;
    acc.coverage.items++;
    if (!isScored(it)) {
      const r = it.dropped ?? 'no-response';
      if (r === 'unparsed') acc.coverage.unparsed++;
      else if (r === 'no-survey-answer') acc.coverage.noSurveyAnswer++;
      else if (r === 'same-answer' || r === 'filtered') acc.coverage.sameAnswer++;
      else acc.coverage.noResponse++;
      continue;
    }
    acc.coverage.scored++;
    const slot = slotOf(pi, it);
    acc.slots[slot] = ix + 1;
    add(acc.all, pi, it);
    const qx = Math.floor(slot / V) % Q;
    const ti = qTheme[qx];
    if (ti >= 0) add(acc.byTheme[ti], pi, it);
    if (qx < input.questions.length) add(acc.byQuestion[qx], pi, it);
  }

  const overview: ConditionSummary[] = input.conditions.map((condition) => {
    const acc = byCond.get(condition.id)!;
    const soft = strip(estimate(acc.all.soft, acc.all.count, seed, `soft:${condition.id}`, resamples, confidence));
    const hard = strip(estimate(acc.all.hard, acc.all.count, seed, `hard:${condition.id}`, resamples, confidence));
    const total = sum(acc.all.count);
    let rSoft = total ? sum(acc.all.rSoft) / total : null;
    let rHard = total ? sum(acc.all.rHard) / total : null;
    let softNorm = normalise(soft.mean, rSoft);
    let hardNorm = normalise(hard.mean, rHard);
    const rc = stats?.conditions.find((c) => c.condition === condition.id);
    if (rc && rc.scores.items > 0) {
      // The report's means (same items, summed once by scoring).
      soft.mean = rc.scores.soft;
      hard.mean = rc.scores.hard;
      rSoft = rc.scores.randomSoft;
      rHard = rc.scores.randomHard;
      softNorm = fin(rc.scores.softNorm);
      hardNorm = fin(rc.scores.hardNorm);
    }
    return { condition, soft, hard, rSoft, rHard, softNorm, hardNorm, coverage: input.coverage?.[condition.id] ?? acc.coverage };
  });

  // Paired differences b − a per persona (overall and per theme), on the items scored in both.
  let paired: { all: Clusters; byTheme: Clusters[]; byQuestion: Clusters[] } | null = null;
  if (pair) {
    paired = { all: clusters(P), byTheme: themes.map(() => clusters(P)), byQuestion: input.questions.map(() => clusters(P)) };
    const A = byCond.get(pair[0])!.slots;
    const B = byCond.get(pair[1])!.slots;
    for (let slot = 0; slot < B.length; slot++) {
      if (!A[slot] || !B[slot]) continue;
      const itA = items[A[slot] - 1] as ScoredItem & { soft: number; hard: number };
      const itB = items[B[slot] - 1] as ScoredItem & { soft: number; hard: number };
      const pi = Math.floor(slot / (Q * V));
      const qx = Math.floor(slot / V) % Q;
      const ti = qTheme[qx];
      const into = ti >= 0 ? [paired.all, paired.byTheme[ti]] : [paired.all];
      if (qx < input.questions.length) into.push(paired.byQuestion[qx]);
      for (const cl of into) {
        cl.soft[pi] += itB.soft - itA.soft;
        cl.hard[pi] += itB.hard - itA.hard;
        cl.count[pi]++;
      }
    }
  }

  // The report's deltas of this pair (scoring's sign-flip test and persona bootstrap), when it has them.
  const reportDelta = (metric: 'soft' | 'hard'): ReportDelta | undefined =>
    pair ? stats?.deltas.find((d) => d.a === pair[0] && d.b === pair[1] && d.metric === metric) : undefined;
  const rdSoft = reportDelta('soft');
  const rdHard = reportDelta('hard');
  let headline: PairedDelta | null = null;
  if (pair && paired) {
    const pairedItems = sum(paired.all.count);
    // Without a report (hand-built inputs): the same engine on the view's own pairing.
    const own = rdSoft ? null : estimate(paired.all.soft, paired.all.count, seed, 'delta:soft', resamples, confidence, resamples);
    const soft: Estimate = rdSoft ? fromDelta(rdSoft.overall, pairedItems) : { mean: own!.mean, lo: own!.lo, hi: own!.hi, n: own!.n, items: own!.items };
    const hard = rdHard ? fromDelta(rdHard.overall, pairedItems) : strip(estimate(paired.all.hard, paired.all.count, seed, 'delta:hard', resamples, confidence));
    const p = rdSoft ? fin(rdSoft.overall.pValue) : own!.p;
    let gained = 0;
    let lost = 0;
    let unchanged = 0;
    for (let i = 0; i < P; i++) {
      if (!paired.all.count[i]) continue;
      const d = paired.all.soft[i] / paired.all.count[i];
      if (d > 1e-12) gained++;
      else if (d < -1e-12) lost++;
      else unchanged++;
    }
    headline = { a: pair[0], b: pair[1], soft, hard, p, gained, lost, unchanged };
  }

  // Group means and group deltas: the report's (its groups and its delta groups), CIs of group means by the engine.
  const reportGroups = new Map<string, number>();
  for (const g of stats?.groups ?? []) if (g.items > 0) reportGroups.set(`${g.condition}\u0000${g.field}\u0000${g.value}`, g.soft);
  const withReportMean = (e: Estimate, condition: string, key: string, value: string): Estimate => {
    const m = reportGroups.get(`${condition}\u0000${reportField(key)}\u0000${value}`);
    return m !== undefined && e.n > 0 ? { ...e, mean: m } : e;
  };
  const reportGroupDeltas = new Map<string, ReportDelta['groups'][number]>();
  for (const g of rdSoft?.groups ?? []) reportGroupDeltas.set(`${g.field}\u0000${g.value}`, g);
  const groupTest = (key: string, value: string): GroupRow['test'] => {
    const d = rdSoft ? reportGroupDeltas.get(`${reportField(key)}\u0000${value}`) : undefined;
    return d ? { p: fin(d.pValue), pHolm: fin(d.pHolm), qBH: fin(d.qBH) } : undefined;
  };
  const groupDelta = (sums: Float64Array, counts: Float64Array, key: string, value: string, ctx: string): Estimate => {
    const d = reportGroupDeltas.get(`${reportField(key)}\u0000${value}`);
    if (d && rdSoft) return fromDelta(d, sum(counts));
    return strip(estimate(sums, counts, seed, ctx, groupResamples, confidence));
  };

  const breakdowns: GroupBreakdown[] = GROUP_FIELDS.map(({ key, label }) => {
    const members = new Map<string, number[]>();
    input.personas.forEach((p, i) => {
      const v = p.fields[key] ?? 'unknown';
      let list = members.get(v);
      if (!list) members.set(v, (list = []));
      list.push(i);
    });
    const groups: GroupRow[] = [...members.entries()].sort(groupOrder(key)).map(([value, idx]) => {
      const pick = (arr: Float64Array) => Float64Array.from(idx, (i) => arr[i]);
      const perCondition: Record<string, Estimate> = {};
      for (const c of condIds) {
        const acc = byCond.get(c)!.all;
        perCondition[c] = withReportMean(strip(estimate(pick(acc.soft), pick(acc.count), seed, `g:${key}:${value}:${c}`, groupResamples, confidence)), c, key, value);
      }
      const delta = paired ? groupDelta(pick(paired.all.soft), pick(paired.all.count), key, value, `gd:${key}:${value}`) : null;
      const test = delta ? groupTest(key, value) : undefined;
      return { value, personas: idx.length, perCondition, delta, ...(test ? { test } : {}) };
    });
    return { field: key, label, groups };
  });
  breakdowns.push({
    field: 'theme', label: 'Theme',
    groups: themes.map((theme, ti) => {
      const perCondition: Record<string, Estimate> = {};
      for (const c of condIds) {
        const cl = byCond.get(c)!.byTheme[ti];
        perCondition[c] = withReportMean(strip(estimate(cl.soft, cl.count, seed, `t:${theme}:${c}`, groupResamples, confidence)), c, 'theme', theme);
      }
      const delta = paired ? groupDelta(paired.byTheme[ti].soft, paired.byTheme[ti].count, 'theme', theme, `td:${theme}`) : null;
      const test = delta ? groupTest('theme', theme) : undefined;
      return { value: theme, personas: P, perCondition, delta, ...(test ? { test } : {}) };
    }),
  });
  // Per question: the table whose many tests most need the multiplicity-adjusted p-values beside the raw ones.
  breakdowns.push({
    field: 'question', label: 'Question',
    groups: input.questions.map((q, qx) => {
      const perCondition: Record<string, Estimate> = {};
      for (const c of condIds) {
        const cl = byCond.get(c)!.byQuestion[qx];
        perCondition[c] = withReportMean(strip(estimate(cl.soft, cl.count, seed, `q:${q.id}:${c}`, groupResamples, confidence)), c, 'question', q.id);
      }
      const delta = paired ? groupDelta(paired.byQuestion[qx].soft, paired.byQuestion[qx].count, 'question', q.id, `qd:${q.id}`) : null;
      const test = delta ? groupTest('question', q.id) : undefined;
      return { value: q.id, personas: P, perCondition, delta, ...(test ? { test } : {}) };
    }),
  });

  const personas: PersonaRow[] = input.personas.map((p, i) => {
    const soft: Record<string, number | null> = {};
    for (const c of condIds) {
      const cl = byCond.get(c)!.all;
      soft[c] = cl.count[i] ? cl.soft[i] / cl.count[i] : null;
    }
    const n = paired?.all.count[i] ?? 0;
    return { id: p.id, fields: p.fields, age: p.age, soft, delta: n ? paired!.all.soft[i] / n : null, pairedItems: n };
  });

  return {
    runId: input.runId, experimentName: input.experimentName, createdAt: input.createdAt, recorded: input.recorded,
    conditions: input.conditions, overview, pair, headline, breakdowns, personas,
    fields: GROUP_FIELDS, questions: input.questions, breakdownCIs: groupResamples > 0,
    samples: input.samples, responses: input.responses, failedResponses: input.failedResponses,
    ...(stats ? { settings: stats.settings } : {}), ...(input.read ? { read: input.read } : {}),
    ...(rdSoft?.multiplicity ? { multiplicity: rdSoft.multiplicity } : {}), ...(input.stop ? { stop: input.stop } : {}),
  };
}

/** The headline pair: the requested one if both ids exist, else the first two conditions (null if < 2). */
export function choosePair(condIds: string[], wanted?: [string, string]): [string, string] | null {
  if (wanted && wanted[0] !== wanted[1] && condIds.includes(wanted[0]) && condIds.includes(wanted[1])) return [wanted[0], wanted[1]];
  return condIds.length >= 2 ? [condIds[0], condIds[1]] : null;
}

function normalise(score: number | null, random: number | null): number | null {
  if (score === null || random === null || random >= 1) return null;
  return (score - random) / (1 - random);
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

/** Age groups in age order; other fields by label (stable, language-independent). */
function groupOrder(field: string): (a: [string, number[]], b: [string, number[]]) => number {
  return ([a], [b]) => (field === 'age' ? a.localeCompare(b, 'en', { numeric: true }) : a.localeCompare(b));
}
