// Proof on real answers: the recorded GPT-3.5 Egypt completions (303 personas × 31 questions × 4 variants × 5
// samples, English vs Arabic prompts), replayed persona by persona in many seeded random orders through the
// confidence sequences and the stop rule "excludesZero". Per-persona paired differences come from the live scorer
// (the code path of a run); replaying an order is replaying those personas in that order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveScorer } from '../../../../src/core/live/LiveScorer';
import { seededRandom } from '../../../../src/core/score/rng';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { randomOrder, replayOrder, simulateEarlyStop, type PersonaDelta } from '../../../../src/core/stop/simulateEarlyStop';
import { resolveStopRules } from '../../../../src/core/stop/stopRules';
import { paperData } from '../score/paperData';
import { recordedScoringInput } from '../../../../src/core/score/recordedScoringInput';

let cached: Promise<{ units: PersonaDelta[]; self: PersonaDelta[]; maxCount: number }> | undefined;

/** Per-persona paired soft differences ar − en, and en against a copy of itself, from the recorded answers. */
function recordedUnits() {
  cached ??= (async () => {
    const { data, recorded } = await paperData();
    const rec = recordedScoringInput(recorded.records, data.respondents, { model: 'gpt-3.5-turbo-1106' });
    const en = rec.conditions.find((c) => c.id === 'en')!;
    const conditions = [en, rec.conditions.find((c) => c.id === 'ar')!, { ...en, id: 'en-again' }];
    const make = (pair: [string, string]) => new LiveScorer({
      questions: data.survey.questions, conditions, personas: data.respondents, twins: data.twins, settings: scoringSettings('paper'), pair,
      plan: { samples: 5, variants: () => [0, 1, 2, 3] },
    });
    const main = make(['en', 'ar']);
    const self = make(['en', 'en-again']);
    for (const it of rec.items) {
      for (const cond of it.condition === 'en' ? ['en', 'en-again'] : [it.condition]) {
        it.texts.forEach((text, sample) => {
          const r = { condition: cond, personaId: it.personaId, questionId: it.questionId, variant: it.variant, sample, text };
          main.add(r);
          self.add(r);
        });
      }
    }
    const ids = data.respondents.map((p) => p.id);
    const units = ids.map((id) => main.paired(id));
    assert.ok(units.every((u) => u.complete), 'every persona has all its recorded samples');
    return { units, self: ids.map((id) => self.paired(id)), maxCount: main.maxPairedItems };
  })();
  return cached;
}

const full = (u: PersonaDelta[]) => u.reduce((a, x) => a + x.sum, 0) / u.reduce((a, x) => a + x.count, 0);

/** A label-permuted null: each persona's EN/AR labels swapped with probability ½, then centred so the full-run delta is exactly 0. */
function permutedNull(units: PersonaDelta[], seed: number): PersonaDelta[] {
  const rand = seededRandom(seed, 'null');
  const flipped = units.map((u) => (rand() < 0.5 ? { sum: -u.sum, count: u.count } : u));
  const th = full(flipped);
  return flipped.map((u) => ({ sum: u.sum - th * u.count, count: u.count }));
}

for (const [method, orders, nulls] of [['betting', 400, 300], ['normal-mixture', 3000, 3000]] as const) {
  test(`${method} on the recorded GPT-3.5 Egypt answers: stops early, covers the full-run delta, rarely decides under the null`, async (t) => {
    const { units, self, maxCount } = await recordedUnits();
    assert.equal(units.length, 303);
    const theta = full(units);
    assert.ok(theta > 0.025 && theta < 0.035, `full-run delta ${theta} (the paper: about +3 points)`);
    const rules = resolveStopRules({ excludesZero: true, method, alpha: 0.05, minPersonas: 20 });
    const sim = simulateEarlyStop(units, { rules, orders, seed: 1, maxCount });
    // Stopped intervals cover the full-run delta at least at the nominal 95%.
    assert.ok(sim.coverage >= 0.95, `coverage ${sim.coverage}`);
    assert.ok(sim.stoppedEarly > 0.9 && sim.meanSaved > 0.3, `stopped early ${sim.stoppedEarly}, saved ${sim.meanSaved}`);

    // Label-permuted null: a fresh permutation (and order) per simulation; "decided" is a false stop.
    let decided = 0;
    for (let k = 0; k < nulls; k++) {
      const r = replayOrder(permutedNull(units, 100 + k), randomOrder(303, 7, `null:${k}`), { rules, orders: 1, seed: 0, maxCount });
      if (r.rule === 'excludesZero') decided++;
    }
    const falseStop = decided / nulls;
    // At most α, allowing two binomial standard errors of the simulation.
    assert.ok(falseStop <= 0.05 + 2 * Math.sqrt((0.05 * 0.95) / nulls), `false-stop rate ${falseStop}`);

    // A condition against itself: every paired difference is 0; it never decides.
    const itself = simulateEarlyStop(self, { rules, orders: 20, seed: 3, maxCount });
    assert.equal(itself.decided, 0);
    assert.ok(self.every((u) => u.sum === 0));
    t.diagnostic(`${method}: full-run delta ${(theta * 100).toFixed(2)} pts; ${orders} orders: coverage ${(sim.coverage * 100).toFixed(1)}%, stopped early ${(sim.stoppedEarly * 100).toFixed(1)}%, `
      + `mean personas at stop ${sim.meanPersonas.toFixed(1)}/303, requests saved ${(sim.meanSaved * 100).toFixed(1)}%, mean width ${sim.meanWidth.toFixed(2)} pts; `
      + `null (${nulls} label permutations): false-stop rate ${(falseStop * 100).toFixed(2)}%`);
  });
}
