import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jensenShannonDistance, wassersteinSimilarity } from '../../../../src/core/score/distributionSimilarity';
import { pairedClusterDelta, quantile } from '../../../../src/core/score/pairedStatistics';

const opts = { seed: 3, context: 't', bootstrap: 2000, permutations: 2000, confidence: 0.95 };

test('quantile interpolates like numpy', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0), 1);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
  assert.ok(Math.abs(quantile([1, 2, 3, 4], 0.025) - 1.075) < 1e-12);
});

test('paired delta: item-weighted estimate, bootstrap CI around it, sign-flip p-value', () => {
  // 40 personas, each 10 items, true difference +0.1 with noise.
  const sums: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 40; i++) {
    sums.push(10 * 0.1 + ((i % 5) - 2) * 0.3);
    counts.push(10);
  }
  const d = pairedClusterDelta(sums, counts, opts);
  assert.ok(Math.abs(d.delta - 0.1) < 1e-12);
  assert.ok(d.ciLow < 0.1 && 0.1 < d.ciHigh);
  assert.ok(d.ciHigh - d.ciLow < 0.05, `${d.ciLow}..${d.ciHigh}`);
  assert.ok(d.pValue < 0.001);
  assert.equal(d.n, 40);
  assert.deepEqual(pairedClusterDelta(sums, counts, opts), d, 'same seed, same numbers');
  assert.notDeepEqual(pairedClusterDelta(sums, counts, { ...opts, seed: 4 }).ciLow, d.ciLow);
});

test('no difference: the interval straddles 0 and the test does not reject', () => {
  const sums = Array.from({ length: 60 }, (_, i) => (i % 2 ? 1 : -1) * (1 + (i % 7) / 10));
  const d = pairedClusterDelta(sums, sums.map(() => 1), opts);
  assert.ok(d.ciLow < 0 && d.ciHigh > 0);
  assert.ok(d.pValue > 0.2, `p ${d.pValue}`);
});

test('Jensen–Shannon distance (base 2) and normalised Wasserstein similarity', () => {
  assert.equal(jensenShannonDistance([1, 0], [0, 1]), 1);
  assert.equal(jensenShannonDistance([0.5, 0.5], [0.5, 0.5]), 0);
  assert.equal(wassersteinSimilarity([1, 0, 0], [0, 0, 1]), 0);
  assert.equal(wassersteinSimilarity([0, 1, 0], [0, 0, 1]), 0.5);
  assert.equal(wassersteinSimilarity([2, 2], [1, 1]), 1, 'renormalised');
  assert.equal(wassersteinSimilarity([0, 0], [1, 0]), null);
});
