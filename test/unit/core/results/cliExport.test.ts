import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { exportCommand, parseExportArgs } from '../../../../src/cli/export';
import { writeRecordedWorkspace } from './recordedWorkspace';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'as-export-'));
const ws = writeRecordedWorkspace(tmp, { personas: 25, questions: ['Q19', 'Q42', 'Q62', 'Q124', 'Q199'] });

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough(), err = new PassThrough();
  let o = '', e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await exportCommand(args, out, err);
  return { code, out: o, err: e };
}

test('export --format csv without --table writes every table next to --out', async () => {
  const { runDir } = await ws;
  const r = await run([runDir, '--format', 'csv', '--out', path.join(tmp, 'out', 'results.csv'), '--resamples', '200']);
  assert.equal(r.code, 0, r.err);
  for (const t of ['overview', 'headline', 'groups', 'personas']) {
    const file = path.join(tmp, 'out', `results.${t}.csv`);
    assert.ok(r.out.includes(file), r.out);
    assert.ok(fs.readFileSync(file, 'utf8').split('\r\n').length > 2, t);
  }
  const personas = fs.readFileSync(path.join(tmp, 'out', 'results.personas.csv'), 'utf8').split('\r\n');
  assert.match(personas[0], /^persona,region,sex,age,marital_status,education,social_class,age_years,soft:en-plain,soft:ar-plain,delta:ar-plain-en-plain,paired_items$/);
  assert.equal(personas.filter(Boolean).length, 26);
  assert.match(r.err, /soft ar-plain − en-plain = [-\d.]+ pts/);
});

test('export --format json --table and the whole view; --pair flips the headline', async () => {
  const { runDir } = await ws;
  const one = path.join(tmp, 'overview.json');
  assert.equal((await run([runDir, '--format', 'json', '--table', 'overview', '--out', one])).code, 0);
  const rows = JSON.parse(fs.readFileSync(one, 'utf8'));
  assert.deepEqual(rows.map((r: { condition: string }) => r.condition), ['en-plain', 'ar-plain']);
  const all = path.join(tmp, 'all.json');
  assert.equal((await run([runDir, '--format', 'json', '--pair', 'ar-plain,en-plain', '--out', all, '--resamples', '0'])).code, 0);
  const doc = JSON.parse(fs.readFileSync(all, 'utf8'));
  assert.deepEqual(doc.view.pair, ['ar-plain', 'en-plain']);
  assert.equal(doc.tables.length, 4);
});

test('export --format html writes a self-contained report with the results UI inlined', async () => {
  const { runDir } = await ws;
  const file = path.join(tmp, 'report.html');
  const r = await run([runDir, '--format', 'html', '--out', file, '--resamples', '100']);
  assert.equal(r.code, 0, r.err);
  const html = fs.readFileSync(file, 'utf8');
  assert.match(html, /<script type="application\/json" id="report-data">/);
  assert.match(html, /Alignment Results/);
  assert.ok(html.length > 100000, 'bundle inlined');
  assert.doesNotMatch(html, /sourceMappingURL/);
  assert.doesNotMatch(html, /<script[^>]* src=/);
});

test('usage errors and bad runs exit 2 (as in run, score, batch), bad runs with the file named', async () => {
  assert.equal(typeof parseExportArgs(['x', '--format', 'pdf', '--out', 'y']), 'string');
  assert.equal(typeof parseExportArgs(['x', '--format', 'csv']), 'string');
  assert.equal(typeof parseExportArgs(['x', '--format', 'csv', '--out', 'y', '--bogus', '1']), 'string');
  assert.equal((await run(['--format', 'csv', '--out', 'y'])).code, 2);
  const bad = await run([path.join(tmp, 'missing-run'), '--format', 'csv', '--out', path.join(tmp, 'x.csv')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /missing-run[/\\]manifest\.json:1:1/);
  const { runDir } = await ws;
  const t = await run([runDir, '--format', 'csv', '--table', 'nope', '--out', path.join(tmp, 'x.csv')]);
  assert.equal(t.code, 2);
  assert.match(t.err, /no table "nope"/);
});
