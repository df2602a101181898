// Live results and early stopping (issue #16).
// 1. Cost per update at 300k records: the recorded GPT-3.5 Egypt answers (EN + AR) as 300,000 run records in
//    persona order; each record goes through the live scorer (parse, vote, filters, partial sums) and the run monitor
//    (confidence sequence, stop rules). Reports the per-record cost near 300k records, the cost of one live snapshot
//    at 300k (per-condition scores, funnel, headline delta with its 1,000-resample persona bootstrap CI and sign-flip
//    p-value, the confidence sequence), and, for scale, one full rescoring of the same 300k records (what a live view
//    without incremental aggregates would pay on every update).
// 2. The early-stop simulation at scale on the 303 recorded personas: coverage of the full-run delta, the
//    label-permuted false-stop rate and the mean share of requests saved, for both confidence sequences.
// `npm run bench -- live` (builds first). Data: ../shared/data (or ALIGNMENT_DATA).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, percentile, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(ROOT, 'out', p));
const { loadRecordedCompletions } = out('src/core/recorded/loadRecordedCompletions.js');
const { loadPaperScoringData } = out('src/core/score/loadPaperScoringData.js');
const { recordedScoringInput } = out('src/core/score/recordedScoringInput.js');
const { scoreResponses } = out('src/core/score/scoreResponses.js');
const { scoringSettings } = out('src/core/score/scoringSettings.js');
const { seededRandom } = out('src/core/score/rng.js');
const { LiveScorer } = out('src/core/live/LiveScorer.js');
const { RunMonitor } = out('src/core/live/RunMonitor.js');
const { randomOrder, replayOrder, simulateEarlyStop } = out('src/core/stop/simulateEarlyStop.js');
const { resolveStopRules } = out('src/core/stop/stopRules.js');

const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'wvs'))) ?? path.resolve(ROOT, '../shared/data');
const WVS = path.join(DATA, 'wvs');
const QUICK = process.argv.includes('--quick');
const RECORDS = 300_000;

const data = await loadPaperScoringData({ surveyCsv: path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'), twinCsv: path.join(WVS, 'us_wvs_wave7_v7_n303.csv') });
const recorded = await loadRecordedCompletions(path.join(DATA, 'completions/gpt-3.5-turbo-1106/egypt'));
const rec = recordedScoringInput(recorded.records, data.respondents, { model: 'gpt-3.5-turbo-1106' });
const settings = scoringSettings('paper');
const conditions = ['en', 'ar'].map((id) => rec.conditions.find((c) => c.id === id));

// Run records persona by persona in a seeded order (as the engine writes them), cut at 300,000.
const byPersona = new Map();
for (const it of rec.items) {
  let list = byPersona.get(it.personaId);
  if (!list) byPersona.set(it.personaId, (list = []));
  it.texts.forEach((text, sample) => list.push({ hash: `${it.condition}|${it.personaId}|${it.questionId}|${it.variant}|${sample}`, condition: it.condition, model: 'gpt', lang: it.condition, personaId: it.personaId, questionId: it.questionId, variant: it.variant, sample, text, t: 0 }));
}
const order = [...byPersona.keys()];
const rand = seededRandom(1, 'bench-order');
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const records = order.flatMap((id) => byPersona.get(id)).slice(0, RECORDS);

const plan = { samples: 5, variants: () => [0, 1, 2, 3] };
const makeMonitor = () => new RunMonitor({
  runId: 'bench', seed: 1, order, rules: { excludesZero: true, method: 'betting' }, ignoreStop: true,
  scorer: new LiveScorer({ questions: data.survey.questions, conditions, personas: data.respondents, twins: data.twins, settings, pair: ['en', 'ar'], plan }),
});

// ---- 1. ingest 300k records, timing the last 10k (the cost per record once 290k are in) ----------------------
const ingest = [];
const tail = [];
let monitor;
for (let run = 0; run < (QUICK ? 1 : 3); run++) {
  globalThis.gc?.();
  monitor = makeMonitor();
  let t0 = performance.now();
  for (let i = 0; i < RECORDS - 10_000; i++) monitor.record(records[i]);
  const t1 = performance.now();
  for (let i = RECORDS - 10_000; i < RECORDS; i++) monitor.record(records[i]);
  const t2 = performance.now();
  ingest.push(t2 - t0);
  tail.push(((t2 - t1) * 1000) / 10_000);
  t0 = t2;
}
// ---- snapshot at 300k (what the panel receives, a few times a second) ----------------------------------------
const snaps = [];
let snap;
for (let i = 0; i < (QUICK ? 3 : 9); i++) {
  const t = performance.now();
  snap = monitor.snapshot();
  snaps.push(performance.now() - t);
}
// ---- the alternative: rescoring all 300k records with the full scorer -----------------------------------------
const input = { questions: data.survey.questions, conditions, samples: records, personas: data.respondents, twins: data.twins, compare: [['en', 'ar']], include: { items: false, unparsed: false, personaDeltas: false, distributions: false } };
const full = [];
let report;
for (let i = 0; i < (QUICK ? 1 : 3); i++) {
  globalThis.gc?.();
  const t = performance.now();
  report = scoreResponses(input, settings);
  full.push(performance.now() - t);
}
const d = report.deltas.find((x) => x.metric === 'soft').overall;
const agree = Math.abs(d.delta - snap.headline.soft.delta) < 1e-9 && Math.abs(d.ciLow - snap.headline.soft.ciLow) < 1e-9 && Math.abs(d.ciHigh - snap.headline.soft.ciHigh) < 1e-9
  && report.conditions.every((c) => Math.abs(c.scores.soft - snap.conditions.find((x) => x.condition === c.condition).scores.soft) < 1e-9);
writeResult('live', {
  records: RECORDS,
  personas: snap.personasStarted,
  ingestMsTotalMedian: Math.round(percentile(ingest, 50)),
  perRecordMicrosAt300k: +percentile(tail, 50).toFixed(2),
  snapshotMsMedianAt300k: +percentile(snaps, 50).toFixed(1),
  fullRescoreMsMedianAt300k: Math.round(percentile(full, 50)),
  updateCostVsRescore: `${(percentile(full, 50) / percentile(snaps, 50)).toFixed(0)}× cheaper per update`,
  agreesWithScoreResponses: agree,
  bootstrapResamples: settings.bootstrapResamples,
  note: 'per record: live scorer + run monitor; snapshot: scores, funnel, headline delta with bootstrap CI and sign-flip p, confidence sequence',
});

// ---- 2. early-stop simulation at scale ------------------------------------------------------------------------
const sim = new LiveScorer({ questions: data.survey.questions, conditions, personas: data.respondents, twins: data.twins, settings, pair: ['en', 'ar'], plan });
for (const list of byPersona.values()) for (const r of list) sim.add(r);
const units = data.respondents.map((p) => sim.paired(p.id));
const theta = units.reduce((a, u) => a + u.sum, 0) / units.reduce((a, u) => a + u.count, 0);
const permuted = (seed) => {
  const r = seededRandom(seed, 'null');
  const f = units.map((u) => (r() < 0.5 ? { sum: -u.sum, count: u.count } : u));
  const th = f.reduce((a, u) => a + u.sum, 0) / f.reduce((a, u) => a + u.count, 0);
  return f.map((u) => ({ sum: u.sum - th * u.count, count: u.count }));
};
const earlyStop = { personas: units.length, fullDeltaPoints: +(theta * 100).toFixed(3), maxPairedItems: sim.maxPairedItems, rule: 'excludesZero, alpha 0.05, minPersonas 20' };
for (const [method, orders, nulls] of [['betting', QUICK ? 200 : 2000, QUICK ? 200 : 2000], ['normal-mixture', QUICK ? 2000 : 20000, QUICK ? 2000 : 20000]]) {
  const rules = resolveStopRules({ excludesZero: true, method, alpha: 0.05, minPersonas: 20 });
  const t = performance.now();
  const s = simulateEarlyStop(units, { rules, orders, seed: 11, maxCount: sim.maxPairedItems });
  let decided = 0;
  for (let k = 0; k < nulls; k++) if (replayOrder(permuted(1000 + k), randomOrder(units.length, 13, `null:${k}`), { rules, orders: 1, seed: 0, maxCount: sim.maxPairedItems }).rule === 'excludesZero') decided++;
  earlyStop[method] = {
    orders, coverage: +s.coverage.toFixed(4), stoppedEarly: +s.stoppedEarly.toFixed(4), meanPersonasAtStop: +s.meanPersonas.toFixed(1), medianPersonasAtStop: s.medianPersonas,
    meanRequestsSaved: +s.meanSaved.toFixed(4), meanWidthPoints: +s.meanWidth.toFixed(2), nullOrders: nulls, falseStopRate: +(decided / nulls).toFixed(4),
    seconds: +((performance.now() - t) / 1000).toFixed(1),
  };
}
writeResult('earlyStop', earlyStop);
