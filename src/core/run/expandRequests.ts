import type { ConditionSpec, ExperimentSpec, ModelSpec } from '../experiment';
import type { ChatMessage, Persona, Question } from '../model';
import { selectPersonas } from './selectPersonas';
import { selectQuestions } from './selectQuestions';
import { requestHashBase, requestHashes } from './requestHash';
import type { WorkItem } from './WorkItem';

/** Renders one item's chat messages; throws (InputError) when the template cannot render it. */
export type PromptRenderer = (condition: ConditionSpec, persona: Persona, question: Question, variant: number) => ChatMessage[];

/** Everything needed to expand an experiment into requests. */
export interface RunPlan {
  spec: ExperimentSpec;
  /** Personas and questions after the experiment's filters. */
  personas: Persona[];
  questions: Question[];
  render: PromptRenderer;
}

/** Applies the experiment's persona filter and question list. */
export function planRun(spec: ExperimentSpec, allPersonas: readonly Persona[], allQuestions: readonly Question[], render: PromptRenderer): RunPlan {
  return { spec, personas: selectPersonas(allPersonas, spec), questions: selectQuestions(allQuestions, spec), render };
}

/** Paraphrase variants of a question the experiment asks (its `variants`, or all the question has in `lang`). */
export function variantsFor(question: Question, spec: ExperimentSpec, lang: string): number[] {
  const count = question.variants[lang]?.length ?? 0;
  const all = Array.from({ length: count }, (_, i) => i);
  return spec.variants ? spec.variants.filter((v) => v < count) : all;
}

/** Items × samples of a plan, without rendering. */
export function countPlan(plan: RunPlan): { items: number; samples: number } {
  let items = 0;
  for (const c of plan.spec.conditions) for (const q of plan.questions) items += variantsFor(q, plan.spec, c.lang).length * plan.personas.length;
  return { items, samples: items * plan.spec.samples };
}

/**
 * Expands conditions × personas × questions × variants into work items, lazily (a run of any size is never
 * held in memory), each sample with its stable request hash.
 */
export function* expandRequests(plan: RunPlan): Generator<WorkItem> {
  const models = new Map<string, ModelSpec>(plan.spec.models.map((m) => [m.id, m]));
  for (const condition of plan.spec.conditions) {
    for (const persona of plan.personas) yield* personaWorkItems(plan, models, condition, persona);
  }
}

/** The work items of one persona in one condition: questions × variants, in plan order. */
export function* personaWorkItems(plan: RunPlan, models: ReadonlyMap<string, ModelSpec>, condition: ConditionSpec, persona: Persona): Generator<WorkItem> {
  const { spec } = plan;
  const model = models.get(condition.model);
  if (!model) throw new Error(`condition "${condition.id}": unknown model "${condition.model}"`);
  for (const question of plan.questions) {
    for (const variant of variantsFor(question, spec, condition.lang)) {
      const messages = plan.render(condition, persona, question, variant);
      const base = requestHashBase(model, messages);
      const samples = requestHashes(base, spec.samples).map((hash, sample) => ({ sample, hash }));
      yield {
        condition: condition.id, model, lang: condition.lang, personaId: persona.id, personaValues: persona.values[condition.lang] ?? persona.values.en,
        questionId: question.id, variant, messages, samples, options: question.options[condition.lang] ?? question.options.en,
      };
    }
  }
}
