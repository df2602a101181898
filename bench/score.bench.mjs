// Scoring benchmark (issue #7): 750,000 responses = the recorded GPT-3.5 Egypt answers (EN + AR, 375,720 samples)
// replicated twice as four conditions, scored with the paper profile: parse, vote, filters, common items,
// metrics, breakdowns, distributions, consistency, paired deltas with 1,000 bootstrap resamples and sign flips.
// Recorded answers enter per item (5 replies each), as the CLI feeds them. Reports wall time of scoring (data already loaded, as when rescoring) and the peak RSS of the process.
// `npm run bench -- score` (builds first). Data: ../shared/data (or ALIGNMENT_DATA).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, percentile, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(ROOT, 'out', p);
const { loadRecordedCompletions } = require(out('src/core/recorded/loadRecordedCompletions.js'));
const { loadPaperScoringData } = require(out('src/core/score/loadPaperScoringData.js'));
const { recordedScoringInput } = require(out('src/core/score/recordedScoringInput.js'));
const { scoreResponses } = require(out('src/core/score/scoreResponses.js'));
const { scoringSettings } = require(out('src/core/score/scoringSettings.js'));

const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'wvs'))) ?? path.resolve(ROOT, '../shared/data');
const WVS = path.join(DATA, 'wvs');
const REPLICAS = 2;
const RUNS = process.argv.includes('--quick') ? 1 : 3;

let t = performance.now();
const data = await loadPaperScoringData({ surveyCsv: path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'), twinCsv: path.join(WVS, 'us_wvs_wave7_v7_n303.csv') });
const recorded = await loadRecordedCompletions(path.join(DATA, 'completions/gpt-3.5-turbo-1106/egypt'));
const rec = recordedScoringInput(recorded.records, data.respondents, { model: 'gpt-3.5-turbo-1106' });
const loadMs = performance.now() - t;

// Replicas are extra conditions with the same answers (`en#2`, `ar#2`), so every sample is parsed, voted and scored.
const conditions = [];
for (let r = 1; r <= REPLICAS; r++) for (const c of rec.conditions) conditions.push({ ...c, id: r === 1 ? c.id : `${c.id}#${r}` });
const items = {
  *[Symbol.iterator]() {
    for (let r = 1; r <= REPLICAS; r++) {
      for (const it of rec.items) yield r === 1 ? it : { ...it, condition: `${it.condition}#${r}` };
    }
  },
};
let responses = 0;
for (const it of items) responses += it.texts.length;

const input = { questions: data.survey.questions, conditions, items, personas: data.respondents, twins: data.twins, compare: [['en', 'ar']] };
const settings = scoringSettings('paper');

/** A fixed CPU loop: ~0.2 s on an idle core; several times more when the machine is shared and busy. */
function calibrationMs() {
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i % 7;
  if (x < 0) console.log(x);
  return performance.now() - t0;
}

const times = [];
const cpuTimes = [];
const coreTimes = [];
const calibration = [calibrationMs()];
let report;
let peakRssMB = 0;
for (let i = 0; i < RUNS; i++) {
  report = undefined;
  globalThis.gc?.();
  t = performance.now();
  const cpu = process.cpuUsage();
  report = scoreResponses(input, settings);
  const used = process.cpuUsage(cpu);
  times.push(performance.now() - t);
  cpuTimes.push((used.user + used.system) / 1000);
  // Peak after loading and one full scoring: what `alignment-studio score` needs.
  if (i === 0) peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  globalThis.gc?.();
  t = performance.now();
  // The numbers alone (no item rows, no deltas, no distributions): what a settings change recomputes first.
  scoreResponses({ ...input, compare: [], include: { items: false, unparsed: false, personaDeltas: false, distributions: false } }, settings);
  coreTimes.push(performance.now() - t);
}
calibration.push(calibrationMs());
const en = report.conditions.find((c) => c.condition === 'en');
const ar = report.conditions.find((c) => c.condition === 'ar');
const soft = report.deltas.find((d) => d.metric === 'soft');
writeResult('score', {
  responses,
  conditions: conditions.length,
  keptItems: report.conditions.reduce((a, c) => a + c.scores.items, 0),
  loadMs: Math.round(loadMs),
  scoreMsMedian: Math.round(percentile(times, 50)),
  scoreMsMin: Math.round(Math.min(...times)),
  scoreMsRuns: times.map(Math.round),
  scoreCpuMsMedian: Math.round(percentile(cpuTimes, 50)),
  scoresOnlyMsMedian: Math.round(percentile(coreTimes, 50)),
  responsesPerSecond: Math.round(responses / (Math.min(...times) / 1000)),
  peakRssMB,
  targetMs: 2000,
  targetRssMB: 500,
  calibrationMs: calibration.map(Math.round),
  softEn: +(en.scores.soft * 100).toFixed(2),
  softAr: +(ar.scores.soft * 100).toFixed(2),
  deltaSoftPoints: +(soft.overall.delta * 100).toFixed(2),
  bootstrapResamples: settings.bootstrapResamples,
});
