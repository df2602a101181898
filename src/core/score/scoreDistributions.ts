import { jensenShannonDistance, toDistribution, wassersteinSimilarity } from './distributionSimilarity';
import type { FilteredItems } from './filterItems';
import type { ScoringCondition } from './scoreResponses';
import { PERSONA_GROUP_FIELDS, SEP, type QuestionInfo, type Scored } from './scoringModel';
import type { DistributionScore } from './types';

/**
 * Phase 7, distributions: per condition, question and persona group (and `all`), the model's answer distribution
 * (votes, tie shares included) against the survey's over the kept items, with 1 − Jensen–Shannon distance and,
 * for ordinal questions, 1 − normalised Wasserstein distance ("Don't know" left out).
 */
export function scoreDistributions(conditions: readonly ScoringCondition[], scored: readonly Scored[][], filtered: FilteredItems, questions: ReadonlyMap<string, QuestionInfo>): DistributionScore[] {
  const distributions: DistributionScore[] = [];
  conditions.forEach((cond, ci) => {
    type Hist = { q: QuestionInfo; field: string; value: string; model: number[]; survey: number[]; n: number };
    // question → histograms by dense group id, and in order of creation (the output order).
    const byQuestion = new Map<string, { byGroup: (Hist | undefined)[]; order: Hist[] }>();
    for (const sc of scored[ci]!) {
      const qi = questions.get(sc.questionId)!;
      let hist = byQuestion.get(sc.questionId);
      if (!hist) byQuestion.set(sc.questionId, (hist = { byGroup: [], order: [] }));
      for (let g = -1; g < PERSONA_GROUP_FIELDS.length; g++) {
        const gid = g < 0 ? filtered.allGroup : sc.pg[g]!;
        let h = hist.byGroup[gid];
        if (!h) {
          const [field, value] = filtered.groups.keys[gid]!.split(SEP) as [string, string];
          hist.byGroup[gid] = h = { q: qi, field, value, model: new Array<number>(qi.n).fill(0), survey: new Array<number>(qi.n).fill(0), n: 0 };
          hist.order.push(h);
        }
        for (const v of sc.votes) h.model[v.answer - 1]! += v.weight;
        h.survey[sc.s - 1]!++;
        h.n++;
      }
    }
    for (const h of [...byQuestion.values()].flatMap((m) => m.order)) {
      const model = toDistribution(h.model);
      const survey = toDistribution(h.survey);
      const dk = h.q.dontKnow;
      const ordinal = !h.q.nominal;
      const strip = (d: number[]): number[] => (dk === null ? d : d.filter((_, i) => i !== dk - 1));
      distributions.push({
        condition: cond.id, questionId: h.q.question.id, field: h.field, value: h.value, model, survey,
        jsSimilarity: 1 - jensenShannonDistance(model, survey),
        wassersteinSimilarity: ordinal ? wassersteinSimilarity(strip(model), strip(survey)) : null,
        items: h.n,
      });
    }
  });
  return distributions;
}
