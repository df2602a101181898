// Shared by the run tests: synthetic work items, temp run dirs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelSpec, RunManifest } from '../../../../src/core/experiment';
import { requestHash, requestHashBase } from '../../../../src/core/run/requestHash';
import { RunStore } from '../../../../src/core/run/RunStore';
import type { WorkItem } from '../../../../src/core/run/WorkItem';

export function tempDir(prefix = 'as-run-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `count` distinct items (question Q1..Qcount of persona p1) with `samples` samples each. */
export function makeItems(model: ModelSpec, count: number, samples = 1, condition = 'c1'): WorkItem[] {
  return Array.from({ length: count }, (_, i) => {
    const messages = [{ role: 'user' as const, content: `Question ${i}: how important is family? (1) Very (2) Rather (3) Not very (4) Not at all` }];
    const base = requestHashBase(model, messages);
    return {
      condition, model, lang: 'en', personaId: 'p1', questionId: `Q${i}`, variant: 0, messages,
      samples: Array.from({ length: samples }, (_, s) => ({ sample: s, hash: requestHash(base, s) })),
    };
  });
}

export function newStore(runsDir: string, runId = 'run-1', planned = 0): RunStore {
  const manifest: RunManifest = {
    runId, createdAt: new Date().toISOString(), plannedRequests: planned, status: 'running',
    experiment: { name: 't', survey: 's.json', personas: 'p.jsonl', samples: 1, models: [], conditions: [] },
  };
  return RunStore.create(runsDir, manifest, { flushIntervalMs: 5 });
}

export function readLines(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}
