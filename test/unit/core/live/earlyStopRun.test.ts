// The run engine with live results and stop rules, end to end on a replay of the recorded GPT-3.5 answers.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { ExperimentSpec, RunManifest } from '../../../../src/core/experiment';
import { liveScorerFor } from '../../../../src/core/live/liveScorerFor';
import { RunMonitor, type LiveSnapshot } from '../../../../src/core/live/RunMonitor';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../../src/core/run/executeRun';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { prepareRun } from '../../../../src/core/run/prepareRun';
import { readRun } from '../../../../src/core/run/readRun';
import { schedulePersonas } from '../../../../src/core/run/schedulePersonas';
import { experimentScoringSettings, runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { tempDir } from '../run/helpers';
import { ROOT } from '../workspace/sharedData';

/** A copy of the example workspace (its survey, 50 Egypt personas with US twins, templates, recorded answers). */
let ws: { dir: string; write(spec: Partial<ExperimentSpec>, name: string): string };
before(() => {
  const dir = tempDir('as-live-');
  const example = path.join(ROOT, 'examples/wvs-egypt-us');
  for (const f of ['survey', 'personas', 'prompts', 'recorded']) fs.cpSync(path.join(example, f), path.join(dir, f), { recursive: true });
  const spec = JSON.parse(fs.readFileSync(path.join(example, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as ExperimentSpec;
  ws = {
    dir,
    write(extra, name) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify({ ...spec, ...extra, scoring: { ...spec.scoring, stop: undefined, ...extra.scoring } }, null, 2));
      return file;
    },
  };
});

// 50 Egypt personas × 8 questions × variant 0 × EN + AR × 5 samples = 4,000 replayed requests.
const base: Partial<ExperimentSpec> = { questions: ['Q19', 'Q42', 'Q62', 'Q77', 'Q87', 'Q142', 'Q199', 'Q235'], variants: [0], scoring: { seed: 7 } };
const PER_PERSONA = 80;

async function run(file: string, opts: { runsDir: string; resume?: string; ignoreStop?: boolean; live?: LiveSnapshot[] }) {
  const exp = await openExperiment(file, createTemplateRenderer);
  const prepared = prepareRun(exp, { runsDir: opts.runsDir, resume: opts.resume ?? 'never' });
  const out = await executeRun(prepared, { keys: () => undefined, workspaceDir: ws.dir, ignoreStop: opts.ignoreStop, onLive: opts.live ? (s) => opts.live!.push(s) : undefined, liveIntervalMs: 5 });
  const manifest = JSON.parse(fs.readFileSync(path.join(out.runDir, 'manifest.json'), 'utf8')) as RunManifest;
  return { exp, out, manifest };
}

test('persona by persona in the seeded order; live snapshots converge on the full scorer numbers', async () => {
  const file = ws.write({ ...base, name: 'live' }, 'live.experiment.json');
  const live: LiveSnapshot[] = [];
  const { exp, out, manifest } = await run(file, { runsDir: path.join(ws.dir, 'runs-live'), live });
  assert.equal(out.summary.status, 'completed');
  assert.equal(manifest.stop, undefined);
  const r = readRun(out.runDir);
  // Records come persona by persona, in the order drawn from the experiment's seed.
  const seenOrder: string[] = [];
  for (const { record } of r.records) if (seenOrder.at(-1) !== record.personaId) seenOrder.push(record.personaId);
  assert.deepEqual(seenOrder, schedulePersonas(exp.plan.personas, 7).map((p) => p.id));
  assert.ok(live.length >= 2, `${live.length} snapshots`);
  const last = live.at(-1)!;
  assert.deepEqual(last.final, { status: 'completed' });
  assert.equal(last.records, 4000);
  assert.equal(last.personasComplete, 50);
  assert.equal(last.sequence!.personas, 50);
  assert.ok(last.sequence!.trajectory.length === 50);
  // The final live numbers are the report's.
  const { input } = await runScoringInput(r);
  const report = scoreResponses(input, experimentScoringSettings(r.manifest.experiment));
  const d = report.deltas[0]!;
  assert.ok(Math.abs(last.headline!.soft.delta - d.overall.delta) < 1e-12);
  assert.ok(Math.abs(last.headline!.soft.ciLow - d.overall.ciLow) < 1e-12);
  for (const c of report.conditions) assert.ok(Math.abs(last.conditions.find((x) => x.condition === c.condition)!.scores.soft - c.scores.soft) < 1e-12);
  // The sequence's estimate is the same delta, and its interval (wider than the CI) holds it.
  assert.ok(Math.abs(last.sequence!.estimate - d.overall.delta) < 1e-12);
  assert.ok(last.sequence!.lo <= d.overall.delta && d.overall.delta <= last.sequence!.hi);
  // Snapshots grow monotonically in records.
  for (let i = 1; i < live.length; i++) assert.ok(live[i]!.records >= live[i - 1]!.records);
});

test('a width rule stops early: the manifest says why and when; a resume stops again unless it continues past the stop', async () => {
  const file = ws.write({ ...base, name: 'stop', scoring: { ...base.scoring, stop: { maxWidth: 60, minPersonas: 8, method: 'normal-mixture' } } }, 'stop.experiment.json');
  const runsDir = path.join(ws.dir, 'runs-stop');
  const { out, manifest } = await run(file, { runsDir });
  assert.equal(out.summary.status, 'stopped');
  assert.equal(manifest.status, 'stopped');
  const stop = manifest.stop!;
  assert.equal(stop.rule, 'maxWidth');
  assert.match(stop.reason, /precise enough after \d+ of 50 personas/);
  assert.ok(stop.personas >= 8 && stop.personas < 50, String(stop.personas));
  assert.equal(stop.personasPlanned, 50);
  assert.ok(stop.interval && (stop.interval[1] - stop.interval[0]) * 100 <= 60);
  assert.deepEqual(stop.pair, ['en-plain', 'ar-plain']);
  assert.equal(stop.seed, 7);
  assert.match(stop.method, /^normal-mixture: normal-mixture confidence sequence \(Howard et al\. 2021\)/);
  const held = readRun(out.runDir).records.length;
  assert.ok(held < 4000 && held >= stop.personas * PER_PERSONA, String(held));
  assert.equal(stop.samples, held);
  // Only the requests in flight at the stop ran past it: at most one more persona started.
  const personas = new Set(readRun(out.runDir).records.map((x) => x.record.personaId));
  assert.ok(personas.size <= stop.personas + 2, `${personas.size} personas for a stop at ${stop.personas}`);

  // Running it again continues the same run, which is still decided: it stops at once, asking nothing.
  const again = await run(file, { runsDir, resume: 'auto' });
  assert.equal(again.out.runId, out.runId);
  assert.equal(again.out.summary.status, 'stopped');
  assert.equal(readRun(out.runDir).records.length, held);

  // Continue past the stop: every persona, the stop kept in the manifest with when it was overridden.
  const past = await run(file, { runsDir, resume: out.runId, ignoreStop: true });
  assert.equal(past.out.summary.status, 'completed');
  assert.equal(readRun(out.runDir).records.length, 4000);
  assert.equal(past.manifest.status, 'completed');
  assert.equal(past.manifest.stop!.rule, 'maxWidth');
  assert.ok(past.manifest.stop!.continuedAt);
});

test('a request budget is never passed, even with requests in flight', async () => {
  const file = ws.write({ ...base, name: 'budget', scoring: { ...base.scoring, stop: { maxRequests: 333 } } }, 'budget.experiment.json');
  const { out, manifest } = await run(file, { runsDir: path.join(ws.dir, 'runs-budget') });
  assert.equal(out.summary.status, 'stopped');
  assert.equal(manifest.stop!.rule, 'maxRequests');
  assert.equal(readRun(out.runDir).records.length, 333);
  assert.equal(manifest.stop!.requests, 333);
});

test('the cost budget: stops before the next request would pass it, at the mean cost per request so far', async () => {
  const file = ws.write({ ...base, name: 'cost' }, 'cost.experiment.json');
  const exp = await openExperiment(file, createTemplateRenderer);
  const monitor = new RunMonitor({ runId: 'r', scorer: await liveScorerFor(exp, false), order: exp.plan.personas.map((p) => p.id), rules: { maxCost: 1 }, seed: 1 });
  const record = (i: number) => ({ hash: `h${i}`, condition: 'en-plain', model: 'm', lang: 'en', personaId: exp.plan.personas[0]!.id, questionId: 'Q19', variant: 0, sample: i, text: '(1)', cost: 0.125, t: 0 });
  assert.equal(monitor.shouldStop(0, true), false, 'no cost known yet');
  for (let i = 0; i < 7; i++) monitor.record(record(i));
  // $0.875 spent at $0.125 a request: the next one reaches exactly $1 (allowed); with one more in flight it would pass.
  assert.equal(monitor.shouldStop(0, true), false);
  assert.equal(monitor.shouldStop(1, true), true);
  assert.equal(monitor.stopped?.rule, 'maxCost');
  assert.match(monitor.stopped!.reason, /cost budget reached: \$0\.8750 spent, the next request would pass \$1/);
  // Cached records cost nothing and are not requests.
  const cached = new RunMonitor({ runId: 'r', scorer: await liveScorerFor(exp, false), order: exp.plan.personas.map((p) => p.id), rules: { maxRequests: 2 }, seed: 1 });
  for (let i = 0; i < 5; i++) cached.record({ ...record(i), cached: true });
  assert.equal(cached.requests, 0);
  assert.equal(cached.shouldStop(1, true), false);
  assert.equal(cached.shouldStop(2, true), true);
});
