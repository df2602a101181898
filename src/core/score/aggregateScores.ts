import type { FilteredItems } from './filterItems';
import type { ScoringCondition } from './scoreResponses';
import { Acc, SEP, compareGroupKeys, personaValues, sampleCounts, type QuestionInfo, type Scored } from './scoringModel';
import type { ConditionScore, GroupScore, ItemScore, ParseSummary, PersonaScore, ScoreReport } from './types';

/** Phase 5's result: per condition, breakdown group and persona means, and one row per kept item. */
export interface AggregatedScores {
  conditionScores: ConditionScore[];
  groups: ScoreReport['groups'];
  personaScores: ScoreReport['personas'];
  itemRows: ItemScore[];
}

/**
 * Phase 5, aggregates: means of the kept items per condition (overall), per breakdown group (persona fields, theme,
 * question, variant; sorted by key) and per persona (in order of their first kept item), with normalised scores.
 * The across-variants view and consistency are filled in by poolVariants.
 */
export function aggregateScores(
  conditions: readonly ScoringCondition[], scored: readonly Scored[][], filtered: FilteredItems, parse: readonly ParseSummary[],
  questions: ReadonlyMap<string, QuestionInfo>, includeItems: boolean,
): AggregatedScores {
  const { funnels, personaIndex, survey } = filtered;
  const groupKeys = filtered.groups.keys;
  const groups: ScoreReport['groups'] = [];
  const personaScores: ScoreReport['personas'] = [];
  const itemRows: ItemScore[] = [];
  const conditionScores: ConditionScore[] = conditions.map((cond, ci) => {
    const np = personaIndex.size;
    const overall = new Acc(np);
    // By dense group id and persona index; personas listed in order of their first kept item.
    const byGroup: (Acc | undefined)[] = [];
    const byPersona: (Acc | undefined)[] = [];
    const personaOrder: Scored[] = [];
    const group = (g: number): Acc => (byGroup[g] ??= new Acc(np));
    for (const sc of scored[ci]!) {
      const m = sc.m;
      overall.add(m, sc.pi);
      for (const g of sc.pg) group(g).add(m, sc.pi);
      for (const g of sc.qg) group(g).add(m, sc.pi);
      group(sc.vg).add(m, sc.pi);
      let pa = byPersona[sc.pi];
      if (!pa) {
        byPersona[sc.pi] = pa = new Acc(np);
        personaOrder.push(sc);
      }
      pa.add(m, sc.pi);
      if (includeItems) {
        itemRows.push({
          condition: cond.id, personaId: sc.personaId, questionId: sc.questionId, variant: sc.variant, votes: sc.votes,
          sampleCounts: sampleCounts(sc.answers, questions.get(sc.questionId)!.n), surveyAnswer: sc.s, soft: m.soft, hard: m.hard, randomSoft: m.randomSoft, randomHard: m.randomHard,
        });
      }
    }
    const present: number[] = [];
    byGroup.forEach((acc, g) => { if (acc) present.push(g); });
    for (const g of present.sort((a, b) => compareGroupKeys(groupKeys[a]!, groupKeys[b]!))) {
      const acc = byGroup[g]!;
      const [field, value] = groupKeys[g]!.split(SEP) as [string, string];
      groups.push({ condition: cond.id, field, value, ...acc.scores() } satisfies GroupScore & { condition: string });
    }
    for (const { personaId, pi } of personaOrder) {
      const acc = byPersona[pi]!;
      personaScores.push({ condition: cond.id, personaId, values: { ...personaValues(survey.persona(personaId)) }, ...acc.scores() } satisfies PersonaScore & { condition: string });
    }
    return {
      condition: cond.id, ...(cond.label ? { label: cond.label } : {}), lang: cond.lang, model: cond.model, recorded: !!cond.recorded,
      scores: overall.scores(),
      acrossVariants: new Acc(0).scores(),
      funnel: funnels[ci]!,
      parse: parse[ci]!,
      consistency: { condition: cond.id, acrossVariants: NaN, variantPairs: 0, acrossSamples: NaN, sampleItems: 0, byQuestion: [] },
    };
  });
  return { conditionScores, groups, personaScores, itemRows };
}
