import type { ModelSpec } from '../experiment';
import { estimateRun, type RunEstimate, type TokenCounter } from '../run/estimateRun';
import type { ResponseCache } from '../run/ResponseCache';
import { expandRequests, type RunPlan } from '../run/expandRequests';
import type { WorkItem } from '../run/WorkItem';

/** Live vs batch for the requests a run still has to make, so the user can pick. */
export interface BatchChoice {
  requests: number;
  inputTokens: number;
  outputTokensMax: number;
  /** Upper bounds; null when a model has no price. */
  liveCost: number | null;
  batchCost: number | null;
  /** Seconds a live run needs at the models' rate limits (or concurrency at ~1 request/s per slot when unlimited). */
  liveSeconds: number;
  /** The batch window (OpenAI: 24 h; vLLM: as fast as the GPUs go). */
  batchWindowHours: number;
  /** Requests of replay models: not batchable. */
  recordedRequests: number;
}

/** Assumed seconds per request and slot when a model sets no rate limit (typical chat latency). */
const ASSUMED_LATENCY_SEC = 1;

function* ofModel(items: Iterable<WorkItem>, id: string): Generator<WorkItem> {
  for (const it of items) if (it.model.id === id) yield it;
}

/** Per model: estimateRun of its items, the batch price less `batchDiscount`, the live duration at its limits. */
export function estimateBatch(plan: RunPlan, countTokens: TokenCounter, done: ReadonlySet<string> = new Set(), cache?: ResponseCache): BatchChoice {
  const choice: BatchChoice = { requests: 0, inputTokens: 0, outputTokensMax: 0, liveCost: 0, batchCost: 0, liveSeconds: 0, batchWindowHours: 24, recordedRequests: 0 };
  const used = new Set(plan.spec.conditions.map((c) => c.model));
  for (const m of plan.spec.models.filter((x: ModelSpec) => used.has(x.id))) {
    const e: RunEstimate = estimateRun(ofModel(expandRequests(plan), m.id), countTokens, done, cache);
    if (m.kind === 'replay') {
      choice.recordedRequests += e.recordedRequests;
      continue;
    }
    choice.requests += e.requests;
    choice.inputTokens += e.inputTokens;
    choice.outputTokensMax += e.outputTokensMax;
    if (e.cost === null) choice.liveCost = choice.batchCost = null;
    else if (choice.liveCost !== null && choice.batchCost !== null) {
      choice.liveCost += e.cost;
      choice.batchCost += e.cost * (1 - (m.batchDiscount ?? 0));
    }
    const perSec = Math.min(
      (m.concurrency ?? 8) / ASSUMED_LATENCY_SEC,
      m.requestsPerMinute ? m.requestsPerMinute / 60 : Infinity,
      m.tokensPerMinute && e.requests ? m.tokensPerMinute / 60 / ((e.inputTokens + e.outputTokensMax) / e.requests) : Infinity,
    );
    choice.liveSeconds += e.requests / perSec;
  }
  return choice;
}

function duration(sec: number): string {
  if (sec < 90) return `${Math.ceil(sec)} s`;
  if (sec < 5400) return `${Math.ceil(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** Two lines for the CLI and the confirmation dialog. */
export function formatBatchChoice(c: BatchChoice): string[] {
  const money = (x: number | null): string => (x === null ? 'cost unknown (no price set)' : `≤ $${x.toFixed(4)}`);
  const common = `${c.requests} requests, ~${c.inputTokens} input tokens, ≤ ${c.outputTokensMax} output tokens`;
  return [
    `live:  ${common}, ${money(c.liveCost)}, ~${duration(c.liveSeconds)} with the editor or CLI open`,
    `batch: ${common}, ${money(c.batchCost)}, within ${c.batchWindowHours} h (OpenAI Batch) or as fast as your GPUs (vLLM run_batch), nothing left open`,
  ];
}
