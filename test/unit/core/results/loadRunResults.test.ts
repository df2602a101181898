import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDrillDown } from '../../../../src/core/results/buildDrillDown';
import { buildResultsView } from '../../../../src/core/results/buildResultsView';
import { compareRuns } from '../../../../src/core/results/compareRuns';
import { loadRunResults, workspaceOf } from '../../../../src/core/results/loadRunResults';
import { InputError } from '../../../../src/core/errors';
import { writeRecordedWorkspace } from './recordedWorkspace';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'as-results-'));
const ws = writeRecordedWorkspace(tmp, { personas: 60 });

test('a recorded run of real GPT-3.5 answers loads, scores and views: Arabic − English > 0 as in the paper', async () => {
  const { runDir } = await ws;
  const run = await loadRunResults(runDir);
  assert.equal(run.personas.length, 60);
  const view = buildResultsView(run.input);
  assert.deepEqual(view.pair, ['en-plain', 'ar-plain']);
  assert.equal(view.recorded, true);
  const [en, ar] = view.overview;
  // Real data: soft alignment around the paper's Egypt level (~0.4–0.6), hard lower, both above random.
  for (const o of [en, ar]) {
    assert.ok(o.soft.mean! > 0.35 && o.soft.mean! < 0.7, `${o.condition.id} soft ${o.soft.mean}`);
    assert.ok(o.hard.mean! < o.soft.mean!, 'hard < soft');
    assert.ok(o.softNorm! > 0, 'better than random');
    assert.ok(o.coverage.scored > 1000 && o.coverage.sameAnswer > 0, JSON.stringify(o.coverage));
  }
  // Our paired delta agrees with scoring's (same common items, same pairing).
  const scoringDelta = run.report.deltas.find((d) => d.metric === 'soft')!.overall.delta;
  assert.ok(Math.abs(view.headline!.soft.mean! - scoringDelta) < 1e-9, `${view.headline!.soft.mean} vs ${scoringDelta}`);
  assert.equal(view.headline!.gained + view.headline!.lost + view.headline!.unchanged, view.headline!.soft.n);
  const theme = view.breakdowns.find((b) => b.field === 'theme')!;
  assert.ok(theme.groups.length >= 5, 'several WVS themes');
  const age = view.breakdowns.find((b) => b.field === 'age')!;
  assert.ok(age.groups.every((g) => /^(<25|\d+–\d+|\d+\+)$/.test(g.value)), age.groups.map((g) => g.value).join());
  assert.equal(workspaceOf(runDir), tmp);
});

test('drill-down: real raw replies per variant and sample, parses, votes, the real answer and the re-rendered prompt', async () => {
  const { runDir, personas } = await ws;
  const run = await loadRunResults(runDir);
  const item = run.report.items.find((i) => i.condition === 'ar-plain')!;
  const d = buildDrillDown(run, item.personaId, item.questionId);
  assert.equal(d.surveyAnswer, personas.find((p) => p.id === item.personaId)!.answers[item.questionId]);
  assert.equal(d.conditions.length, 2);
  const ar = d.conditions.find((c) => c.condition === 'ar-plain')!;
  assert.equal(ar.templateLine, 3, 'line of {{question.text}}');
  const v = ar.variants.find((x) => x.variant === item.variant)!;
  assert.equal(v.samples.length, 5);
  assert.ok(v.samples.every((s) => typeof s.text === 'string'));
  assert.deepEqual(v.votes, item.votes);
  assert.equal(v.soft, item.soft);
  // The recorded replies are in Arabic; the parse matches what scoring counted for the vote.
  const counts = Array(d.options.ar.length).fill(0);
  for (const s of v.samples) if (s.parsed !== null) counts[s.parsed - 1]++;
  assert.deepEqual(counts, item.sampleCounts);
  assert.ok(v.prompt && v.prompt[0].content.includes('أجب عن السؤال'), JSON.stringify(v.prompt));
  assert.ok(v.prompt![0].content.includes(run.survey.questions.find((q) => q.id === item.questionId)!.variants.ar[item.variant].slice(0, 10)));
});

test('compare two runs: a degraded "after" run shows a negative paired delta', async () => {
  const { runDir } = await ws;
  const after = await writeRecordedWorkspace(path.join(tmp, 'after'), {
    personas: 60, runId: 'recorded-after', createdAt: '2024-03-01T00:00:00Z',
    // Every English reply becomes option 1: alignment must change, Arabic must not.
    mutate: (r) => (r.condition === 'en-plain' ? { ...r, text: '(1)' } : r),
  });
  const cmp = compareRuns((await loadRunResults(runDir)).input, (await loadRunResults(after.runDir)).input, 200);
  const ar = cmp.conditions.find((c) => c.condition === 'ar-plain')!;
  const en = cmp.conditions.find((c) => c.condition === 'en-plain')!;
  assert.equal(ar.delta.soft.mean, 0);
  assert.ok(en.delta.soft.mean !== 0 && en.delta.soft.n > 0);
  assert.ok(en.delta.lost + en.delta.gained > 0);
});

test('a missing or broken run is an InputError naming the manifest', async () => {
  await assert.rejects(loadRunResults(path.join(tmp, 'nope')), (e: unknown) => e instanceof InputError && e.location.file.endsWith('manifest.json'));
  const bad = path.join(tmp, 'bad');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'manifest.json'), '{"runId": "x"}');
  await assert.rejects(loadRunResults(bad), (e: unknown) => e instanceof InputError && e.field === 'experiment.conditions');
});
