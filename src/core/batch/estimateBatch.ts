import type { ExperimentSpec, ModelSpec } from '../experiment';
import { estimateRun, type RunEstimate, type TokenCounter } from '../run/estimateRun';
import type { PreparedRun } from '../run/prepareRun';
import type { ResponseCache } from '../run/ResponseCache';
import { expandRequests, type RunPlan } from '../run/expandRequests';
import type { WorkItem } from '../run/WorkItem';

/** Live vs batch for the requests of one model. */
export interface ModelChoice {
  model: string;
  requests: number;
  inputTokens: number;
  outputTokensMax: number;
  /** Upper bounds; null when the model has no price. */
  liveCost: number | null;
  batchCost: number | null;
  /** Fraction off through a batch API (the model's `batchDiscount`, default 0). */
  batchDiscount: number;
  /** Seconds a live run needs at the model's rate limits (or its concurrency at ~1 request/s per slot). */
  liveSeconds: number;
}

/** Live vs batch for the requests a run still has to make, so the user can pick. */
export interface BatchChoice {
  requests: number;
  inputTokens: number;
  outputTokensMax: number;
  liveCost: number | null;
  batchCost: number | null;
  liveSeconds: number;
  /** The batch window (OpenAI: 24 h; vLLM: as fast as the GPUs go). */
  batchWindowHours: number;
  /** Requests of replay models: answered offline, not batchable. */
  recordedRequests: number;
  models: ModelChoice[];
}

/** Assumed seconds per request and slot when a model sets no rate limit (typical chat latency). */
const ASSUMED_LATENCY_SEC = 1;

function* tap(items: Iterable<WorkItem>, onItem: ((item: WorkItem) => void) | undefined): Generator<WorkItem> {
  for (const item of items) {
    onItem?.(item);
    yield item;
  }
}

/**
 * Live vs batch, per model and in total, in one pass over the items (estimateRun per condition, which is how it
 * samples tokens anyway). `onItem` sees every item of that pass, in expandRequests' order: the batch export
 * writes its lines there, so exporting costs one expansion, not two.
 */
export function estimateBatch(plan: RunPlan, countTokens: TokenCounter, done: ReadonlySet<string> = new Set(), cache?: ResponseCache, onItem?: (item: WorkItem) => void): BatchChoice {
  const perModel = new Map<string, RunEstimate>();
  for (const condition of plan.spec.conditions) {
    const e = estimateRun(tap(expandRequests({ ...plan, spec: { ...plan.spec, conditions: [condition] } }), onItem), countTokens, done, cache);
    const sum = perModel.get(condition.model);
    if (!sum) perModel.set(condition.model, e);
    else {
      for (const k of ['samples', 'alreadyDone', 'cached', 'requests', 'inputTokens', 'outputTokensMax', 'recordedRequests'] as const) sum[k] += e[k];
      sum.cost = sum.cost === null || e.cost === null ? null : sum.cost + e.cost;
    }
  }
  return combine(plan.spec, perModel);
}

/**
 * The same from a run's estimate when it used one live model (the common case: no second pass over the items);
 * undefined when the experiment uses several live models, whose shares the total does not tell.
 */
export function batchChoiceOfEstimate(spec: ExperimentSpec, e: RunEstimate): BatchChoice | undefined {
  const used = new Set(spec.conditions.map((c) => c.model));
  const live = spec.models.filter((m) => used.has(m.id) && m.kind !== 'replay');
  if (live.length > 1) return undefined;
  const perModel = new Map<string, RunEstimate>();
  if (live.length) perModel.set(live[0].id, { ...e, requests: e.requests - e.recordedRequests, recordedRequests: 0 });
  const choice = combine(spec, perModel);
  choice.recordedRequests = e.recordedRequests;
  return choice;
}

function combine(spec: ExperimentSpec, perModel: Map<string, RunEstimate>): BatchChoice {
  const choice: BatchChoice = { requests: 0, inputTokens: 0, outputTokensMax: 0, liveCost: 0, batchCost: 0, liveSeconds: 0, batchWindowHours: 24, recordedRequests: 0, models: [] };
  for (const [id, e] of perModel) {
    const m = spec.models.find((x: ModelSpec) => x.id === id);
    if (!m) continue;
    if (m.kind === 'replay') {
      choice.recordedRequests += e.recordedRequests;
      continue;
    }
    const discount = m.batchDiscount ?? 0;
    const perSec = Math.min(
      (m.concurrency ?? 8) / ASSUMED_LATENCY_SEC,
      m.requestsPerMinute ? m.requestsPerMinute / 60 : Infinity,
      m.tokensPerMinute && e.requests ? m.tokensPerMinute / 60 / ((e.inputTokens + e.outputTokensMax) / e.requests) : Infinity,
    );
    const mc: ModelChoice = {
      model: id, requests: e.requests, inputTokens: e.inputTokens, outputTokensMax: e.outputTokensMax,
      liveCost: e.cost, batchCost: e.cost === null ? null : e.cost * (1 - discount), batchDiscount: discount, liveSeconds: e.requests / perSec,
    };
    choice.models.push(mc);
    choice.requests += mc.requests;
    choice.inputTokens += mc.inputTokens;
    choice.outputTokensMax += mc.outputTokensMax;
    choice.liveCost = choice.liveCost === null || mc.liveCost === null ? null : choice.liveCost + mc.liveCost;
    choice.batchCost = choice.batchCost === null || mc.batchCost === null ? null : choice.batchCost + mc.batchCost;
    // Models run one after another in the item order, so their times add up.
    choice.liveSeconds += mc.liveSeconds;
  }
  return choice;
}

/** A duration for people: `40 s`, `12 min`, `3.5 h`. */
export function formatDuration(sec: number): string {
  if (sec < 90) return `${Math.ceil(sec)} s`;
  if (sec < 5400) return `${Math.ceil(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

function money(x: number | null): string {
  return x === null ? 'cost unknown (no price set)' : x === 0 ? 'free' : `≤ $${x.toFixed(4)}`;
}

function discountNote(c: BatchChoice): string {
  const ds = [...new Set(c.models.map((m) => m.batchDiscount))];
  if (ds.length !== 1) return ' (each model\'s batchDiscount)';
  return ds[0] ? ` (${Math.round(ds[0] * 100)}% off)` : ' (no batchDiscount set: same price)';
}

/** Live vs batch for a prepared run: from its estimate when it uses one live model, else one more pass. */
export function batchChoiceOf(prepared: PreparedRun, countTokens: TokenCounter): BatchChoice {
  const { plan } = prepared.experiment;
  return batchChoiceOfEstimate(plan.spec, prepared.estimate) ?? estimateBatch(plan, countTokens, prepared.done, prepared.cache);
}

/** The run confirmation's two options, short: price and how long, live and as a batch. */
export function formatBatchConfirm(c: BatchChoice): string[] {
  return [
    `Run live: ${money(c.liveCost)}, ~${formatDuration(c.liveSeconds)} with the editor open`,
    `Run as batch: ${money(c.batchCost)}${discountNote(c)}, within ${c.batchWindowHours} h through the OpenAI Batch API (or on your GPUs with vLLM run_batch); the editor can be closed`,
  ];
}

/** Two lines for the CLI and the confirmation dialog. */
export function formatBatchChoice(c: BatchChoice): string[] {
  const common = `${c.requests.toLocaleString('en-US')} requests, ~${c.inputTokens.toLocaleString('en-US')} input tokens, ≤ ${c.outputTokensMax.toLocaleString('en-US')} output tokens`;
  return [
    `live:  ${common}, ${money(c.liveCost)}, ~${formatDuration(c.liveSeconds)} with the editor or CLI open`,
    `batch: ${common}, ${money(c.batchCost)}${discountNote(c)}, within ${c.batchWindowHours} h (OpenAI Batch) or as fast as your GPUs (vLLM run_batch), nothing left open`,
  ];
}
