import type { ExperimentSpec } from '../experiment';
import type { Question } from '../model';
import { variantsFor } from '../run/expandRequests';
import type { LivePlan } from './LiveScorer';

/** The live scorer's view of an experiment's plan: samples per item and the variants each condition asks. */
export function livePlan(spec: ExperimentSpec, questions: readonly Question[]): LivePlan {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const lang = new Map(spec.conditions.map((c) => [c.id, c.lang]));
  const memo = new Map<string, number[]>();
  return {
    samples: spec.samples,
    variants(conditionId, questionId) {
      const key = `${conditionId}\u0000${questionId}`;
      let v = memo.get(key);
      if (!v) {
        const q = byId.get(questionId);
        const l = lang.get(conditionId);
        memo.set(key, (v = q && l !== undefined ? variantsFor(q, spec, l) : []));
      }
      return v;
    },
  };
}
