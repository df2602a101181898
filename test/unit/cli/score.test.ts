import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ScoreReport } from '../../../src/core/score/types';
import { RECORDED, ROOT, WVS, readText } from '../core/workspace/sharedData';

const CLI = path.join(ROOT, 'dist/cli.js');
const EXPECTED = JSON.parse(readText(path.join(ROOT, 'test/fixtures/score/expected_paper.json')));
const paperArgs = ['--completions', RECORDED, '--survey', path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'), '--twin-survey', path.join(WVS, 'us_wvs_wave7_v7_n303.csv'), '--bootstrap', '100'];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'score', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('score --completions --json reproduces the paper numbers (EN, AR, Arabic − English)', () => {
  const r = cli(...paperArgs, '--json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as ScoreReport;
  assert.equal(report.settings.profile, 'paper');
  assert.equal(report.source.kind, 'completions');
  assert.deepEqual(report.conditions.map((c) => c.condition), ['en', 'ar']);
  for (const c of report.conditions) {
    close(c.scores.soft, EXPECTED.conditions.filtered.common[c.condition].soft, `${c.condition} soft`);
    close(c.scores.hard, EXPECTED.conditions.filtered.common[c.condition].hard, `${c.condition} hard`);
    assert.equal(c.model, 'gpt-3.5-turbo-1106');
  }
  const soft = report.deltas.find((d) => d.metric === 'soft')!;
  close(soft.overall.delta, EXPECTED.conditions.filtered.deltaSoft, 'delta');
  assert.equal(report.items.length, 0, 'item rows only with --items');
  assert.ok(report.unparsed.length > 0 && report.personas.length > 0 && report.distributions.length > 0);
});

test('the table shows scores × 100, the delta with its CI, the funnel and unparsed replies', () => {
  const r = cli(...paperArgs);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Scoring profile: paper · tie-break expected/);
  assert.match(r.stdout, /^en \(recorded\)\s+47\.30\s+23\.33/m);
  assert.match(r.stdout, /^ar \(recorded\)\s+50\.28\s+28\.36/m);
  // The survey column each question reads is said when it is not the question's own: Egypt's Q78 is EG_Q78A.
  assert.match(r.stderr, /Q78 reads column "EG_Q78A Confidence: Private banks" in eg_wvs_wave7_v7_n303\.csv \(the authors' rule: the last column matching Q<n> among Q78, EG_Q78A\)/);
  assert.doesNotMatch(r.stderr, /Q78 reads column "Q78/);
  assert.match(r.stdout, /soft alignment: ar − en = \+2\.97 points \(95% CI \+\d\.\d\d … \+\d\.\d\d, sign-flip p = /);
  assert.match(r.stdout, /Unparsed replies: 407/);
  assert.match(r.stdout, /sex=female/);
});

test('--no-same-answer-filter, --profile strict, --tie-break first change the scoring and say so', () => {
  const un = JSON.parse(cli(...paperArgs, '--json', '--no-same-answer-filter').stdout) as ScoreReport;
  assert.equal(un.settings.sameAnswerFilter, false);
  close(un.conditions[0]!.scores.soft, EXPECTED.conditions.unfiltered.common.en.soft, 'unfiltered en');
  const strict = JSON.parse(cli(...paperArgs, '--json', '--profile', 'strict', '--tie-break', 'first').stdout) as ScoreReport;
  assert.equal(strict.settings.profile, 'strict');
  assert.equal(strict.settings.tieBreak, 'first');
  assert.equal(strict.settings.emptyReplyIsFirstOption, false);
  const paperUnparsed = EXPECTED.parse.en.unparsed + EXPECTED.parse.ar.unparsed;
  assert.ok(strict.unparsed.length > paperUnparsed, `strict unparsed ${strict.unparsed.length}`);
});

test('errors: usage mistakes and bad input exit 2 (as in run, export, batch), bad input naming the file', () => {
  const noSurvey = cli('--completions', RECORDED);
  assert.equal(noSurvey.code, 2);
  assert.match(noSurvey.stderr, /--completions needs --survey/);
  assert.equal(cli(...paperArgs, '--profile', 'lenient').code, 2);
  assert.equal(cli(...paperArgs, '--frobnicate').code, 2);
  const missing = cli(path.join(os.tmpdir(), 'no-such-run-dir'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not a run directory/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-cli-'));
  const bad = path.join(dir, 'preds_q=02_lang=en_country=egypt_temp=0.7_maxt=5_n=5_persona=1_anthro=False_v7.json');
  fs.writeFileSync(bad, '[\n{"persona": {"sex": "male"}, "question": {"id": "Q2", "variant": 0}, "response": ["2"]},\n{"persona": {}, "question": {"id": "Q2"}, "response": []}\n]');
  const r = cli('--completions', dir, '--survey', path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'));
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(`${bad}:3:1`), r.stderr);
  assert.match(r.stderr, /question\.variant/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('scores a run directory (replayed recorded answers) and writes --out', () => {
  const example = path.join(ROOT, 'examples/wvs-egypt-us');
  const experimentFile = path.join(example, 'egypt-en-vs-ar.experiment.json');
  const spec = JSON.parse(readText(experimentFile));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'score-cli-run-'));
  // A run reads only files inside its workspace: the experiment, its survey and personas are copied in.
  for (const f of ['egypt-en-vs-ar.experiment.json', 'survey', 'personas']) fs.cpSync(path.join(example, f), path.join(ws, f), { recursive: true });
  const dir = path.join(ws, '.alignment/runs/r1');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ runId: 'r1', experimentFile: 'egypt-en-vs-ar.experiment.json', experiment: spec, createdAt: '2026-01-01T00:00:00Z', plannedRequests: 4 }));
  // Egypt persona 1 answers Q2 (respondent: 1 = Very important) with 2 in English and 1 in Arabic.
  const personas = readText(path.join(example, spec.personas)).trim().split('\n').map((l) => JSON.parse(l));
  const p = personas.find((x: { country: string; answers: Record<string, number | null> }) => x.country === 'egypt' && x.answers.Q2 === 1);
  const twin = personas.find((x: { country: string; values: { en: Record<string, unknown> } }) => x.country === 'united states'
    && ['sex', 'age', 'marital_status', 'education', 'social_class'].every((f) => String(x.values.en[f]).toLowerCase() === String(p.values.en[f]).toLowerCase()));
  const rec = (condition: string, lang: string, sample: number, text: string) => JSON.stringify({ hash: `${condition}${sample}`, condition, model: 'replay-gpt35', lang, personaId: p.id, questionId: 'Q2', variant: 0, sample, text, t: sample });
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), [rec('en-plain', 'en', 0, '2'), rec('en-plain', 'en', 1, '(2) Rather'), rec('ar-plain', 'ar', 0, '١'), rec('ar-plain', 'ar', 1, 'مهم جدا')].join('\n') + '\n{"hash": "torn');
  const out = path.join(ws, 'report.json');
  const r = cli(dir, '--out', out, '--no-same-answer-filter');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /torn last line/);
  const report = JSON.parse(readText(out)) as ScoreReport;
  assert.equal(report.source.runId, 'r1');
  const en = report.conditions.find((c) => c.condition === 'en-plain')!;
  const ar = report.conditions.find((c) => c.condition === 'ar-plain')!;
  // Q2 has 4 ordered options + DK: |2 − 1| / 3 → soft ⅔ in English, exact match in Arabic.
  close(en.scores.soft, 2 / 3, 'en soft');
  close(ar.scores.soft, 1, 'ar soft');
  assert.equal(ar.parse.byRule.number, 1);
  assert.equal(ar.parse.byRule['option-text'], 1);
  assert.ok(twin, 'the persona has a US twin');
  fs.rmSync(ws, { recursive: true, force: true });
});
