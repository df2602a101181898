import { test } from 'node:test';
import assert from 'node:assert/strict';
import { virtualWindow } from '../../../../src/core/results/virtualWindow';

test('renders only the visible rows plus overscan, spacers keep the full height', () => {
  const w = virtualWindow(2400, 600, 24, 10000, 8);
  assert.equal(w.start, 92);
  assert.equal(w.end, 100 + 25 + 8);
  assert.equal(w.padTop + (w.end - w.start) * 24 + w.padBottom, 10000 * 24);
});

test('clamps at both ends and handles empty lists', () => {
  assert.deepEqual(virtualWindow(-50, 100, 20, 3), { start: 0, end: 3, padTop: 0, padBottom: 0 });
  const end = virtualWindow(1e9, 500, 20, 100);
  assert.equal(end.end, 100);
  assert.ok(end.start <= end.end);
  assert.equal(end.padTop + (end.end - end.start) * 20 + end.padBottom, 2000);
  assert.deepEqual(virtualWindow(0, 100, 20, 0), { start: 0, end: 0, padTop: 0, padBottom: 0 });
});
