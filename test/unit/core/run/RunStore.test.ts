import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord } from '../../../../src/core/experiment';
import { InputError } from '../../../../src/core/errors';
import { readResponses, readResponsesFile, sampleKey } from '../../../../src/core/run/readRun';
import { ResponseCache } from '../../../../src/core/run/ResponseCache';
import { makeRunFolder } from '../../../../src/core/run/runFiles';
import { isRunLocked, repairTornTail, RunStore } from '../../../../src/core/run/RunStore';
import { newStore, tempDir } from './helpers';

function rec(i: number, text: string | null = `(${(i % 4) + 1})`): ResponseRecord {
  return { hash: `h${i}`, condition: 'c', model: 'm', lang: 'ar', personaId: 'p', questionId: 'Q1', variant: 0, sample: i, text, t: 1 };
}

test('appends in batches; a torn last line is cut on reopen and new records start on a fresh line', () => {
  const runs = tempDir();
  const store = newStore(runs, 'r1');
  for (let i = 0; i < 10; i++) store.append(rec(i));
  store.close();
  // A crash in the middle of a write: half a record, no newline.
  fs.appendFileSync(store.responsesFile, '{"hash":"h10","condition":"c","te');
  assert.equal([...readResponses(store.responsesFile)].length, 10, 'readers skip the torn line');
  const reopened = RunStore.open(path.join(runs, 'r1'));
  assert.equal(reopened.completedSamples().size, 10);
  reopened.append(rec(10, 'الإجابة (٢)'));
  reopened.close();
  const lines = fs.readFileSync(store.responsesFile, 'utf8').split('\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length - 1, 11);
  assert.equal([...readResponses(store.responsesFile)].at(-1)!.text, 'الإجابة (٢)');
});

test('repairTornTail: no-op on clean files, removes only the partial line', () => {
  const file = path.join(tempDir(), 'x.jsonl');
  fs.writeFileSync(file, '{"a":1}\n{"b":2}\n');
  assert.equal(repairTornTail(file), 0);
  fs.appendFileSync(file, '{"c":');
  assert.equal(repairTornTail(file), 5);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a":1}\n{"b":2}\n');
  fs.writeFileSync(file, 'no newline at all');
  repairTornTail(file);
  assert.equal(fs.readFileSync(file, 'utf8'), '');
});

test('failed records do not count as done (they are asked again); the cache ignores them', () => {
  const runs = tempDir();
  const store = newStore(runs, 'r1');
  store.append(rec(0));
  store.append({ ...rec(1, null), error: 'HTTP 500' });
  store.close();
  assert.deepEqual([...RunStore.open(path.join(runs, 'r1')).completedSamples()], [sampleKey(rec(0))]);
  const cache = ResponseCache.scan(runs);
  assert.equal(cache.size, 1);
  assert.equal(cache.get('h0')!.text, '(1)');
  assert.equal(cache.get('h1'), undefined);
});

test('streams large files across chunk boundaries with exact offsets', () => {
  const runs = tempDir();
  const store = newStore(runs, 'big');
  const n = 20000;
  for (let i = 0; i < n; i++) store.append(rec(i, 'x'.repeat(i % 97)));
  store.close();
  let count = 0;
  for (const r of readResponses(store.responsesFile)) {
    assert.equal(r.hash, `h${count}`);
    count++;
  }
  assert.equal(count, n);
  const cache = ResponseCache.scan(runs);
  assert.equal(cache.get('h12345')!.text, 'x'.repeat(12345 % 97));
});

test('a run held by a live process is locked; a stale lock (dead pid) is not', () => {
  const runs = tempDir();
  const store = newStore(runs, 'r1');
  const dir = path.join(runs, 'r1');
  assert.equal(isRunLocked(dir), false, 'our own lock does not lock us out');
  fs.writeFileSync(path.join(dir, 'run.lock'), String(process.ppid));
  assert.equal(isRunLocked(dir), true);
  assert.throws(() => RunStore.open(dir), /being written by another process/);
  fs.writeFileSync(path.join(dir, 'run.lock'), '999999999');
  assert.equal(isRunLocked(dir), false);
  store.close();
  assert.equal(fs.existsSync(path.join(dir, 'run.lock')), false);
});

test('run files are never opened through a link: open, the lock, the torn-tail repair and the manifest refuse it and write nothing', () => {
  const runs = tempDir();
  const victim = path.join(tempDir('as-victim-'), 'victim.txt');
  const store = newStore(runs, 'r1');
  store.append(rec(0));
  store.close();
  const dir = path.join(runs, 'r1');
  for (const f of ['responses.jsonl', 'run.lock', 'manifest.json']) {
    fs.writeFileSync(victim, 'keep me\nno newline');
    const real = path.join(dir, f);
    const saved = fs.existsSync(real) ? fs.readFileSync(real) : undefined;
    fs.rmSync(real, { force: true });
    fs.symlinkSync(victim, real);
    assert.throws(() => RunStore.open(dir), (e: unknown) => e instanceof InputError && e.location.file === real && /symbolic link/.test(e.message), f);
    if (f === 'responses.jsonl') assert.throws(() => repairTornTail(real), InputError);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\nno newline', `${f}: the link target is untouched`);
    fs.rmSync(real);
    if (saved) fs.writeFileSync(real, saved);
  }
  // A planted temp file of the atomic manifest write is replaced, not written through.
  const reopened = RunStore.open(dir);
  fs.symlinkSync(victim, path.join(dir, `manifest.json.${process.pid}.tmp`));
  reopened.updateManifest({ status: 'completed' });
  reopened.close();
  assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\nno newline');
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).status, 'completed');
});

test('the cache: only runs with a valid manifest (run id = folder) feed it, not through links; a hit names its run', () => {
  const runs = tempDir();
  const good = newStore(runs, 'good');
  good.append(rec(1));
  good.close();
  fs.mkdirSync(path.join(runs, 'forged'));
  fs.writeFileSync(path.join(runs, 'forged', 'responses.jsonl'), `${JSON.stringify(rec(2, '(4) forged'))}\n`);
  fs.mkdirSync(path.join(runs, 'renamed'));
  fs.writeFileSync(path.join(runs, 'renamed', 'manifest.json'), fs.readFileSync(path.join(runs, 'good', 'manifest.json')));
  fs.writeFileSync(path.join(runs, 'renamed', 'responses.jsonl'), `${JSON.stringify(rec(3, '(4) forged'))}\n`);
  const elsewhere = tempDir();
  const outside = newStore(elsewhere, 'linked');
  outside.append(rec(4, '(4) forged'));
  outside.close();
  fs.symlinkSync(path.join(elsewhere, 'linked'), path.join(runs, 'linked'));
  const cache = ResponseCache.scan(runs);
  assert.deepEqual(['h1', 'h2', 'h3', 'h4'].filter((h) => cache.has(h)), ['h1']);
  assert.equal(cache.get('h1')!.cachedFrom, 'good');
  cache.close();
});

test('the run reader keeps one record per sample: a later answer replaces a failure, identical prompts of two items are two samples', () => {
  const runs = tempDir();
  const store = newStore(runs, 'r1');
  store.append({ ...rec(0, null), error: 'HTTP 500' }); // failed first …
  store.append(rec(1));
  store.append(rec(0, '(3)')); // … answered on resume: this answer counts
  store.append(rec(0, '(4)')); // the same sample again: the first answer wins
  // Variant 2 is word for word variant 0 (the Arabic dump has such paraphrases): same request hash, another sample.
  store.append({ ...rec(1), variant: 2 });
  store.close();
  const r = readResponsesFile(path.join(runs, 'r1', 'responses.jsonl'));
  assert.deepEqual(r.records.map((x) => [x.record.sample, x.record.variant, x.record.text]), [[0, 0, '(3)'], [1, 0, '(2)'], [1, 2, '(2)']]);
  assert.equal(r.duplicates, 2);
  assert.deepEqual([...RunStore.open(path.join(runs, 'r1')).completedSamples()].sort(), [sampleKey(rec(0)), sampleKey(rec(1)), sampleKey({ ...rec(1), variant: 2 })].sort());
});

test('a batch folder of a run that links elsewhere receives nothing: batch state and downloads are never written through a link', () => {
  const runs = tempDir();
  newStore(runs, 'r1').close();
  const outside = tempDir();
  fs.symlinkSync(outside, path.join(runs, 'r1', 'batch'));
  assert.throws(() => makeRunFolder(path.join(runs, 'r1', 'batch', 'downloads')), (e: unknown) => e instanceof InputError && /symbolic link/.test(e.message));
  assert.deepEqual(fs.readdirSync(outside), []);
  fs.rmSync(path.join(runs, 'r1', 'batch'));
  makeRunFolder(path.join(runs, 'r1', 'batch', 'downloads'));
  assert.ok(fs.statSync(path.join(runs, 'r1', 'batch', 'downloads')).isDirectory());
});
