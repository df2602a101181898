import { adjustFamilies, MULTIPLICITY_METHODS } from './multiplicity';
import { ClusterResampler, ItemResampler } from './pairedStatistics';
import { SEP, compareGroupKeys, type Scored } from './scoringModel';
import type { DeltaEstimate, PairedDelta, ScoringSettings } from './types';

/**
 * b − a on the items kept in both conditions. Overall and per group: the item-weighted mean difference, with a
 * bootstrap over personas (clusters) and a sign-flip test on per-persona sums (resamples shared by all groups).
 * Per persona: the mean item difference, bootstrap and sign flips over the persona's items.
 */
export function pairedDelta(
  a: string, b: string, metric: 'soft' | 'hard', sa: readonly Scored[], sb: readonly (Scored | undefined)[],
  settings: ScoringSettings, perPersona: boolean,
): PairedDelta {
  const opts = (context: string) => ({
    seed: settings.seed, context: `${a}|${b}|${metric}|${context}`, bootstrap: settings.bootstrapResamples,
    permutations: settings.permutationResamples, confidence: settings.confidence,
  });
  const perPersonaDiffs = new Map<string, number[]>();
  const pairedItems: Scored[] = [];
  const diffs: number[] = [];
  for (const x of sa) {
    const y = sb[x.key];
    if (!y?.kept) continue;
    const d = y.m[metric] - x.m[metric];
    const list = perPersonaDiffs.get(x.personaId);
    if (list) list.push(d);
    else perPersonaDiffs.set(x.personaId, [d]);
    pairedItems.push(x);
    diffs.push(d);
  }
  // Personas are the clusters: resamples and sign flips are drawn once and shared by every group.
  const ids = [...perPersonaDiffs.keys()].sort();
  const k = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  // Per group (dense id, `all` first): per-persona sums and counts of the differences, in item order.
  const groupIds = new Map<string, number>([['all', 0]]);
  const clusters = [{ sums: new Float64Array(k), counts: new Float64Array(k) }];
  const add = (gk: string, pi: number, d: number): void => {
    let g = groupIds.get(gk);
    if (g === undefined) {
      groupIds.set(gk, (g = clusters.length));
      clusters.push({ sums: new Float64Array(k), counts: new Float64Array(k) });
    }
    const c = clusters[g]!;
    c.sums[pi]! += d;
    c.counts[pi]!++;
  };
  for (let j = 0; j < pairedItems.length; j++) {
    const x = pairedItems[j]!;
    const d = diffs[j]!;
    const pi = index.get(x.personaId)!;
    add('all', pi, d);
    for (const gk of x.pk) add(gk, pi, d);
    for (const gk of x.qk) add(gk, pi, d);
    add(x.vk, pi, d);
  }
  const resampler = new ClusterResampler(k, opts('clusters'));
  const groupKeys = [...groupIds.keys()].filter((gk) => gk !== 'all').sort(compareGroupKeys);
  const estimates = resampler.estimateMany([clusters[0]!, ...groupKeys.map((gk) => clusters[groupIds.get(gk)!]!)]);
  const groups = groupKeys.map((gk, i) => {
    const [field, value] = gk.split(SEP) as [string, string];
    return { field, value, ...estimates[i + 1]! };
  });
  let personas: (DeltaEstimate & { personaId: string })[] = [];
  if (perPersona && ids.length) {
    const items = new ItemResampler(Math.max(...[...perPersonaDiffs.values()].map((d) => d.length)), opts('items'));
    // Estimated by number of items (the resampler reuses its indices per length), listed by persona id.
    const lists = ids.map((personaId) => perPersonaDiffs.get(personaId)!);
    const byLength = ids.map((_, i) => i).sort((x, y) => lists[x]!.length - lists[y]!.length);
    const personaEstimates: DeltaEstimate[] = new Array<DeltaEstimate>(ids.length);
    for (const i of byLength) personaEstimates[i] = items.estimate(lists[i]!);
    personas = ids.map((personaId, i) => ({ personaId, ...personaEstimates[i]! }));
  }
  // Multiplicity: Holm and Benjamini–Hochberg within each table (multiplicity.ts).
  return {
    a, b, metric, overall: estimates[0]!, groups: adjustFamilies(groups, (g) => g.field), personas: adjustFamilies(personas, () => 'personas'),
    multiplicity: { ...MULTIPLICITY_METHODS, families: 'each breakdown field (e.g. all questions, all age groups) is one family; all personas are one family' },
  };
}
