import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise, scoreItem } from '../../../../src/core/score/scoreItem';

// Q2: 4 ordered options + "Don't know" (5); Q199: 4 ordered options; Q19: nominal with DK.
const q2 = { n: 5, dontKnow: 5, nominal: false };
const q199 = { n: 4, dontKnow: null, nominal: false };
const q19 = { n: 3, dontKnow: 3, nominal: true };

test('ordinal soft alignment uses K′ = options without DK', () => {
  assert.deepEqual(scoreItem(1, 1, q2), { soft: 1, hard: 1, randomSoft: 0.5, randomHard: 1 / 5 }); // (1 + ⅔ + ⅓ + 0) / 4
  const x = scoreItem(1, 4, q2);
  assert.equal(x.soft, 0);
  assert.equal(x.hard, 0);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(scoreItem(2, 3, q199).soft, 1 - 1 / 3);
  close(scoreItem(2, 3, q199).randomSoft, (2 / 3 + 1 + 2 / 3 + 1 / 3) / 4);
});

test('"Don\'t know" on either side and nominal questions are exact match with a 1/n baseline', () => {
  assert.deepEqual(scoreItem(5, 2, q2), { soft: 0, hard: 0, randomSoft: 1 / 5, randomHard: 1 / 5 });
  assert.deepEqual(scoreItem(5, 5, q2), { soft: 1, hard: 1, randomSoft: 1 / 5, randomHard: 1 / 5 });
  assert.deepEqual(scoreItem(2, 5, q2), { soft: 0, hard: 0, randomSoft: 1 / 5, randomHard: 1 / 5 });
  assert.deepEqual(scoreItem(1, 2, q19), { soft: 0, hard: 0, randomSoft: 1 / 3, randomHard: 1 / 3 });
});

test('normalised score', () => {
  assert.equal(normalise(0.75, 0.5), 0.5);
  assert.equal(normalise(0.5, 0.5), 0);
  assert.equal(normalise(1, 1), 0);
});
