// CultureLLM benchmark (issue #14): ground truth for every per-country file (the five CultureLLM tables and the two
// n303 WVS dumps, read from disk and parsed each time) + scoring 9 cultures × 50 questions × 20 samples (1 − JSD,
// 1 − W1, accuracy, random baselines, 1,000 bootstrap resamples per metric), target < 1 s together. Also: two models
// and their paired deltas. The four CultureLLM cultures without released tables (Bengali, Korean, Portuguese, Spanish)
// get stand-in truths from the real tables (speed is what is measured). `npm run bench -- culture`.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, percentile, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(ROOT, 'out/src/core/culture', p));
const { loadSeedSurvey } = out('loadCultureLLMData.js');
const { readCountryTable } = out('openCultureExperiment.js');
const { cultureGroundTruth } = out('cultureGroundTruth.js');
const { scoreCulture, compareCultureScores } = out('scoreCulture.js');
const { CULTURELLM_CULTURES } = out('defaultCultures.js');

const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'culturellm'))) ?? path.resolve(ROOT, '../shared/data');
const CLM = path.join(DATA, 'culturellm');
const WVS = path.join(DATA, 'wvs');
const RUNS = process.argv.includes('--quick') ? 2 : 7;
const SAMPLES = 20;
const seeds = loadSeedSurvey(path.join(CLM, 'English_WVQ_English_50.jsonl'), path.join(CLM, 'Arabic_Iraq.csv'), WVS);
const FILES = {
  iraq: path.join(CLM, 'Arabic_Iraq.csv'), jordan: path.join(CLM, 'Arabic_Jordan.csv'), china: path.join(CLM, 'China_China.csv'),
  germany: path.join(CLM, 'Germany_Germany.csv'), turkey: path.join(CLM, 'Turkey_Turkey.csv'),
  us: path.join(WVS, 'us_wvs_wave7_v7_n303.csv'), egypt: path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'),
};
const COUNTRIES = {
  arabic: ['iraq', 'jordan'], bengali: ['egypt'], chinese: ['china'], english: ['us'], german: ['germany'],
  korean: ['china', 'germany'], portuguese: ['turkey', 'germany'], spanish: ['iraq', 'us'], turkish: ['turkey'],
};

function groundTruth() {
  const tables = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readCountryTable(f, seeds)]));
  return CULTURELLM_CULTURES.map((c) => cultureGroundTruth(c.id, COUNTRIES[c.id].map((k) => tables[k]), seeds));
}

/** Mulberry32: seeded replies, the same every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function samplesOf(condition, seed) {
  const r = rng(seed);
  const out = [];
  for (const c of CULTURELLM_CULTURES) for (const q of seeds) for (let s = 0; s < SAMPLES; s++) {
    const code = q.min + Math.floor(r() * (q.max - q.min + 1));
    out.push({ condition, cultureId: c.id, questionId: q.id, text: r() < 0.1 ? `(${code})` : String(code) });
  }
  return out;
}
const base = samplesOf('base', 1);
const tuned = samplesOf('tuned', 2);

const gtMs = [];
const scoreMs = [];
const totalMs = [];
const pairMs = [];
let scored;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const truths = groundTruth();
  const t1 = performance.now();
  scored = scoreCulture(base, seeds, truths);
  const t2 = performance.now();
  const b = scoreCulture(tuned, seeds, truths);
  compareCultureScores(scored, b);
  const t3 = performance.now();
  gtMs.push(t1 - t0);
  scoreMs.push(t2 - t1);
  totalMs.push(t2 - t0);
  pairMs.push(t3 - t1);
}
const med = (a) => Math.round(percentile(a, 50) * 10) / 10;
const result = {
  countryFiles: Object.keys(FILES).length,
  respondents: Object.values(FILES).reduce((n, f) => n + readCountryTable(f, seeds).respondents, 0),
  cultures: CULTURELLM_CULTURES.length, questions: seeds.length, samplesPerQuestion: SAMPLES, samples: base.length, bootstrapResamples: 1000,
  groundTruthMs: med(gtMs), scoringMs: med(scoreMs), groundTruthPlusScoringMs: med(totalMs), groundTruthPlusScoringP90Ms: Math.round(percentile(totalMs, 90) * 10) / 10,
  twoModelsWithPairedDeltasMs: med(pairMs), scoredCultures: scored.length, runs: RUNS, loadAvg: Math.round((await import('node:os')).loadavg()[0] * 100) / 100,
  targets: { groundTruthPlusScoringMs: 1000 },
};
writeResult('culture', result);
if (result.groundTruthPlusScoringMs > result.targets.groundTruthPlusScoringMs) console.log(`[bench] culture: above the ${result.targets.groundTruthPlusScoringMs} ms target`);
