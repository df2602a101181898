import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import type { RunManifest } from '../../../../src/core/experiment';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../../src/core/run/executeRun';
import { openExperiment, openExperimentSpec } from '../../../../src/core/run/openExperiment';
import { parseExperiment } from '../../../../src/core/run/parseExperiment';
import { prepareRun } from '../../../../src/core/run/prepareRun';
import { makeRunWorkspace, ROOT, type RunWorkspace } from './runWorkspace';

const CLI = path.join(ROOT, 'dist/cli.js');
const base = {
  name: 'e', survey: 's.json', personas: 'p.jsonl', samples: 1,
  models: [{ id: 'm', kind: 'replay', completions: 'rec' }],
  conditions: [
    { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'm' },
    { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'm' },
  ],
};
const textOf = (scoring: unknown) => JSON.stringify({ ...base, scoring }, null, 2);

function errorOf(text: string): InputError {
  try {
    parseExperiment(text, 'x.experiment.json');
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail('no error');
}
const lineOf = (text: string, e: InputError) => text.split('\n')[e.location.line - 1]!.trim();

test('"profile": "bogus" is an error naming the file, line and field', () => {
  const text = textOf({ profile: 'bogus', compare: ['en', 'ar'] });
  const e = errorOf(text);
  assert.equal(e.location.file, 'x.experiment.json');
  assert.equal(e.field, 'scoring.profile');
  assert.equal(lineOf(text, e), '"profile": "bogus",');
  assert.match(e.message, /scoring\.profile must be "paper" or "strict" \(got "bogus"\)/);
});

test('an unknown compare id is an error at that id, listing the conditions', () => {
  const text = textOf({ compare: ['en', 'ar-anthro'] });
  const e = errorOf(text);
  assert.equal(e.field, 'scoring.compare');
  assert.equal(lineOf(text, e), '"ar-anthro"');
  assert.match(e.message, /scoring\.compare: no condition "ar-anthro" \(conditions: en, ar\)/);
});

test('tieBreak, seed, sameAnswerFilter, twinCountry and compare are each checked; unknown scoring fields warn', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ tieBreak: 'coin' }, '"tieBreak": "coin"', /scoring\.tieBreak must be "expected", "first" or "random"/],
    [{ seed: 1.5 }, '"seed": 1.5', /"seed" must be a whole number/],
    [{ sameAnswerFilter: 'yes' }, '"sameAnswerFilter": "yes"', /"sameAnswerFilter" must be true or false/],
    [{ twinCountry: 3 }, '"twinCountry": 3', /"twinCountry" must be a non-empty string/],
    [{ compare: ['en'] }, '"compare": [', /scoring\.compare must be two condition ids/],
    [{ compare: ['en', 'en'] }, '"en"', /compare two different conditions/],
    [{ compare: 'en,ar' }, '"compare": "en,ar"', /"compare" must be a list/],
    ['paper', '"scoring": "paper"', /"scoring" must be an object/],
  ];
  for (const [scoring, line, message] of cases) {
    const text = textOf(scoring);
    const e = errorOf(text);
    assert.match(e.message, message, JSON.stringify(scoring));
    assert.equal(lineOf(text, e), line, JSON.stringify(scoring));
  }
  const { spec, warnings } = parseExperiment(textOf({ sameAnswerFilter: true, profile: 'strict', extra: 1 }), 'x.experiment.json');
  assert.deepEqual(Object.keys(spec.scoring!), ['sameAnswerFilter', 'profile'], 'the file\'s key order (resume compares specs as JSON)');
  assert.deepEqual(warnings.map((w) => w.field).sort(), ['extra', 'scoring.twinCountry']);
  assert.match(warnings.find((w) => w.field === 'scoring.twinCountry')!.message, /needs "twinCountry"/);
});

let ws: RunWorkspace;
before(async () => {
  ws = await makeRunWorkspace(['Q19', 'Q42'], 2);
});

test('CLI run: a bad scoring block exits 2 with the location and makes no run folder', () => {
  const file = ws.write({ scoring: { profile: 'bogus' as never } }, 'bogus.experiment.json');
  const runsDir = path.join(ws.dir, 'bogus-runs');
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--runs-dir', runsDir, '--quiet'], { cwd: ws.dir, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /bogus\.experiment\.json:\d+:\d+: scoring\.profile must be "paper" or "strict" \(got "bogus"\) \(field "scoring\.profile"\)/);
  assert.equal(fs.existsSync(runsDir), false, 'no run folder');
  const unknown = ws.write({ scoring: { compare: ['en', 'nope'] } }, 'compare.experiment.json');
  const r2 = spawnSync(process.execPath, [CLI, 'run', unknown, '--runs-dir', runsDir, '--quiet'], { cwd: ws.dir, encoding: 'utf8' });
  assert.equal(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, /compare\.experiment\.json:\d+:\d+: scoring\.compare: no condition "nope"/);
  assert.equal(fs.existsSync(runsDir), false);
});

test('a spec built in code with a bad profile fails before the run folder exists', async () => {
  const file = ws.write({}, 'code.experiment.json');
  const { spec } = (await openExperiment(file, createTemplateRenderer)).plan;
  const opened = await openExperimentSpec({ ...spec, scoring: { profile: 'bogus' as never } }, file, createTemplateRenderer);
  const runsDir = path.join(ws.dir, 'code-runs');
  const prepared = prepareRun(opened, { runsDir, resume: 'never' });
  await assert.rejects(executeRun(prepared, { keys: () => undefined }), /unknown scoring profile "bogus"/);
  assert.equal(fs.existsSync(path.join(runsDir, prepared.runId)), false);
});

test('a run that throws after its folder exists is marked failed, never left "running"', async () => {
  const file = ws.write({}, 'throws.experiment.json');
  const opened = await openExperiment(file, createTemplateRenderer);
  const runsDir = path.join(ws.dir, 'throw-runs');
  const prepared = prepareRun(opened, { runsDir, resume: 'never' });
  // The caller's final progress callback throws (only the last call carries a status; timer calls stay quiet).
  await assert.rejects(executeRun(prepared, { keys: () => undefined, onProgress: (p) => { if ('status' in p) throw new Error('listener broke'); } }), /listener broke/);
  const manifest = JSON.parse(fs.readFileSync(path.join(runsDir, prepared.runId, 'manifest.json'), 'utf8')) as RunManifest;
  assert.equal(manifest.status, 'failed');
  assert.ok(manifest.finishedAt);
});
