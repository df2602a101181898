import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import type { ExperimentSpec, ResponseRecord, RunManifest } from '../../../../src/core/experiment';
import { parsePersonas } from '../../../../src/core/persona/parsePersonas';
import { indexRecordedCompletions } from '../../../../src/core/recorded/indexRecordedCompletions';
import { loadRecordedCompletions } from '../../../../src/core/recorded/loadRecordedCompletions';
import { exportCommand } from '../../../../src/cli/export';
import { scoreCommand } from '../../../../src/cli/score';
import { readRun } from '../../../../src/core/run/readRun';
import type { ScoreReport } from '../../../../src/core/score/types';
import { recordedScoringInput } from '../../../../src/core/score/recordedScoringInput';
import { runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { parseSurvey } from '../../../../src/core/survey/parseSurvey';
import { ROOT, readText } from '../workspace/sharedData';

const EXAMPLE = path.join(ROOT, 'examples/wvs-egypt-us');
const EXPERIMENT = path.join(EXAMPLE, 'egypt-en-vs-ar.experiment.json');

/**
 * Writes a run directory as the run engine would, replaying the example's recorded completions for its Egypt
 * personas through the recorded index (the replay model's lookup), one JSONL line per sample.
 */
async function writeReplayRun(): Promise<{ dir: string; lines: string[] }> {
  const spec = JSON.parse(readText(EXPERIMENT)) as ExperimentSpec;
  const personas = parsePersonas(readText(path.join(EXAMPLE, spec.personas)), spec.personas).filter((p) => p.country === 'egypt');
  const survey = parseSurvey(readText(path.join(EXAMPLE, spec.survey)), spec.survey);
  const index = indexRecordedCompletions((await loadRecordedCompletions(path.join(EXAMPLE, 'recorded'))).records);
  const lines: string[] = [];
  let t = 0;
  for (const c of spec.conditions) {
    for (const p of personas) {
      for (const q of survey.questions) {
        for (const variant of spec.variants ?? [0, 1, 2, 3]) {
          const replies = index.get(c.lang, p.values[c.lang]!, q.id, variant);
          assert.ok(replies, `recorded ${c.lang} ${p.id} ${q.id} ${variant}`);
          replies.forEach((text, sample) => {
            const r: ResponseRecord = { hash: `${c.id}-${p.id}-${q.id}-${variant}-${sample}`, condition: c.id, model: c.model, lang: c.lang, personaId: p.id, questionId: q.id, variant, sample, text, cached: true, t: t++ };
            lines.push(JSON.stringify(r));
          });
        }
      }
    }
  }
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'score-run-'));
  // A run reads only files inside its workspace: the experiment, its survey and personas are copied in.
  for (const f of [path.basename(EXPERIMENT), 'survey', 'personas']) fs.cpSync(path.join(EXAMPLE, f), path.join(ws, f), { recursive: true });
  const dir = path.join(ws, '.alignment/runs/replay-1');
  fs.mkdirSync(dir, { recursive: true });
  const manifest: RunManifest = { runId: 'replay-1', experimentFile: path.basename(EXPERIMENT), experiment: spec, createdAt: new Date(0).toISOString(), plannedRequests: lines.length, recorded: true, status: 'completed' };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), `${lines.join('\n')}\n`);
  return { dir, lines };
}

test('scoring a run directory equals scoring the same recorded completions directly', async () => {
  const { dir, lines } = await writeReplayRun();
  const run = readRun(dir);
  assert.equal(run.records.length, lines.length);
  assert.equal(run.tornLastLine, false);
  assert.deepEqual(run.quarantined, []);
  const { input } = await runScoringInput(run);
  assert.deepEqual(input.compare, [['en-plain', 'ar-plain']]);
  assert.equal(input.twins!.length, 50);
  const fromRun = scoreResponses(input, scoringSettings('paper', { bootstrapResamples: 100, permutationResamples: 100 }));

  // The same answers read as recorded completions, matched to the same personas by their demographics.
  const spec = run.manifest.experiment;
  const personas = parsePersonas(readText(path.join(EXAMPLE, spec.personas)), spec.personas);
  const egypt = personas.filter((p) => p.country === 'egypt');
  const rec = recordedScoringInput((await loadRecordedCompletions(path.join(EXAMPLE, 'recorded'))).records, egypt, { model: 'replay-gpt35' });
  const direct = scoreResponses({
    questions: input.questions, conditions: rec.conditions, items: rec.items, personas: egypt,
    twins: personas.filter((p) => p.country === 'united states'),
  }, scoringSettings('paper', { bootstrapResamples: 0, permutationResamples: 0 }));
  for (const [runId, recId] of [['en-plain', 'en'], ['ar-plain', 'ar']]) {
    const a = fromRun.conditions.find((c) => c.condition === runId)!;
    const b = direct.conditions.find((c) => c.condition === recId)!;
    assert.equal(a.scores.items, b.scores.items);
    assert.ok(a.scores.items > 3000, `items ${a.scores.items}`);
    assert.ok(Math.abs(a.scores.soft - b.scores.soft) < 1e-12);
    assert.ok(Math.abs(a.scores.hard - b.scores.hard) < 1e-12);
    assert.equal(a.recorded, true);
  }
  const delta = fromRun.deltas.find((d) => d.metric === 'soft')!;
  assert.equal(`${delta.a}→${delta.b}`, 'en-plain→ar-plain');
  assert.ok(delta.overall.delta > 0, 'Arabic above English on the 50-persona subset too');
  fs.rmSync(path.resolve(dir, '../../..'), { recursive: true, force: true });
});

test('a torn last line is ignored; duplicates (resume) count once, first wins; other bad lines are quarantined (strict: an error naming the line)', async () => {
  const { dir, lines } = await writeReplayRun();
  const file = path.join(dir, 'responses.jsonl');
  const dup = { ...(JSON.parse(lines[3]!) as ResponseRecord), text: 'a later answer' };
  fs.writeFileSync(file, `${lines.slice(0, 10).join('\n')}\n${JSON.stringify(dup)}\n${lines[10]!.slice(0, 25)}`);
  const run = readRun(dir);
  assert.equal(run.records.length, 10);
  assert.equal(run.duplicates, 1);
  assert.equal(run.records[3]!.record.text, (JSON.parse(lines[3]!) as ResponseRecord).text, 'the first record wins');
  assert.equal(run.tornLastLine, true);
  assert.deepEqual(run.quarantined, []);

  fs.writeFileSync(file, `${lines[0]}\n{"hash": "x", oops\n${lines[1]}\n`);
  const q = readRun(dir);
  assert.equal(q.records.length, 2);
  assert.equal(q.quarantined.length, 1);
  assert.equal(q.quarantined[0]!.line, 2);
  assert.match(q.quarantined[0]!.reason, /invalid JSON/);
  assert.throws(() => readRun(dir, { strict: true }), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.location.file === file);
  fs.writeFileSync(file, `${lines[0]}\n${JSON.stringify({ hash: 'y', condition: 'en-plain', personaId: 'egypt-0001', variant: 0, sample: 0, text: '2', t: 0 })}\n`);
  assert.deepEqual(readRun(dir).quarantined, [{ line: 2, reason: 'record has no "questionId"', field: 'questionId' }]);
  assert.throws(() => readRun(dir, { strict: true }), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.field === 'questionId');
  fs.rmSync(path.join(dir, 'manifest.json'));
  assert.throws(() => readRun(dir), /not a run directory/);
  fs.rmSync(path.resolve(dir, '../../..'), { recursive: true, force: true });
});

/** Runs a CLI command with stdout/stderr captured (the commands write to the process streams). */
async function captured(fn: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stdout.write = ((_c: unknown, cb?: unknown) => { if (typeof cb === 'function') (cb as () => void)(); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((c: unknown) => { stderr += String(c); return true; }) as typeof process.stderr.write;
  try {
    return { code: await fn(), stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

interface ExportedView {
  view: {
    overview: Array<{ condition: { id: string }; soft: { mean: number; items: number }; hard: { mean: number } }>;
    headline: { a: string; b: string; soft: { mean: number; lo: number; hi: number; n: number; items: number }; hard: { mean: number; lo: number; hi: number }; p: number };
    breakdowns: Array<{ field: string; groups: Array<{ value: string; perCondition: Record<string, { mean: number | null }>; delta: { mean: number | null; lo: number | null; hi: number | null } | null }> }>;
    settings: { profile: string; tieBreak: string; seed: number };
    read: { quarantined: Array<{ line: number }> };
  };
  tables: Array<{ name: string; columns: string[]; rows: Array<Array<string | number | null>> }>;
}

/** `score --json` and `export --format json|csv` of one run: every number the issue names must be identical. */
async function assertCliAndExportAgree(dir: string, ws: string): Promise<{ report: ScoreReport; exported: ExportedView }> {
  const reportFile = path.join(ws, 'report.json');
  const s = await captured(() => scoreCommand([dir, '--out', reportFile, '--bootstrap', '200']));
  assert.equal(s.code, 0, s.stderr);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ScoreReport;
  const exportFile = path.join(ws, 'export.json');
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  assert.equal(await exportCommand([dir, '--format', 'json', '--out', exportFile, '--resamples', '200'], sink, sink), 0);
  const exported = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as ExportedView;
  const v = exported.view;
  // Headline: delta, CI and p-value of the soft and hard delta.
  const soft = report.deltas.find((d) => d.metric === 'soft')!;
  const hard = report.deltas.find((d) => d.metric === 'hard')!;
  assert.deepEqual([v.headline.a, v.headline.b], [soft.a, soft.b]);
  assert.deepEqual([v.headline.soft.mean, v.headline.soft.lo, v.headline.soft.hi, v.headline.soft.n, v.headline.p], [soft.overall.delta, soft.overall.ciLow, soft.overall.ciHigh, soft.overall.n, soft.overall.pValue]);
  assert.deepEqual([v.headline.hard.mean, v.headline.hard.lo, v.headline.hard.hi], [hard.overall.delta, hard.overall.ciLow, hard.overall.ciHigh]);
  // Per condition: soft, hard and the items behind them.
  for (const c of report.conditions) {
    const o = v.overview.find((x) => x.condition.id === c.condition)!;
    assert.deepEqual([o.soft.mean, o.hard.mean, o.soft.items], [c.scores.soft, c.scores.hard, c.scores.items], c.condition);
  }
  assert.equal(v.headline.soft.items, report.conditions[0]!.scores.items, 'paired on the common items');
  // Per group: the soft delta and its CI, and each condition's group mean.
  let groupsChecked = 0;
  for (const b of v.breakdowns) {
    const field = b.field === 'age' ? 'age_bucket' : b.field;
    for (const g of b.groups) {
      const d = soft.groups.find((x) => x.field === field && x.value === g.value);
      if (!d) { assert.equal(g.delta?.mean ?? null, null, `${field}=${g.value}`); continue; }
      assert.deepEqual([g.delta!.mean, g.delta!.lo, g.delta!.hi], [d.delta, d.ciLow, d.ciHigh], `${field}=${g.value}`);
      for (const c of report.conditions) {
        const gs = report.groups.find((x) => x.condition === c.condition && x.field === field && x.value === g.value)!;
        assert.equal(g.perCondition[c.condition]!.mean, gs.soft, `${c.condition} ${field}=${g.value}`);
      }
      groupsChecked++;
    }
  }
  assert.ok(groupsChecked >= 15, `groups compared: ${groupsChecked}`);
  // The exported tables carry the same headline (rounded only by the table's 6 decimals).
  const headline = exported.tables.find((t) => t.name === 'headline')!;
  const row = headline.rows[0]!;
  assert.ok(Math.abs(Number(row[headline.columns.indexOf('delta_soft')]) - soft.overall.delta) < 1e-6);
  assert.equal(v.settings.profile, report.settings.profile);
  assert.equal(v.settings.tieBreak, report.settings.tieBreak);
  return { report, exported };
}

test('the CLI score, the panel view model and the exports show identical numbers on the example run and on a corrupted copy', async () => {
  const { dir, lines } = await writeReplayRun();
  const ws = path.resolve(dir, '../../..');
  const clean = await assertCliAndExportAgree(dir, ws);
  assert.ok(clean.report.deltas[0]!.overall.delta > 0);
  assert.deepEqual(clean.exported.view.read.quarantined, []);

  // Corrupt line 10 (not the last line): both quarantine it, report it, and still agree.
  const bad = [...lines];
  bad[9] = '{"hash": "broken", this is not JSON';
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), `${bad.join('\n')}\n`);
  const corrupted = await assertCliAndExportAgree(dir, ws);
  assert.deepEqual(corrupted.report.read?.quarantined.map((q) => q.line), [10]);
  assert.deepEqual(corrupted.exported.view.read.quarantined.map((q) => q.line), [10]);
  assert.ok(corrupted.report.warnings.some((w) => /quarantined/.test(w)));
  const strict = await captured(() => scoreCommand([dir, '--strict']));
  assert.equal(strict.code, 2, 'a bad line with --strict is bad input: exit 2, as in every command');
  assert.match(strict.stderr, /responses\.jsonl:10:1/);
  fs.rmSync(ws, { recursive: true, force: true });
});
