import assert from 'node:assert/strict';
import { test } from 'node:test';
import { majorityVote } from '../../../../src/core/score/majorityVote';

test('majority over valid samples only; no valid sample → no vote', () => {
  assert.deepEqual(majorityVote([2, 2, 3, null, null], 'expected'), [{ answer: 2, weight: 1 }]);
  assert.deepEqual(majorityVote([null, null], 'expected'), []);
  assert.deepEqual(majorityVote([], 'first'), []);
});

test('ties: expected splits the weight, first takes the earliest sampled, random is seeded and reproducible', () => {
  assert.deepEqual(majorityVote([3, 1, 1, 3, 2], 'expected'), [{ answer: 1, weight: 0.5 }, { answer: 3, weight: 0.5 }]);
  assert.deepEqual(majorityVote([3, 1, 1, 3, 2], 'first'), [{ answer: 3, weight: 1 }]);
  const picks = new Set<number>();
  for (let i = 0; i < 50; i++) {
    const a = majorityVote([3, 1, 1, 3], 'random', 7, `item-${i}`);
    assert.deepEqual(a, majorityVote([1, 3, 3, 1], 'random', 7, `item-${i}`), 'same pick whatever the sample order');
    picks.add(a[0]!.answer);
  }
  assert.deepEqual([...picks].sort(), [1, 3], 'both tied answers get picked across items');
  const seeds = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => majorityVote([1, 2], 'random', s, 'x')[0]!.answer));
  assert.equal(seeds.size, 2, 'the seed changes the pick');
});

test('rejects things that are not option numbers', () => {
  assert.throws(() => majorityVote([1.5], 'expected'), RangeError);
});
