// The run engine's order of work: persona by persona, the personas in a seeded random order, so that the personas
// done when a run stops early are a uniformly random subsample of the plan (what the confidence sequences of
// src/core/stop/ assume) and live results converge on the whole plan's answer.
import type { ModelSpec } from '../experiment';
import type { Persona } from '../model';
import { seededRandom } from '../score/rng';
import { personaWorkItems, type RunPlan } from './expandRequests';
import type { WorkItem } from './WorkItem';

/** The personas in a seeded uniformly random order (Fisher–Yates); the same seed gives the same order. */
export function schedulePersonas<T>(personas: readonly T[], seed: number): T[] {
  const rand = seededRandom(seed, 'persona-schedule');
  const order = [...personas];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const x = order[i]!;
    order[i] = order[j]!;
    order[j] = x;
  }
  return order;
}

/** Work items persona by persona in `order`; within a persona, conditions × questions × variants in plan order. */
export function* expandRequestsByPersona(plan: RunPlan, order: readonly Persona[]): Generator<WorkItem> {
  const models = new Map<string, ModelSpec>(plan.spec.models.map((m) => [m.id, m]));
  for (const persona of order) {
    for (const condition of plan.spec.conditions) yield* personaWorkItems(plan, models, condition, persona);
  }
}
