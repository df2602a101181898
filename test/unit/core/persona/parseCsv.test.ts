import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { parseCsv } from '../../../../src/core/persona/parseCsv';
import { WVS, readText } from '../workspace/sharedData';

test('reads the real ;-separated WVS file: header, 303 rows, sniffed delimiter', () => {
  const t = parseCsv(readText(path.join(WVS, 'eg_wvs_wave7_v7_n303.csv')), 'eg.csv');
  assert.equal(t.delimiter, ';');
  assert.equal(t.rows.length, 303);
  assert.equal(t.header.length, 420);
  assert.ok(t.header.includes('Q260 Sex'));
  assert.equal(t.lines[0], 2);
});

test('quoted fields with delimiters, escaped quotes, newlines; CRLF; BOM; tabs', () => {
  const t = parseCsv('\uFEFFid,text,n\r\n1,"a, ""b""\nc",3\r\n\r\n2,plain,4\r\n', 'q.csv');
  assert.deepEqual(t.header, ['id', 'text', 'n']);
  assert.deepEqual(t.rows, [['1', 'a, "b"\nc', '3'], ['2', 'plain', '4']]);
  assert.deepEqual(t.lines, [2, 5]);
  assert.equal(parseCsv('a\tb\n1\t2', 't.tsv').delimiter, '\t');
  assert.deepEqual(parseCsv('a|b\n1|2', 'p.csv').rows, [['1', '2']]);
  assert.deepEqual(parseCsv('a;b\n1,5;2', 'p.csv', ';').rows, [['1,5', '2']]);
});

test('ragged rows, unterminated quotes and empty files are InputErrors with a line', () => {
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'r.csv'), (e: unknown) => e instanceof InputError && e.location.line === 3);
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n', 'u.csv'), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.location.column === 3);
  assert.throws(() => parseCsv('', 'e.csv'), InputError);
});
