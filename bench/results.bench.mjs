// Results panel benchmark: opening results for 303 personas × 31 questions × 4 conditions (× 4 variants).
//   firstViewMs   buildResultsView for the first paint (everything but the group CIs; the panel sends it first)
//   fullViewMs    buildResultsView with every CI (1000 bootstrap resamples each), sent right after
//   paintMs       the results webview bundle painting a view (headline visible) in headless Chromium,
//                 measured on the self-contained HTML report, which runs the same bundle as the panel
//   firstPaintMs  firstViewMs + paintMs (target < 1000 ms); fullViewPaintMs = fullViewMs + paintMs
//   loadScoreMs   reading + scoring the real recorded GPT-3.5 run (303 personas × 31 × 4 × 5 samples × 2 conditions)
//   open*         opening the results of a run on disk of 303 personas × 31 questions × 4 variants × 5 samples × 4
//                 conditions (751,440 responses), end to end: load (read + score, or the score snapshot) + first view
//                 + paint. openColdMs: no snapshot (every response read and scored: the first open, and the only way
//                 before snapshots); openMs: with the run's score.snapshot.json (every later open; target < 1000 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { percentile, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { writeRecordedWorkspace } = require(path.join(ROOT, 'out/test/unit/core/results/recordedWorkspace.js'));
const { loadRunResults } = require(path.join(ROOT, 'out/src/core/results/loadRunResults.js'));
const { buildResultsView } = require(path.join(ROOT, 'out/src/core/results/buildResultsView.js'));
const { renderHtmlReport } = require(path.join(ROOT, 'out/src/core/results/renderHtmlReport.js'));
const { SNAPSHOT_FILE } = require(path.join(ROOT, 'out/src/core/results/scoreSnapshot.js'));

/** The recorded two-condition run as a four-condition run on disk: en/ar plus a copy of each (another template). */
function fourConditions(runDir) {
  const manifestFile = path.join(runDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.experiment.conditions.push(...manifest.experiment.conditions.map((c) => ({ ...c, id: `${c.id}-v2`, label: `${c.label} (v2)` })));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const file = path.join(runDir, 'responses.jsonl');
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const copies = lines.map((l) => { const r = JSON.parse(l); r.condition = `${r.condition}-v2`; r.hash = `${r.hash}-v2`; return JSON.stringify(r); });
  fs.writeFileSync(file, `${[...lines, ...copies].join('\n')}\n`);
  return lines.length * 2;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'as-bench-results-'));
try {
  const { runDir } = await writeRecordedWorkspace(tmp, { personas: 303 });
  const loadTimes = [];
  let run;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    run = await loadRunResults(runDir, { snapshot: false });
    loadTimes.push(performance.now() - t0);
  }
  // Four conditions: the two recorded ones plus two more derived from them (a different template), so the
  // item count and group structure are those of a real 303 × 31 × 4-condition run.
  const input = run.input;
  const extra = input.items.map((it, i) => ({ ...it, condition: `${it.condition}-v2`, soft: it.soft === undefined ? undefined : Math.min(1, Math.max(0, it.soft + ((i * 7919) % 11 - 5) / 40)) }));
  input.items = [...input.items, ...extra];
  input.conditions = [...input.conditions, ...input.conditions.map((c) => ({ ...c, id: `${c.id}-v2`, label: `${c.label} (v2)` }))];
  const viewTimes = [];
  const quickTimes = [];
  let view;
  for (let i = 0; i < 7; i++) {
    let t0 = performance.now();
    buildResultsView(input, { breakdownResamples: 0 });
    quickTimes.push(performance.now() - t0);
    t0 = performance.now();
    view = buildResultsView(input);
    viewTimes.push(performance.now() - t0);
  }
  // End to end on a four-condition run on disk: cold (no snapshot) and from the score snapshot.
  const dir4 = path.join(tmp, 'four');
  const { runDir: run4 } = await writeRecordedWorkspace(dir4, { personas: 303, runId: 'four-conditions' });
  const responses4 = fourConditions(run4);
  const coldLoads = [];
  const coldViews = [];
  for (let i = 0; i < 3; i++) {
    fs.rmSync(path.join(run4, SNAPSHOT_FILE), { force: true });
    global.gc?.();
    const t0 = performance.now();
    const r = await loadRunResults(run4);
    const t1 = performance.now();
    buildResultsView(r.inputFor(), { breakdownResamples: 0 });
    coldLoads.push(t1 - t0);
    coldViews.push(performance.now() - t1);
  }
  const snapshotBytes = fs.statSync(path.join(run4, SNAPSHOT_FILE)).size;
  const warmLoads = [];
  const warmViews = [];
  let warm;
  for (let i = 0; i < 7; i++) {
    global.gc?.();
    const t0 = performance.now();
    warm = await loadRunResults(run4);
    const t1 = performance.now();
    buildResultsView(warm.inputFor(), { breakdownResamples: 0 });
    warmLoads.push(t1 - t0);
    warmViews.push(performance.now() - t1);
  }
  if (!warm.fromSnapshot) throw new Error('the snapshot was not used');

  const report = path.join(tmp, 'report.html');
  fs.writeFileSync(report, renderHtmlReport({ view, script: fs.readFileSync(path.join(ROOT, 'dist/webview/results.js'), 'utf8'), css: [fs.readFileSync(path.join(ROOT, 'media/webview.css'), 'utf8')] }));

  let paintTimes = [];
  let paintNote = '';
  try {
    const { playwright } = await import('../test/harness/tools.mjs');
    const browser = await playwright().chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const t0 = Date.now();
      await page.goto(`file://${report}`);
      await page.locator('#headline-delta').waitFor();
      paintTimes.push(Date.now() - t0);
      if (i === 0) {
        // Scrolling the 303-row virtual table: DOM rows stay bounded.
        await page.locator('#tab-personas').click();
        await page.locator('#persona-table .vrow[data-persona]').first().waitFor();
        await page.locator('#persona-table').evaluate((el) => { el.scrollTop = 4000; });
        await page.waitForTimeout(100);
        paintNote = `${await page.locator('#persona-table .vrow[data-persona]').count()} persona rows in the DOM after scrolling`;
      }
      await page.close();
    }
    await browser.close();
  } catch (e) {
    paintNote = `paint not measured: ${e.message}`;
  }
  const med = (xs) => (xs.length ? Math.round(percentile(xs, 50)) : null);
  const result = {
    personas: 303, questions: input.questions.length, conditions: input.conditions.length, items: input.items.length,
    firstViewMs: med(quickTimes), fullViewMs: med(viewTimes), fullViewP90Ms: Math.round(percentile(viewTimes, 90)),
    paintMs: med(paintTimes), firstPaintMs: paintTimes.length ? med(quickTimes) + med(paintTimes) : null,
    fullViewPaintMs: paintTimes.length ? med(viewTimes) + med(paintTimes) : null, targetMs: 1000, loadAvg: os.loadavg()[0],
    loadScoreMs: med(loadTimes), reportBytes: fs.statSync(report).size, note: paintNote,
    open: {
      responses: responses4, conditions: 4, snapshotBytes,
      coldLoadMs: med(coldLoads), coldFirstViewMs: med(coldViews), snapshotLoadMs: med(warmLoads), snapshotFirstViewMs: med(warmViews),
      openColdMs: paintTimes.length ? med(coldLoads) + med(coldViews) + med(paintTimes) : null,
      openMs: paintTimes.length ? med(warmLoads) + med(warmViews) + med(paintTimes) : null,
      targetMs: 1000,
    },
  };
  writeResult('results', result);
  if (result.firstPaintMs !== null && result.firstPaintMs >= 1000) console.log('[bench] results: first paint over the 1 s target');
  if (result.open.openMs !== null && result.open.openMs >= 1000) console.log('[bench] results: opening (snapshot) over the 1 s target');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
