// "What would an early stop likely save?", answered before a run starts: the experiment's stop rules replayed in many
// seeded persona orders on answers already known — recorded completions of replay models, and answers of earlier
// runs (the response cache, the run being resumed) — scored exactly as the run will be (the live scorer).
import * as path from 'node:path';
import type { ResponseRecord } from '../experiment';
import { indexRecordedCompletions, type RecordedIndex } from '../recorded/indexRecordedCompletions';
import { loadRecordedCompletions } from '../recorded/loadRecordedCompletions';
import { expandRequests, variantsFor } from '../run/expandRequests';
import type { PreparedRun } from '../run/prepareRun';
import { readResponses } from '../run/readRun';
import { RESPONSES_FILE } from '../run/RunStore';
import { CS_METHODS } from '../stop/confidenceSequence';
import { simulateEarlyStop, type PersonaDelta, type SimulationResult } from '../stop/simulateEarlyStop';
import { resolveStopRules, type ResolvedStopRules } from '../stop/stopRules';
import { liveScorerFor } from './liveScorerFor';

export interface EarlyStopEstimate {
  rules: ResolvedStopRules;
  /** The confidence sequence, cited. */
  method: string;
  /** Where the answers of the simulation come from; null when none are known. */
  source: string | null;
  /** Personas whose every answer is known (the simulated population) and personas in the plan. */
  personasKnown: number;
  personasPlanned: number;
  simulation: SimulationResult | null;
  /** Requests still to make, and what the simulation expects an early stop to leave out of them. */
  requests: number;
  expectedRequestsSaved: number | null;
  /** Expected cost saved (USD), when the estimate has a cost. */
  expectedCostSaved: number | null;
  /** Why there is no simulation, or what it rests on. */
  note?: string;
}

export interface EstimateEarlyStopOptions {
  /** Seeded orders to replay (default 200). */
  orders?: number;
}

/** The expected saving of the experiment's `scoring.stop` rules, or null when it has none. */
export async function estimateEarlyStop(prepared: PreparedRun, options: EstimateEarlyStopOptions = {}): Promise<EarlyStopEstimate | null> {
  const { experiment, estimate } = prepared;
  const { spec, personas } = experiment.plan;
  if (!spec.scoring?.stop) return null;
  const rules = resolveStopRules(spec.scoring.stop);
  const scorer = await liveScorerFor(experiment, prepared.recorded);
  const sources = new Set<string>();

  // Recorded completions of replay models, looked up as the replay model does (prompt language, persona values).
  const indexes = new Map<string, RecordedIndex>();
  for (const m of spec.models) {
    if (m.kind !== 'replay' || !m.completions || !spec.conditions.some((c) => c.model === m.id)) continue;
    try {
      indexes.set(m.id, indexRecordedCompletions((await loadRecordedCompletions(experiment.resolve(m.completions))).records));
    } catch {
      // an unreadable folder: the run itself will say so
    }
  }
  const add = (r: Omit<ResponseRecord, 'hash' | 'model' | 'lang' | 't'> & { hash?: string }, source: string): void => {
    if (scorer.add(r)) sources.add(source);
  };
  const allReplay = spec.conditions.every((c) => indexes.has(c.model));
  if (allReplay) {
    // No prompt needs rendering: the recorded answers are found by persona values.
    for (const persona of personas) {
      for (const c of spec.conditions) {
        const index = indexes.get(c.model)!;
        const values = persona.values[c.lang] ?? persona.values.en;
        if (!values) continue;
        for (const q of experiment.plan.questions) {
          for (const variant of variantsFor(q, spec, c.lang)) {
            const replies = index.get(c.lang, values, q.id, variant);
            // Stands in for the request hash: two variants with the same text render the same prompt, and the run
            // (like its reader) keeps only the first of two records with one hash.
            const prompt = `${c.id}\u0000${persona.id}\u0000${q.id}\u0000${q.variants[c.lang]?.[variant] ?? variant}`;
            for (let s = 0; s < spec.samples; s++) add({ hash: `${prompt}\u0000${s}`, condition: c.id, personaId: persona.id, questionId: q.id, variant, sample: s, text: replies?.[s] ?? null }, 'recorded answers');
          }
        }
      }
    }
  } else {
    const resumed = new Map<string, string>();
    if (prepared.resuming) for (const r of readResponses(path.join(prepared.runsDir, prepared.runId, RESPONSES_FILE))) if (r.text !== null) resumed.set(r.hash, r.text);
    for (const item of expandRequests(experiment.plan)) {
      const index = indexes.get(item.model.id);
      const replies = index && item.personaValues ? index.get(item.lang, item.personaValues, item.questionId, item.variant) : undefined;
      for (const s of item.samples) {
        const base = { hash: s.hash, condition: item.condition, personaId: item.personaId, questionId: item.questionId, variant: item.variant, sample: s.sample };
        if (index) add({ ...base, text: replies?.[s.sample] ?? null }, 'recorded answers');
        else if (resumed.has(s.hash)) add({ ...base, text: resumed.get(s.hash)! }, 'answers of this run so far');
        else {
          const hit = prepared.cache.get(s.hash);
          if (hit && hit.text !== null) add({ ...base, text: hit.text }, 'answers of earlier runs');
        }
      }
    }
  }
  const known: PersonaDelta[] = [];
  for (const p of personas) {
    const u = scorer.paired(p.id);
    if (u.complete) known.push({ sum: u.sum, count: u.count });
  }
  const N = personas.length;
  const base: EarlyStopEstimate = {
    rules, method: CS_METHODS[rules.method], source: sources.size ? [...sources].join(' and ') : null, personasKnown: known.length, personasPlanned: N,
    simulation: null, requests: estimate.requests, expectedRequestsSaved: null, expectedCostSaved: null,
  };
  if (!scorer.pair) return { ...base, note: 'the experiment has fewer than two conditions: no headline delta to stop on' };
  if (known.length < Math.max(2, Math.min(rules.minPersonas, N))) {
    return { ...base, note: known.length ? `answers known for only ${known.length} of ${N} personas: too few to simulate` : 'no recorded or earlier answers to simulate on: the saving depends on the effect size' };
  }
  // Budgets scale with the plan: each persona costs the same share of the requests (and cost).
  const simulation = simulateEarlyStop(known, {
    rules, orders: options.orders ?? 200, seed: spec.scoring?.seed ?? 1, maxCount: Math.max(1, scorer.maxPairedItems),
    requestsPerPersona: (estimate.requests / N) * (N / known.length), costPerPersona: ((estimate.cost ?? 0) / N) * (N / known.length),
  });
  return {
    ...base, simulation,
    expectedRequestsSaved: Math.round(simulation.meanSaved * estimate.requests),
    expectedCostSaved: estimate.cost === null ? null : simulation.meanSaved * estimate.cost,
    ...(known.length < N ? { note: `simulated on the ${known.length} of ${N} personas whose answers are known` } : {}),
  };
}

/** The estimate as lines for the CLI and the run confirmation. */
export function describeEarlyStop(e: EarlyStopEstimate): string[] {
  const r = e.rules;
  const rules = [
    r.excludesZero ? 'interval excludes 0' : '', r.maxWidth !== undefined ? `interval ≤ ${r.maxWidth} points` : '',
    r.maxRequests !== undefined ? `≤ ${r.maxRequests} requests` : '', r.maxCost !== undefined ? `≤ $${r.maxCost}` : '',
  ].filter(Boolean).join(', ');
  const lines = [`Early stop (${rules}; ${r.method} confidence sequence, α = ${r.alpha}, after ≥ ${r.minPersonas} personas)`];
  const s = e.simulation;
  if (s) {
    lines.push(`  simulated on ${e.source} over ${s.orders} random persona orders: stops early in ${(s.stoppedEarly * 100).toFixed(0)}% of them, `
      + `after ${s.medianPersonas} of ${e.personasPlanned} personas (median); expected saving ~${(s.meanSaved * 100).toFixed(0)}% of the requests`
      + `${e.expectedRequestsSaved !== null ? ` (~${e.expectedRequestsSaved.toLocaleString('en-US')} of ${e.requests.toLocaleString('en-US')})` : ''}`
      + `${e.expectedCostSaved ? `, ~$${e.expectedCostSaved.toFixed(4)}` : ''}`);
  }
  if (e.note) lines.push(`  ${e.note}`);
  return lines;
}
