import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord } from '../../../../src/core/experiment';
import { readResponses } from '../../../../src/core/run/readRun';
import { ResponseCache } from '../../../../src/core/run/ResponseCache';
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
  assert.equal(reopened.completedHashes().size, 10);
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
  assert.deepEqual([...RunStore.open(path.join(runs, 'r1')).completedHashes()], ['h0']);
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
