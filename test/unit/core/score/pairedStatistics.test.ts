import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jensenShannonDistance, wassersteinSimilarity } from '../../../../src/core/score/distributionSimilarity';
import { ClusterResampler, ItemResampler, pairedClusterDelta, quantile } from '../../../../src/core/score/pairedStatistics';

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

test('shared resamplers agree with the direct cluster bootstrap; groups only read their own clusters', () => {
  const k = 80;
  const sums = Float64Array.from({ length: k }, (_, i) => 5 * 0.05 + Math.sin(i) * 0.4);
  const counts = new Float64Array(k).fill(5);
  const shared = new ClusterResampler(k, opts);
  const all = shared.estimate(sums, counts);
  const direct = pairedClusterDelta([...sums], [...counts], opts);
  assert.ok(Math.abs(all.delta - direct.delta) < 1e-15);
  assert.ok(Math.abs(all.ciLow - direct.ciLow) < 0.01 && Math.abs(all.ciHigh - direct.ciHigh) < 0.01, `${all.ciLow}..${all.ciHigh} vs ${direct.ciLow}..${direct.ciHigh}`);
  assert.ok(Math.abs(all.pValue - direct.pValue) < 0.02);
  // A group of the first 20 clusters: same as zeroing the others.
  const gs = sums.map((v, i) => (i < 20 ? v : 0));
  const gc = counts.map((v, i) => (i < 20 ? v : 0));
  const g = shared.estimate(gs, gc);
  assert.equal(g.n, 20);
  assert.ok(Math.abs(g.delta - sums.slice(0, 20).reduce((a, b) => a + b, 0) / 100) < 1e-15);
  assert.ok(g.ciHigh - g.ciLow > all.ciHigh - all.ciLow, 'fewer clusters, wider interval');
  assert.deepEqual(new ClusterResampler(k, opts).estimate(gs, gc), g, 'seeded');

  const items = new ItemResampler(50, opts);
  const diffs = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0.5 : 0.1));
  const e = items.estimate(diffs);
  assert.ok(Math.abs(e.delta - 0.2) < 1e-12);
  assert.ok(e.ciLow < 0.2 && e.ciHigh > 0.2 && e.pValue < 0.01);
  assert.throws(() => items.estimate(new Array(51).fill(0)), RangeError);
});
