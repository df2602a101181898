import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfidenceSequence, type ConfidenceSequenceMethod } from '../../../../src/core/stop/confidenceSequence';
import { randomOrder, replayOrder, simulateEarlyStop, type PersonaDelta } from '../../../../src/core/stop/simulateEarlyStop';
import { evaluateStop, resolveStopRules } from '../../../../src/core/stop/stopRules';
import { seededRandom } from '../../../../src/core/score/rng';

/** A synthetic population: per persona 20–40 paired items, mean difference `effect` ± noise, within [−1, 1]. */
function population(n: number, effect: number, seed: number): PersonaDelta[] {
  const rand = seededRandom(seed, 'population');
  return Array.from({ length: n }, () => {
    const count = 20 + Math.floor(rand() * 21);
    const d = Math.max(-1, Math.min(1, effect + (rand() + rand() + rand() - 1.5) * 0.2));
    return { sum: d * count, count };
  });
}
const fullDelta = (u: PersonaDelta[]) => u.reduce((a, x) => a + x.sum, 0) / u.reduce((a, x) => a + x.count, 0);

for (const method of ['betting', 'normal-mixture'] as ConfidenceSequenceMethod[]) {
  test(`${method}: covers the full-run delta at every time over random orders (time-uniform)`, () => {
    const units = population(120, 0.05, 7);
    const theta = fullDelta(units);
    let misses = 0;
    const orders = 100;
    for (let k = 0; k < orders; k++) {
      const cs = createConfidenceSequence(method, { alpha: 0.1, population: units.length, maxCount: 40, grid: 401, startAt: 20 });
      let missed = false;
      for (const i of randomOrder(units.length, 3, `o${k}`)) {
        cs.add(units[i]!.sum, units[i]!.count);
        const { lo, hi } = cs.interval();
        if (cs.n >= 20 && !(lo <= theta && theta <= hi)) missed = true;
      }
      if (missed) misses++;
    }
    // Anytime-valid at α = 0.1: the share of orders that miss θ at any time is at most ~α (plus sampling error).
    assert.ok(misses / orders <= 0.1 + 0.06, `missed at some time in ${misses} of ${orders} orders`);
  });

  test(`${method}: shrinks as personas come in, and the estimate is Σ S / Σ c`, () => {
    const units = population(200, 0.1, 11);
    const cs = createConfidenceSequence(method, { alpha: 0.05, population: units.length, maxCount: 40, startAt: 10 });
    const widths: number[] = [];
    let s = 0;
    let c = 0;
    for (const u of units) {
      cs.add(u.sum, u.count);
      s += u.sum;
      c += u.count;
      const { lo, hi } = cs.interval();
      assert.ok(lo <= hi);
      widths.push(hi - lo);
    }
    assert.ok(Math.abs(cs.estimate() - s / c) < 1e-12);
    assert.ok(widths[199]! < widths[49]! && widths[49]! < widths[9]!, `widths ${widths[9]} ${widths[49]} ${widths[199]}`);
    const { lo, hi } = cs.interval();
    assert.ok(lo <= s / c && s / c <= hi);
  });

  test(`${method}: a condition against itself (all differences 0) never excludes 0`, () => {
    const cs = createConfidenceSequence(method, { alpha: 0.05, population: 50, maxCount: 30, startAt: 5 });
    for (let i = 0; i < 50; i++) {
      cs.add(0, 10 + (i % 20));
      const { lo, hi } = cs.interval();
      assert.ok(lo <= 0 && hi >= 0, `[${lo}, ${hi}] at ${i + 1}`);
    }
  });
}

test('betting: sampling without replacement — the last personas narrow the interval fast around θ', () => {
  const units = population(60, -0.2, 5);
  const cs = createConfidenceSequence('betting', { alpha: 0.05, population: 60, maxCount: 40 });
  let half = 0;
  units.forEach((u, i) => {
    cs.add(u.sum, u.count);
    if (i === 29) half = cs.interval().hi - cs.interval().lo;
  });
  const { lo, hi } = cs.interval();
  const theta = fullDelta(units);
  assert.ok(lo <= theta && theta <= hi);
  assert.ok(hi - lo < half / 3, `width ${hi - lo} at the end, ${half} at half`);
});

test('the bounds are the validity assumption: a unit outside |S| ≤ c ≤ maxCount, or too many units, is refused', () => {
  const cs = createConfidenceSequence('betting', { alpha: 0.05, population: 2, maxCount: 10 });
  assert.throws(() => cs.add(5, 4), /outside/);
  assert.throws(() => cs.add(1, 11), /outside/);
  cs.add(1, 2);
  cs.add(0, 0);
  assert.throws(() => cs.add(0, 1), /more units than the population/);
  assert.throws(() => createConfidenceSequence('betting', { alpha: 0, population: 2, maxCount: 1 }), /alpha/);
});

test('stop rules: interval rules wait for minPersonas, budget rules do not; the first rule that holds wins', () => {
  const rules = resolveStopRules({ excludesZero: true, maxWidth: 5, maxRequests: 100 });
  const state = { personas: 10, personasPlanned: 50, interval: { lo: 0.01, hi: 0.03 }, requests: 10, cost: 0 };
  assert.equal(evaluateStop(rules, state), null, 'fewer than 20 personas');
  assert.equal(evaluateStop(rules, { ...state, personas: 20 })?.rule, 'excludesZero');
  assert.match(evaluateStop(rules, { ...state, personas: 20 })!.reason, /20 of 50 personas.*\[\+1\.00, \+3\.00\] points excludes 0/);
  assert.equal(evaluateStop(rules, { ...state, personas: 20, interval: { lo: -0.01, hi: 0.03 } })?.rule, 'maxWidth');
  assert.equal(evaluateStop(rules, { ...state, personas: 20, interval: { lo: -0.05, hi: 0.03 } }), null);
  assert.equal(evaluateStop(rules, { ...state, requests: 100 })?.rule, 'maxRequests');
  assert.equal(evaluateStop(resolveStopRules({ maxCost: 1 }), { ...state, cost: 1.5 })?.rule, 'maxCost');
  // Every persona done: nothing left to save, no stop.
  assert.equal(evaluateStop(rules, { ...state, personas: 50 }), null);
});

test('simulateEarlyStop: a clear effect stops early and covers; a null population rarely decides', () => {
  const units = population(150, 0.08, 21);
  const rules = resolveStopRules({ excludesZero: true, minPersonas: 10 });
  const r = simulateEarlyStop(units, { rules, orders: 40, seed: 1, maxCount: 40, grid: 801 });
  assert.equal(r.stoppedEarly, 1);
  assert.ok(r.meanSaved > 0.3, `saved ${r.meanSaved}`);
  assert.ok(r.coverage >= 0.95);
  // Centre the population on 0 exactly: every stop "decided" would be a false one.
  const th = fullDelta(units);
  const nul = units.map((u) => ({ sum: u.sum - th * u.count, count: u.count }));
  const n = simulateEarlyStop(nul, { rules, orders: 40, seed: 2, maxCount: 40, grid: 801 });
  assert.ok(n.decided <= 0.05, `false stops ${n.decided}`);
  const one = replayOrder(units, randomOrder(150, 1, 'x'), { rules, orders: 1, seed: 1, maxCount: 40 });
  assert.equal(one.rule, 'excludesZero');
  assert.ok(one.interval.lo > 0);
});
