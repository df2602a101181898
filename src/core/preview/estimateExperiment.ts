import type { ConditionSpec, ExperimentSpec } from '../experiment';
import type { Persona, Question } from '../model';
import { selectPersonas } from '../run/selectPersonas';
import { selectQuestions } from '../run/selectQuestions';
import type { ExperimentEstimate, ModelOption } from './previewModel';

export interface ExperimentEstimateInput {
  spec: ExperimentSpec;
  experimentFile: string;
  /** Every persona of the experiment's personas file (the filter is applied here). */
  personas: readonly Persona[];
  questions: readonly Question[];
  /** Models by id, with prices and maxTokens (see ModelOption). */
  models: ReadonlyMap<string, ModelOption & { recorded?: boolean }>;
  /** Input tokens of one rendered request; throws when the item cannot be rendered. */
  countItem(condition: ConditionSpec, persona: Persona, question: Question, variant: number): number;
  /** Items rendered per condition at most; the rest are extrapolated from their mean. */
  maxSamplesPerCondition?: number;
}

/**
 * Requests, tokens and cost of a whole experiment, before running it. Each condition renders an evenly
 * spread, deterministic sample of its items (all of them when there are few) and extrapolates the mean;
 * output is bounded by samples × maxTokens. Recorded (replay) models cost nothing.
 */
export function estimateExperiment(input: ExperimentEstimateInput): ExperimentEstimate {
  const { spec } = input;
  const personas = selectPersonas(input.personas, spec);
  const questions = selectQuestions(input.questions, spec);
  const maxSamples = Math.max(1, input.maxSamplesPerCondition ?? 40);
  // (question, variant) pairs first, personas inner: the index space of one condition's items.
  const qv: Array<[Question, number]> = [];
  for (const q of questions) {
    for (const v of variantsOf(q, spec)) qv.push([q, v]);
  }
  const perCondition = qv.length * personas.length;
  let requests = 0, inputTokens = 0, outputTokensMax = 0, sampledItems = 0, failedItems = 0;
  let cost: number | null = 0;
  let exact = true;
  for (const c of spec.conditions) {
    const model = input.models.get(c.model);
    const samples = Math.max(1, spec.samples);
    const requestsPerItem = model && (spec.models.find((m) => m.id === c.model)?.useN ?? false) ? 1 : samples;
    const n = Math.min(perCondition, maxSamples);
    if (n < perCondition) exact = false;
    let sum = 0, ok = 0;
    for (let k = 0; k < n; k++) {
      const idx = Math.floor((k * perCondition) / n);
      const [q, v] = qv[Math.floor(idx / personas.length)];
      const p = personas[idx % personas.length];
      try {
        sum += input.countItem(c, p, q, v);
        ok++;
      } catch {
        failedItems++;
      }
    }
    sampledItems += n;
    const mean = ok ? sum / ok : 0;
    const tokens = Math.round(mean * perCondition) * requestsPerItem;
    const output = perCondition * samples * (model?.maxTokens ?? 0);
    requests += perCondition * requestsPerItem;
    inputTokens += tokens;
    outputTokensMax += output;
    if (model?.recorded) continue;
    if (cost === null || !model || model.pricePer1kInput === null) cost = null;
    else cost += (tokens * model.pricePer1kInput + output * (model.pricePer1kOutput ?? 0)) / 1000;
  }
  return { experimentFile: input.experimentFile, requests, items: perCondition * spec.conditions.length, inputTokens, outputTokensMax, cost, sampledItems, exact, failedItems };
}

function variantsOf(q: Question, spec: ExperimentSpec): number[] {
  const count = Math.min(...Object.values(q.variants).map((v) => v.length).concat([Number.MAX_SAFE_INTEGER]));
  const all = Array.from({ length: count === Number.MAX_SAFE_INTEGER ? 0 : count }, (_, i) => i);
  return spec.variants ? spec.variants.filter((v) => v < all.length) : all;
}

/** Sum of estimates of disjoint parts of one experiment (e.g. one per condition, computed in turns). */
export function sumEstimates(parts: readonly ExperimentEstimate[], experimentFile: string): ExperimentEstimate {
  const total: ExperimentEstimate = { experimentFile, requests: 0, items: 0, inputTokens: 0, outputTokensMax: 0, cost: 0, sampledItems: 0, exact: true, failedItems: 0 };
  for (const p of parts) {
    total.requests += p.requests;
    total.items += p.items;
    total.inputTokens += p.inputTokens;
    total.outputTokensMax += p.outputTokensMax;
    total.cost = total.cost === null || p.cost === null ? null : total.cost + p.cost;
    total.sampledItems += p.sampledItems;
    total.exact &&= p.exact;
    total.failedItems += p.failedItems;
  }
  return total;
}
