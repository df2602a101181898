import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustFamilies, benjaminiHochberg, holmAdjust } from '../../../../src/core/score/multiplicity';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { paperInput } from './paperData';

const near = (a: number[], b: number[]) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-12 || (Number.isNaN(x) && Number.isNaN(b[i]!)), `${a} vs ${b}`));

test('Holm and Benjamini–Hochberg on hand-computed values (as R p.adjust)', () => {
  // Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4). Holm: 0.02, 0.03, max(0.03, 0.06), max(0.06, 0.04). BH: step-up minima of 4p/rank.
  near(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  near(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02]);
  // Capped at 1; a row without a test (NaN) is not counted in m.
  near(holmAdjust([0.5, NaN, 0.6]), [1, NaN, 1]);
  near(benjaminiHochberg([0.5, NaN, 0.6]), [0.6, NaN, 0.6]);
  near(holmAdjust([]), []);
  // Families are adjusted on their own.
  const rows = adjustFamilies([{ f: 'a', pValue: 0.01 }, { f: 'b', pValue: 0.01 }, { f: 'a', pValue: 0.02 }], (r) => r.f);
  near(rows.map((r) => r.pHolm), [0.02, 0.01, 0.02]);
  near(rows.map((r) => r.qBH), [0.02, 0.01, 0.02]);
});

test('the report carries adjusted p-values per breakdown field and per persona (recorded GPT-3.5 Egypt answers)', async () => {
  const report = scoreResponses(await paperInput(), scoringSettings('paper', { bootstrapResamples: 200, permutationResamples: 200 }));
  const d = report.deltas.find((x) => x.metric === 'soft')!;
  assert.match(d.multiplicity.holm, /Holm \(1979\)/);
  assert.match(d.multiplicity.bh, /Benjamini–Hochberg \(1995\)/);
  const questions = d.groups.filter((g) => g.field === 'question');
  assert.equal(questions.length, 30, '31 questions, Q234 skipped');
  near(questions.map((g) => g.pHolm), holmAdjust(questions.map((g) => g.pValue)));
  near(questions.map((g) => g.qBH), benjaminiHochberg(questions.map((g) => g.pValue)));
  for (const g of d.groups) {
    // BH ≤ Hochberg ≤ Holm, and both at least the raw p.
    assert.ok(g.pValue <= g.qBH + 1e-15 && g.qBH <= g.pHolm + 1e-15 && g.pHolm <= 1, `${g.field}=${g.value}: ${g.pValue} ${g.qBH} ${g.pHolm}`);
  }
  // Fewer questions stay "significant" at 0.05 once the 30 tests are accounted for.
  const raw = questions.filter((g) => g.pValue < 0.05).length;
  const holm = questions.filter((g) => g.pHolm < 0.05).length;
  assert.ok(holm <= raw && raw > 0, `${raw} raw, ${holm} Holm`);
  assert.equal(d.personas.length, 303);
  near(d.personas.map((p) => p.pHolm), holmAdjust(d.personas.map((p) => p.pValue)));
});
