import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { LiveScorer, type LiveScores } from '../../../../src/core/live/LiveScorer';
import { livePlan } from '../../../../src/core/live/livePlan';
import { readRun, type RunRead } from '../../../../src/core/run/readRun';
import { experimentScoringSettings, runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses, type ScoreInput } from '../../../../src/core/score/scoreResponses';
import { seededRandom } from '../../../../src/core/score/rng';
import type { ScoreReport, ScoringSettings } from '../../../../src/core/score/types';
import { ROOT } from '../workspace/sharedData';

const RUN = path.join(ROOT, 'examples/wvs-egypt-us/.alignment/runs/recorded-gpt35-egypt');

let loaded: Promise<{ run: RunRead; input: ScoreInput; settings: ScoringSettings }> | undefined;
function example() {
  loaded ??= (async () => {
    const run = readRun(RUN);
    const { input } = await runScoringInput(run);
    return { run, input, settings: experimentScoringSettings(run.manifest.experiment) };
  })();
  return loaded;
}

function scorer(input: ScoreInput, settings: ScoringSettings, spec: RunRead['manifest']['experiment']): LiveScorer {
  return new LiveScorer({
    questions: input.questions, conditions: input.conditions, personas: input.personas, twins: input.twins, settings,
    pair: input.compare?.[0], plan: livePlan(spec, input.questions),
  });
}

const close = (a: number, b: number, what: string) => {
  if (Number.isNaN(a) && Number.isNaN(b)) return;
  assert.ok(Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b)), `${what}: live ${a} ≠ full ${b}`);
};

/** The live numbers equal the full scorer's: per-condition scores and funnel, the headline delta, CI and p-value. */
function assertSame(live: LiveScores, full: ScoreReport): void {
  assert.equal(live.conditions.length, full.conditions.length);
  for (const c of full.conditions) {
    const l = live.conditions.find((x) => x.condition === c.condition)!;
    for (const k of ['soft', 'hard', 'randomSoft', 'randomHard', 'softNorm', 'hardNorm'] as const) close(l.scores[k], c.scores[k], `${c.condition} ${k}`);
    assert.equal(l.scores.items, c.scores.items, `${c.condition} items`);
    assert.equal(l.scores.personas, c.scores.personas, `${c.condition} personas`);
    assert.deepEqual(l.funnel, c.funnel, `${c.condition} funnel`);
  }
  const d = full.deltas.find((x) => x.metric === 'soft')!;
  assert.ok(live.headline);
  assert.deepEqual([live.headline.a, live.headline.b], [d.a, d.b]);
  for (const k of ['delta', 'ciLow', 'ciHigh', 'pValue'] as const) close(live.headline.soft[k], d.overall[k], `headline ${k}`);
  assert.equal(live.headline.soft.n, d.overall.n);
  close(live.headline.hard, full.deltas.find((x) => x.metric === 'hard')!.overall.delta, 'hard delta');
}

test('live aggregates equal scoreResponses on the recorded example run, at the end and part-way', async () => {
  const { run, input, settings } = await example();
  const spec = run.manifest.experiment;
  const records = run.records.map((r) => r.record);
  const live = scorer(input, settings, spec);
  const checkpoints = new Set([1200, 7777, records.length]);
  let done = 0;
  for (const r of records) {
    live.add(r);
    done++;
    if (!checkpoints.has(done)) continue;
    const partial: ScoreInput = { ...input, samples: [...input.samples!].slice(0, done) };
    assertSame(live.scores(), scoreResponses(partial, settings));
  }
  const s = live.scores();
  assert.equal(s.records, records.length);
  assert.equal(s.samplesPlanned, records.length);
  assert.equal(s.personasComplete, 50);
  assert.equal(s.personasPlanned, 50);
  assert.ok(s.headline!.soft.delta > 0, 'Arabic prompts align better on the example');
  // The bundled run asks paraphrase variant 0 only.
  for (const c of s.conditions) assert.equal(c.itemsPlanned, 50 * 31);
});

test('live aggregates do not depend on the order records arrive in, and duplicates are dropped', async () => {
  const { run, input, settings } = await example();
  const records = run.records.map((r) => r.record);
  const rand = seededRandom(5, 'shuffle');
  const shuffled = [...records];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const live = scorer(input, settings, run.manifest.experiment);
  for (const r of shuffled.slice(0, 9000)) live.add(r);
  // A resumed run appends a sample again: the first record wins, as in the run reader.
  assert.equal(live.add({ ...shuffled[0]!, text: '(1)' }), false);
  for (const r of shuffled.slice(9000)) live.add(r);
  assertSame(live.scores(), scoreResponses(input, settings));
});

test('a persona is complete when its last planned sample lands; its paired sums are then final', async () => {
  const { run, input, settings } = await example();
  const live = scorer(input, settings, run.manifest.experiment);
  const first = run.records[0]!.record.personaId;
  const mine = run.records.filter((r) => r.record.personaId === first);
  assert.equal(mine.length, 2 * 31 * 5);
  for (const r of mine.slice(0, -1)) live.add(r.record);
  assert.deepEqual(live.takeCompleted(), []);
  assert.equal(live.paired(first).complete, false);
  live.add(mine.at(-1)!.record);
  assert.deepEqual(live.takeCompleted(), [first]);
  const p = live.paired(first);
  assert.ok(p.complete && p.count > 0 && p.count <= live.maxPairedItems && Math.abs(p.sum) <= p.count);
  // The bound comes from the survey alone: at most 31 questions × 1 variant, fewer after the same-answer filter.
  assert.ok(live.maxPairedItems < 31 && live.maxPairedItems > 15, String(live.maxPairedItems));
});
