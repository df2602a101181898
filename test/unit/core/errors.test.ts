import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, lineColumnAt } from '../../../src/core/errors';

test('lineColumnAt counts 1-based lines and columns', () => {
  const text = 'ab\ncd\n\nefg';
  assert.deepEqual(lineColumnAt(text, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumnAt(text, 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumnAt(text, 7), { line: 4, column: 1 });
  assert.deepEqual(lineColumnAt(text, 999), { line: 4, column: 4 });
});

test('InputError names file, line, column and field', () => {
  const e = new InputError('not a number', { file: 'personas.csv', line: 3, column: 7 }, 'age');
  assert.equal(e.message, 'personas.csv:3:7: not a number (field "age")');
  assert.equal(e.field, 'age');
  assert.ok(e instanceof Error);
});
