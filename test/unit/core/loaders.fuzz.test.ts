// Property-based tests of every loader of workspace data (fast-check): experiment, survey, personas (JSONL and
// CSV), run manifest, responses.jsonl, recorded completions, template diagnostics and the answer parser. Inputs
// are real files of the paper's data with random damage (a field replaced by a value of another type, deleted,
// the text cut or spliced) and random text. Properties: no raw JS error (TypeError, RangeError, …) ever reaches
// the user, every error is an InputError with a file, a line and a column, and no input file is ever changed.
// Seeded (FUZZ_SEED, default 13) so a failure replays exactly; FUZZ_SCALE multiplies the case counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors';
import type { ResponseRecord, RunManifest } from '../../../src/core/experiment';
import { parsePersonas } from '../../../src/core/persona/parsePersonas';
import { parseRecordedCompletions } from '../../../src/core/recorded/parseRecordedCompletions';
import { parseRecordedFileName } from '../../../src/core/recorded/parseRecordedFileName';
import { loadRunResults } from '../../../src/core/results/loadRunResults';
import { createTemplateRenderer } from '../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../src/core/run/executeRun';
import { openExperiment } from '../../../src/core/run/openExperiment';
import { parseExperiment } from '../../../src/core/run/parseExperiment';
import { prepareRun } from '../../../src/core/run/prepareRun';
import { readResponsesFile, readRun } from '../../../src/core/run/readRun';
import { parseAnswer } from '../../../src/core/score/parseAnswer';
import { scoringSettings } from '../../../src/core/score/scoringSettings';
import { parseSurvey } from '../../../src/core/survey/parseSurvey';
import { diagnoseTemplate } from '../../../src/core/template/diagnoseTemplate';
import { makeRunWorkspace, ROOT, type RunWorkspace } from './run/runWorkspace';

const SEED = Number(process.env.FUZZ_SEED ?? 13);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const counts: Record<string, number> = {};

let ws: RunWorkspace;
let runDir: string;
let manifestText: string;
let responsesText: string;
let experimentText: string;
let recordedFile: string;

before(async () => {
  ws = await makeRunWorkspace(['Q19', 'Q42'], 3);
  experimentText = fs.readFileSync(ws.write({ name: 'fuzz', samples: 2, variants: [0, 1] }, 'fuzz.experiment.json'), 'utf8');
  const experiment = await openExperiment(path.join(ws.dir, 'fuzz.experiment.json'), createTemplateRenderer);
  const prepared = prepareRun(experiment, { runsDir: path.join(ws.dir, '.alignment/runs'), resume: 'never' });
  const result = await executeRun(prepared, { keys: () => undefined, workspaceDir: ws.dir, flushIntervalMs: 1 });
  assert.equal(result.summary.failed, 0);
  runDir = result.runDir;
  manifestText = fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8');
  responsesText = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8');
  recordedFile = fs.readdirSync(path.join(ws.dir, 'recorded/en')).map((f) => path.join(ws.dir, 'recorded/en', f))[0];
});

after(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`[fuzz] ${total} cases (seed ${SEED}): ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
});

/** Runs a property and counts its cases. */
function check<T>(name: string, arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns: number): void {
  let n = 0;
  fc.assert(fc.property(arb, (v) => {
    n++;
    predicate(v);
  }), { numRuns: runs(numRuns), seed: SEED });
  counts[name] = (counts[name] ?? 0) + n;
}
async function checkAsync<T>(name: string, arb: fc.Arbitrary<T>, predicate: (v: T) => Promise<void>, numRuns: number): Promise<void> {
  let n = 0;
  await fc.assert(fc.asyncProperty(arb, async (v) => {
    n++;
    await predicate(v);
  }), { numRuns: runs(numRuns), seed: SEED });
  counts[name] = (counts[name] ?? 0) + n;
}

/** The error a user may see: an InputError with a file, a 1-based line and column, and no raw JS error text. */
function assertLocated(e: unknown, files: readonly string[]): void {
  if (!(e instanceof InputError)) throw new Error(`not a located error: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  assert.ok(files.some((f) => e.location.file === f || e.location.file.startsWith(`${f}${path.sep}`) || e.location.file.endsWith(path.basename(f))), `error names ${e.location.file}, not one of ${files.join(', ')}`);
  assert.ok(Number.isInteger(e.location.line) && e.location.line >= 1, `line ${e.location.line}`);
  assert.ok(Number.isInteger(e.location.column) && e.location.column >= 1, `column ${e.location.column}`);
  assert.doesNotMatch(e.message, /Cannot read propert|is not a function|is not iterable|\[object Object\]/, e.message);
}

function expectLocated(files: readonly string[], f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assertLocated(e, files);
  }
}

// ---- damage -----------------------------------------------------------------------------------------------

/** Every path into a JSON value (objects and arrays), for picking where to damage it. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

/** Replaces (or deletes, for `undefined`) the value at `p`. */
function setAt(root: unknown, p: (string | number)[], value: unknown): unknown {
  if (p.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(Number(last), 1);
    else delete o[last];
  } else o[last] = value;
  return copy;
}

/** A value of another type than usual, or a tricky one. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.double(), fc.constant(''), fc.string({ maxLength: 12 }),
  fc.constant('../../../../etc/passwd'), fc.constant({}), fc.constant([]), fc.jsonValue({ maxDepth: 2 }),
);

/** A JSON value with 1–4 random fields replaced by weird values. */
function damaged(value: unknown): fc.Arbitrary<unknown> {
  const all = paths(value);
  return fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), weird), { minLength: 1, maxLength: 4 }).map((edits) => {
    let v = value;
    for (const [i, w] of edits) {
      const p = all[i];
      try {
        v = setAt(v, p, w);
      } catch {
        // the path went away with an earlier edit
      }
    }
    return v;
  });
}

/** A text cut, spliced or with random characters inserted (the torn, hand-edited, binary-ish files). */
function damagedText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 40 }), fc.string({ unit: 'binary', maxLength: 20 })).map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

function digestOf(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(fs.readFileSync(f)).update(String(fs.statSync(f).mtimeMs));
  return h.digest('hex');
}

// ---- the loaders ----------------------------------------------------------------------------------------

test('fuzz: the experiment parser (damaged fields and damaged text) gives a spec or a located error', () => {
  const file = path.join(ws.dir, 'fuzz.experiment.json');
  const valid = JSON.parse(experimentText) as unknown;
  check('experiment', damaged(valid), (v) => expectLocated([file], () => parseExperiment(JSON.stringify(v, null, 2) ?? '', file)), 600);
  check('experiment-text', damagedText(experimentText), (t) => expectLocated([file], () => parseExperiment(t, file)), 400);
});

test('fuzz: opening a damaged experiment on disk reads its survey, personas and templates or fails located, and changes no file', async () => {
  const file = path.join(ws.dir, 'damaged.experiment.json');
  const inputs = ['wvs.survey.json', 'personas.jsonl', 'prompts/persona.en.hbs', 'prompts/persona.ar.hbs'].map((f) => path.join(ws.dir, f));
  const before = digestOf(inputs);
  await checkAsync('experiment-on-disk', damaged(JSON.parse(experimentText)), async (v) => {
    fs.writeFileSync(file, JSON.stringify(v, null, 2) ?? '');
    const written = digestOf([file]);
    try {
      await openExperiment(file, createTemplateRenderer);
    } catch (e) {
      assertLocated(e, [ws.dir]);
    }
    assert.equal(digestOf([file]), written, 'the experiment file is unchanged');
  }, 150);
  assert.equal(digestOf(inputs), before, 'no input file changed');
});

test('fuzz: the survey parser (JSON and YAML)', () => {
  const text = fs.readFileSync(path.join(ws.dir, 'wvs.survey.json'), 'utf8');
  const yamlText = fs.readFileSync(path.join(ROOT, 'test/fixtures/survey/two-questions.survey.yaml'), 'utf8');
  check('survey', damaged(JSON.parse(text)), (v) => expectLocated(['s.survey.json'], () => parseSurvey(JSON.stringify(v) ?? '', 's.survey.json')), 500);
  check('survey-text', fc.oneof(damagedText(text), damagedText(yamlText)), (t) => {
    expectLocated(['s.survey.json'], () => parseSurvey(t, 's.survey.json'));
    expectLocated(['s.survey.yaml'], () => parseSurvey(t, 's.survey.yaml'));
  }, 300);
});

test('fuzz: the persona parsers (JSONL and CSV)', () => {
  const lines = fs.readFileSync(path.join(ws.dir, 'personas.jsonl'), 'utf8').trim().split('\n');
  const first = JSON.parse(lines[0]) as unknown;
  check('personas-jsonl', damaged(first), (v) => expectLocated(['p.personas.jsonl'], () => parsePersonas([JSON.stringify(v) ?? '', ...lines.slice(1)].join('\n'), 'p.personas.jsonl')), 500);
  const csv = fs.readFileSync(path.join(ROOT, 'test/fixtures/persona/bom-semicolon.personas.csv'), 'utf8');
  check('personas-csv', damagedText(csv), (t) => expectLocated(['p.personas.csv'], () => parsePersonas(t, 'p.personas.csv')), 500);
  const cell = fc.oneof(fc.constant(''), fc.constant('"'), fc.constant('egypt'), fc.integer({ min: -3, max: 120 }).map(String), fc.string({ maxLength: 8 }));
  const table = fc.tuple(fc.array(fc.constantFrom('id', 'country', 'sex', 'age', 'Q19', 'Q42', 'values.ar.sex', 'answers.Q19', 'x'), { minLength: 1, maxLength: 6 }), fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 5 }), fc.constantFrom(',', ';', '\t'))
    .map(([head, rows, d]) => [head, ...rows].map((r) => r.join(d)).join('\n'));
  check('personas-csv-table', table, (t) => expectLocated(['p.personas.csv'], () => parsePersonas(t, 'p.personas.csv')), 400);
});

test('fuzz: a damaged run manifest loads (scored, as the CLI and the panel do) or fails located; no run file changes', async () => {
  const dir = path.join(path.dirname(runDir), 'fuzz-manifest');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), responsesText);
  const manifest = JSON.parse(manifestText) as RunManifest;
  await checkAsync('manifest', damaged({ ...manifest, runId: 'fuzz-manifest' }), async (v) => {
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(v, null, 2) ?? '');
    const files = ['manifest.json', 'responses.jsonl'].map((f) => path.join(dir, f));
    const before = digestOf(files);
    try {
      await loadRunResults(dir, { resamples: 0 });
    } catch (e) {
      assertLocated(e, [ws.dir]);
    }
    assert.equal(digestOf(files), before);
  }, 150);
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), responsesText);
  await checkAsync('manifest-text', damagedText(manifestText), async (t) => {
    fs.writeFileSync(path.join(dir, 'manifest.json'), t);
    try {
      await loadRunResults(dir, { resamples: 0 });
    } catch (e) {
      assertLocated(e, [ws.dir]);
    }
  }, 100);
});

test('fuzz: damaged responses.jsonl lines are quarantined with their line (strict: a located error), and the run still scores', async () => {
  const dir = path.join(path.dirname(runDir), 'fuzz-responses');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...JSON.parse(manifestText), runId: 'fuzz-responses' }, null, 2));
  const lines = responsesText.trim().split('\n');
  const record = JSON.parse(lines[0]) as ResponseRecord;
  const line = fc.oneof({ weight: 3, arbitrary: damaged(record).map((v) => JSON.stringify(v) ?? 'undefined') }, { weight: 1, arbitrary: damagedText(lines[1]) }, { weight: 1, arbitrary: fc.constantFrom(...lines.slice(0, 20)) });
  await checkAsync('responses', fc.tuple(fc.array(line, { minLength: 1, maxLength: 12 }), fc.boolean()), async ([ls, newline]) => {
    const text = ls.map((l) => l.replace(/\n/g, ' ')).join('\n') + (newline ? '\n' : '');
    const file = path.join(dir, 'responses.jsonl');
    fs.writeFileSync(file, text);
    const before = digestOf([file]);
    const read = readResponsesFile(file);
    for (const q of read.quarantined) assert.ok(q.line >= 1 && q.line <= ls.length && q.reason.length > 0);
    expectLocated([file], () => readResponsesFile(file, { strict: true }));
    try {
      await loadRunResults(dir, { resamples: 0 });
    } catch (e) {
      assertLocated(e, [ws.dir]);
    }
    assert.equal(readRun(dir).records.length, read.records.length);
    assert.equal(digestOf([file]), before);
  }, 150);
});

test('fuzz: the recorded-completions parser', () => {
  const text = fs.readFileSync(recordedFile, 'utf8');
  const info = parseRecordedFileName(recordedFile)!;
  const data = JSON.parse(text) as unknown[];
  const few = data.slice(0, 3);
  check('recorded', damaged(few), (v) => expectLocated([recordedFile], () => parseRecordedCompletions(JSON.stringify(v, null, 1) ?? '', recordedFile, info)), 500);
  check('recorded-text', damagedText(JSON.stringify(few, null, 1)), (t) => expectLocated([recordedFile], () => parseRecordedCompletions(t, recordedFile, info)), 300);
});

test('fuzz: template diagnostics never throw and every diagnostic is located', () => {
  const real = fs.readFileSync(path.join(ws.dir, 'prompts/persona.ar.hbs'), 'utf8');
  const fragment = fc.oneof(
    fc.constantFrom('{{', '}}', '{{#if persona.sex}}', '{{/if}}', '{{#each question.options}}', '{{/each}}', '{{else}}', '{{> missing}}', '{{#user}}', '{{/user}}',
      '{{persona.age}}', '{{question.text}}', '{{unknownHelper x}}', '{{{raw}}}', '{{!-- c --}}', '{{#system}}', '{{/system}}', '{{lookup persona "x"}}', '\n', '}}}', '{{#'),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  const template = fc.oneof(fc.array(fragment, { maxLength: 25 }).map((a) => a.join('')), damagedText(real));
  check('template', template, (t) => {
    const diagnostics = diagnoseTemplate(t, 'prompts/t.ar.hbs', { partials: ['question.ar'] });
    const lines = t.split('\n').length;
    for (const d of diagnostics) {
      assert.equal(d.file, 'prompts/t.ar.hbs');
      assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1, `line ${d.line} of ${lines}`);
      assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
      assert.ok(d.message.length > 0);
    }
  }, 600);
});

test('fuzz: the answer parser takes any reply and gives an option in range or none', () => {
  const settings = [scoringSettings('paper'), scoringSettings('strict')];
  const reply = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: fc.constantFrom('(', ')', '1', '٢', '۳', ' ', '\n', 'a', 'Very', 'مهم', '.', '-', '9', '0'), maxLength: 30 }));
  const options = fc.array(fc.string({ maxLength: 15 }), { maxLength: 11 });
  check('answer', fc.tuple(reply, options, fc.boolean(), fc.nat({ max: 1 }), fc.option(fc.nat({ max: 12 }))), ([text, opts, reasoning, s, dk]) => {
    const r = parseAnswer(text, { options: opts, allOptions: [opts], dontKnowIndex: dk, reasoning }, settings[s]);
    assert.ok(r.answer === null || (Number.isInteger(r.answer) && r.answer >= 1 && r.answer <= Math.max(opts.length, 1)), `answer ${r.answer} of ${opts.length} for ${JSON.stringify(text)}`);
  }, 3000);
});
