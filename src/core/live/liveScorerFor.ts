import type { ResponseRecord } from '../experiment';
import type { Persona } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import type { OpenedExperiment } from '../run/openExperiment';
import { experimentScoringSettings, scoringConditions } from '../score/runScoringInput';
import { livePlan } from './livePlan';
import { LiveScorer } from './LiveScorer';

/**
 * The live scorer of an experiment about to run, built as `runScoringInput` builds the scoring input of its run:
 * the experiment's questions and personas, the twin country's respondents (same-answer filter), the `scoring`
 * block's settings and headline pair. So the live numbers are those `score` will print for the run.
 */
export async function liveScorerFor(experiment: OpenedExperiment, recorded: boolean): Promise<LiveScorer> {
  const { spec, questions, personas } = experiment.plan;
  const twinCountry = spec.scoring?.twinCountry?.toLowerCase();
  let twins: Persona[] | undefined;
  if (twinCountry) twins = (await loadPersonas(experiment.resolve(spec.personas))).filter((p) => p.country.toLowerCase() === twinCountry);
  return new LiveScorer({
    questions, conditions: scoringConditions(spec, { recorded }), personas, ...(twins ? { twins } : {}),
    settings: experimentScoringSettings(spec), pair: spec.scoring?.compare, plan: livePlan(spec, questions),
  });
}

/** Share of one request a record stands for: a model asked with `n` answers all samples of an item at once. */
export function requestShareOf(experiment: OpenedExperiment): (r: ResponseRecord) => number {
  const useN = new Set(experiment.plan.spec.models.filter((m) => m.useN).map((m) => m.id));
  const samples = experiment.plan.spec.samples;
  return (r) => (useN.has(r.model) ? 1 / samples : 1);
}
