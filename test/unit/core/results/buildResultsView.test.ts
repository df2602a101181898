import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResultsView, choosePair } from '../../../../src/core/results/buildResultsView';
import { tinyInput } from './fixtures';

const close = (a: number | null | undefined, b: number, msg?: string) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} ≉ ${b}`);

test('overview: soft/hard means, random baselines, normalised scores and coverage per condition', () => {
  const v = buildResultsView(tinyInput());
  const en = v.overview.find((o) => o.condition.id === 'en')!;
  // en scored items: 0.5, 1, 0.5, 1, 1, 1, 1 → 6/7
  close(en.soft.mean, 6 / 7, 'en soft');
  close(en.hard.mean, 5 / 7, 'en hard');
  close(en.rSoft, 0.5);
  close(en.softNorm, (6 / 7 - 0.5) / 0.5);
  assert.deepEqual(en.coverage, { items: 8, scored: 7, unparsed: 1, noSurveyAnswer: 0, sameAnswer: 0, noResponse: 0 });
  assert.equal(en.soft.n, 4);
  assert.ok(en.soft.lo! <= en.soft.mean! && en.soft.mean! <= en.soft.hi!, 'CI brackets the mean');
  const ar = v.overview.find((o) => o.condition.id === 'ar')!;
  close(ar.soft.mean, 6 / 8);
});

test('headline delta is paired on items scored in both conditions (b − a)', () => {
  const v = buildResultsView(tinyInput());
  assert.deepEqual(v.pair, ['en', 'ar']);
  const h = v.headline!;
  // common items: 7 (p3/Q2 unparsed in en). Diffs: p1 +0.5,0 p2 +0.5,0 p3 0 p4 0,-1 → sum 0/7 = 0
  close(h.soft.mean, 0);
  assert.equal(h.soft.items, 7);
  assert.equal(h.gained, 2);
  assert.equal(h.lost, 1);
  assert.equal(h.unchanged, 1);
  assert.ok(h.p !== null && h.p > 0.05, 'no evidence of a difference');
});

test('the user can flip the pair; unknown ids fall back to the first two conditions', () => {
  const flipped = buildResultsView(tinyInput(), { pair: ['ar', 'en'] });
  assert.deepEqual(flipped.pair, ['ar', 'en']);
  assert.deepEqual(choosePair(['en', 'ar'], ['x', 'ar']), ['en', 'ar']);
  assert.equal(choosePair(['en'], undefined), null);
  const one = tinyInput();
  one.conditions = one.conditions.slice(0, 1);
  const v = buildResultsView(one);
  assert.equal(v.headline, null);
  assert.equal(v.personas[0].delta, null);
});

test('breakdowns: sex and theme groups with per-condition estimates and deltas', () => {
  const v = buildResultsView(tinyInput());
  const sex = v.breakdowns.find((b) => b.field === 'sex')!;
  const female = sex.groups.find((g) => g.value === 'Female')!;
  close(female.perCondition.en.mean, 3 / 4);
  close(female.perCondition.ar.mean, 1);
  close(female.delta!.mean, 1 / 4, 'women gain');
  const male = sex.groups.find((g) => g.value === 'Male')!;
  close(male.delta!.mean, -1 / 3, 'men lose');
  const theme = v.breakdowns.find((b) => b.field === 'theme')!;
  assert.deepEqual(theme.groups.map((g) => g.value), ['Values', 'Trust']);
  close(theme.groups[0].delta!.mean, 1 / 4);
  close(theme.groups[1].delta!.mean, -1 / 3);
  assert.deepEqual(v.breakdowns.map((b) => b.field), ['region', 'sex', 'age', 'marital_status', 'education', 'social_class', 'theme', 'question']);
});

test('persona rows carry per-condition soft alignment and the paired delta', () => {
  const v = buildResultsView(tinyInput());
  const p4 = v.personas.find((p) => p.id === 'p4')!;
  close(p4.soft.en, 1);
  close(p4.soft.ar, 0.5);
  close(p4.delta, -0.5);
  assert.equal(p4.pairedItems, 2);
  const p3 = v.personas.find((p) => p.id === 'p3')!;
  close(p3.delta, 0);
  assert.equal(p3.pairedItems, 1);
});

test('bootstrap CIs are reproducible for a seed and change with it', () => {
  const a = buildResultsView(tinyInput());
  const b = buildResultsView(tinyInput());
  assert.deepEqual(a.headline, b.headline);
  // With more personas the interval endpoints depend on the seed (the means never do).
  const big = (seed: number) => {
    const input = tinyInput();
    input.seed = seed;
    input.personas = Array.from({ length: 60 }, (_, i) => ({ ...input.personas[i % 4], id: `q${i}` }));
    input.items = input.personas.flatMap((p, i) => input.items.filter((it) => it.personaId === `p${(i % 4) + 1}`).map((it) => ({ ...it, personaId: p.id, soft: it.soft === undefined ? undefined : (it.soft + (i % 9) / 10) / 2 })));
    return buildResultsView(input);
  };
  const c = big(1), d = big(99);
  assert.equal(c.headline!.soft.mean, d.headline!.soft.mean);
  assert.notDeepEqual([c.headline!.soft.lo, c.headline!.soft.hi, c.overview[0].soft.lo, c.overview[0].soft.hi], [d.headline!.soft.lo, d.headline!.soft.hi, d.overview[0].soft.lo, d.overview[0].soft.hi]);
  assert.deepEqual(big(99).overview, d.overview);
});

test('a coverage override from scoring replaces the item-derived counts', () => {
  const input = tinyInput();
  input.coverage = { en: { items: 10, scored: 7, unparsed: 1, noSurveyAnswer: 2, sameAnswer: 0, noResponse: 0 } };
  const v = buildResultsView(input);
  assert.equal(v.overview[0].coverage.noSurveyAnswer, 2);
  assert.equal(v.overview[1].coverage.items, 8);
});

test('the quick first view has the same numbers, only the group CIs are left for the full view', () => {
  const full = buildResultsView(tinyInput());
  const quick = buildResultsView(tinyInput(), { breakdownResamples: 0 });
  assert.equal(quick.breakdownCIs, false);
  assert.equal(full.breakdownCIs, true);
  assert.deepEqual(quick.overview, full.overview);
  assert.deepEqual(quick.headline, full.headline);
  assert.deepEqual(quick.personas, full.personas);
  const g = quick.breakdowns[1].groups[0];
  assert.equal(g.perCondition.en.mean, full.breakdowns[1].groups[0].perCondition.en.mean);
  assert.equal(g.perCondition.en.lo, null);
});
