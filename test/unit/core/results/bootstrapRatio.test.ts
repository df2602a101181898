import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapRatio } from '../../../../src/core/results/bootstrapRatio';
import { mulberry32 } from '../../../../src/core/score/rng';

test('mulberry32 is deterministic and uniform-ish in [0, 1)', () => {
  const a = mulberry32(42), b = mulberry32(42);
  const xs = Array.from({ length: 10000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
});

test('bootstrapRatio: weighted mean over clusters, empty clusters ignored, CI around the mean', () => {
  const r = bootstrapRatio([1, 3, 0, 2], [1, 3, 0, 4], 1, 2000);
  assert.equal(r.mean, 6 / 8);
  assert.equal(r.n, 3);
  assert.equal(r.items, 8);
  assert.ok(r.lo! < r.mean! && r.mean! < r.hi!);
  assert.ok(r.lo! >= 0.5 - 1e-9 && r.hi! <= 1 + 1e-9, `${r.lo}..${r.hi}`);
});

test('bootstrapRatio: a clearly positive delta has a small p-value and a CI above 0', () => {
  const sums = Array.from({ length: 100 }, (_, i) => 0.2 + (i % 5) * 0.01);
  const r = bootstrapRatio(sums, sums.map(() => 1), 3, 1000);
  assert.ok(r.lo! > 0 && r.p! < 0.01);
});

test('bootstrapRatio: no data gives nulls, not NaN', () => {
  assert.deepEqual(bootstrapRatio([], [], 1), { mean: null, lo: null, hi: null, n: 0, items: 0, p: null });
});
