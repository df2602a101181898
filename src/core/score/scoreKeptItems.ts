import type { FilteredItems } from './filterItems';
import { voteMetrics, type Scored } from './scoringModel';
import type { ScoringSettings } from './types';

/**
 * Phases 3 and 4: the paper's protocol across conditions (with `commonItems`, an item is kept only when every
 * condition has it as a candidate; the rest count as `notCommon`), then the soft/hard scores and random baselines of
 * every kept item. Returns the kept items of each condition in order; `candidates` keep serving lookups by id
 * (with `kept` set).
 */
export function scoreKeptItems(conditionCount: number, itemCount: number, settings: ScoringSettings, filtered: FilteredItems): Scored[][] {
  const { candidates, funnels } = filtered;
  // common[id] = number of conditions with a candidate for item id; an item is common when all have one.
  let common: Int32Array | null = null;
  if (settings.commonItems && conditionCount > 1) {
    common = new Int32Array(itemCount);
    for (const list of candidates) for (const c of list) common[c.key]!++;
  }
  return candidates.map((list, ci) => {
    const out: Scored[] = [];
    for (const c of list) {
      if (common && common[c.key] !== conditionCount) { funnels[ci]!.notCommon++; continue; }
      c.m = voteMetrics(c.votes, c.s, c.qi);
      c.kept = true;
      out.push(c);
      funnels[ci]!.kept++;
    }
    return out;
  });
}
