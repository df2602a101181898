import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepIndex } from '../../../../src/core/preview/stepIndex';

test('stepIndex wraps both ways and recovers from an unknown current', () => {
  assert.equal(stepIndex(0, 1, 3), 1);
  assert.equal(stepIndex(2, 1, 3), 0);
  assert.equal(stepIndex(0, -1, 3), 2);
  assert.equal(stepIndex(-1, 1, 3), 0);
  assert.equal(stepIndex(-1, -1, 3), 2);
  assert.equal(stepIndex(7, 1, 3), 0);
  assert.equal(stepIndex(0, 1, 0), -1);
});
