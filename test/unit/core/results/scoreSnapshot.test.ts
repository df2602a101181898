import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { exportCommand } from '../../../../src/cli/export';
import { scoreCommand } from '../../../../src/cli/score';
import { buildDrillDown } from '../../../../src/core/results/buildDrillDown';
import { buildResultsView } from '../../../../src/core/results/buildResultsView';
import { loadRunResults } from '../../../../src/core/results/loadRunResults';
import { SNAPSHOT_FILE } from '../../../../src/core/results/scoreSnapshot';
import type { ScoreReport } from '../../../../src/core/score/types';
import { writeRecordedWorkspace } from './recordedWorkspace';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'as-snapshot-'));
const ws = writeRecordedWorkspace(tmp, { personas: 30, questions: ['Q19', 'Q42', 'Q62', 'Q124', 'Q199', 'Q234'] });
const snapshotOf = (runDir: string) => path.join(runDir, SNAPSHOT_FILE);
const quick = (input: Parameters<typeof buildResultsView>[0]) => buildResultsView(input, { breakdownResamples: 0 });
const full = (input: Parameters<typeof buildResultsView>[0]) => buildResultsView(input);
const sink = () => {
  const s = new PassThrough();
  s.resume();
  return s;
};

test('a scored run writes its snapshot; the next open uses it and shows exactly the same numbers', async () => {
  const { runDir } = await ws;
  fs.rmSync(snapshotOf(runDir), { force: true });
  const cold = await loadRunResults(runDir, { resamples: 200 });
  assert.equal(cold.fromSnapshot, false);
  assert.ok(fs.existsSync(snapshotOf(runDir)), 'written beside responses.jsonl');
  const warm = await loadRunResults(runDir, { resamples: 200 });
  assert.equal(warm.fromSnapshot, true);
  assert.deepEqual(warm.input, cold.input);
  assert.deepEqual(quick(warm.input), quick(cold.input));
  assert.deepEqual(full(warm.input), full(cold.input));
  assert.deepEqual(warm.read, cold.read);
  // What needs the responses reads them on demand: the drill-down, the report, another pair.
  const item = cold.report.items.find((i) => i.condition === 'ar-plain')!;
  assert.deepEqual(buildDrillDown(warm, item.personaId, item.questionId), buildDrillDown(cold, item.personaId, item.questionId));
  assert.deepEqual(warm.report.deltas, cold.report.deltas);
  assert.deepEqual(full(warm.inputFor(['ar-plain', 'en-plain'])), full(cold.inputFor(['ar-plain', 'en-plain'])));
});

test('new records, other settings, another pair or a changed personas file make the snapshot stale', async () => {
  const { runDir } = await ws;
  await loadRunResults(runDir, { resamples: 200 });
  assert.equal((await loadRunResults(runDir, { resamples: 200 })).fromSnapshot, true);
  assert.equal((await loadRunResults(runDir, { resamples: 100 })).fromSnapshot, false, 'other resamples');
  assert.equal((await loadRunResults(runDir, { resamples: 100 })).fromSnapshot, true, 'rewritten for them');
  assert.equal((await loadRunResults(runDir, { resamples: 100, pair: ['ar-plain', 'en-plain'] })).fromSnapshot, false, 'other pair');
  // Settings of the experiment live in the manifest: changing them changes the key too.
  const manifestFile = path.join(runDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  await loadRunResults(runDir, { resamples: 100 });
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, experiment: { ...manifest.experiment, scoring: { ...manifest.experiment.scoring, tieBreak: 'first' } } }, null, 2));
  const firstTies = await loadRunResults(runDir, { resamples: 100 });
  assert.equal(firstTies.fromSnapshot, false);
  assert.equal(firstTies.settings.tieBreak, 'first');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  // A new record (a resumed run): the new numbers, not the old snapshot's.
  const before = await loadRunResults(runDir, { resamples: 100 });
  const responses = path.join(runDir, 'responses.jsonl');
  const lines = fs.readFileSync(responses, 'utf8').trim().split('\n');
  const extra = { ...JSON.parse(lines[0]!), hash: 'new-record', sample: 99 };
  fs.appendFileSync(responses, `${JSON.stringify(extra)}\n`);
  const after = await loadRunResults(runDir, { resamples: 100 });
  assert.equal(after.fromSnapshot, false);
  assert.equal(after.input.responses, before.input.responses! + 1);
  fs.writeFileSync(responses, `${lines.join('\n')}\n`);
  // The personas (real answers) changed: stale too.
  await loadRunResults(runDir, { resamples: 100 });
  const personas = path.join(path.dirname(path.dirname(path.dirname(runDir))), 'personas.jsonl');
  const t = new Date(Date.now() + 5000);
  fs.utimesSync(personas, t, t);
  assert.equal((await loadRunResults(runDir, { resamples: 100 })).fromSnapshot, false);
});

test('a malformed snapshot is never trusted: the responses are scored and the snapshot rewritten', async () => {
  const { runDir } = await ws;
  const truth = await loadRunResults(runDir, { resamples: 150, snapshot: false });
  await loadRunResults(runDir, { resamples: 150 });
  const good = fs.readFileSync(snapshotOf(runDir), 'utf8');
  const parsed = JSON.parse(good);
  const corruptions: [string, string][] = [
    ['truncated', good.slice(0, good.length / 2)],
    ['not JSON', 'hello'],
    ['other version', JSON.stringify({ ...parsed, version: 1 })],
    ['columns cut', JSON.stringify({ ...parsed, items: { ...parsed.items, columns: parsed.items.columns.slice(0, 40) } })],
    ['index out of range', JSON.stringify({ ...parsed, items: { ...parsed.items, strings: [parsed.items.strings[0].slice(0, 1), parsed.items.strings[1], parsed.items.strings[2]] } })],
    ['a number is text', JSON.stringify({ ...parsed, items: { ...parsed.items, numbers: ['0.5', ...parsed.items.numbers.slice(1)] } })],
    ['no stats', JSON.stringify({ ...parsed, input: { ...parsed.input, stats: null } })],
  ];
  for (const [what, text] of corruptions) {
    fs.writeFileSync(snapshotOf(runDir), text);
    const r = await loadRunResults(runDir, { resamples: 150 });
    assert.equal(r.fromSnapshot, false, what);
    assert.deepEqual(full(r.input), full(truth.input), what);
    assert.equal(fs.readFileSync(snapshotOf(runDir), 'utf8'), good, `${what}: rewritten`);
  }
  // strict never relies on the snapshot (a quarantined line must be an error).
  assert.equal((await loadRunResults(runDir, { resamples: 150, strict: true })).fromSnapshot, false);
});

test('a running run gets no snapshot (its records keep coming)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-snapshot-running-'));
  const { runDir } = await writeRecordedWorkspace(dir, { personas: 5, questions: ['Q19', 'Q42'] });
  const manifestFile = path.join(runDir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), status: 'running' }));
  await loadRunResults(runDir);
  assert.equal(fs.existsSync(snapshotOf(runDir)), false);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('CLI score, export with and without the snapshot: the same numbers to the last digit', async () => {
  const { runDir } = await ws;
  fs.rmSync(snapshotOf(runDir), { force: true });
  const exportJson = async (file: string) => {
    assert.equal(await exportCommand([runDir, '--format', 'json', '--out', file, '--resamples', '200'], sink(), sink()), 0);
    return fs.readFileSync(file, 'utf8');
  };
  const cold = await exportJson(path.join(tmp, 'cold.json'));
  assert.ok(fs.existsSync(snapshotOf(runDir)));
  const warm = await exportJson(path.join(tmp, 'warm.json'));
  assert.equal(warm, cold, 'byte-identical export');
  const out = process.stdout.write.bind(process.stdout);
  let json = '';
  process.stdout.write = ((c: unknown, cb?: unknown) => { json += String(c); if (typeof cb === 'function') (cb as () => void)(); return true; }) as typeof process.stdout.write;
  const err = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    assert.equal(await scoreCommand([runDir, '--json', '--bootstrap', '200']), 0);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const report = JSON.parse(json) as ScoreReport;
  const view = (JSON.parse(warm) as { view: { headline: { soft: { mean: number; lo: number; hi: number } }; overview: Array<{ condition: { id: string }; soft: { mean: number } }> } }).view;
  const soft = report.deltas.find((d) => d.metric === 'soft')!;
  assert.deepEqual([view.headline.soft.mean, view.headline.soft.lo, view.headline.soft.hi], [soft.overall.delta, soft.overall.ciLow, soft.overall.ciHigh]);
  for (const c of report.conditions) assert.equal(view.overview.find((o) => o.condition.id === c.condition)!.soft.mean, c.scores.soft);
});
