// E2E: Run Experiment on the example with its stop rule, through the UI only: the estimate shows the expected saving,
// the results panel follows the run live (the delta inside its confidence sequence), the run stops early once the
// Arabic − English delta is decided, and the results say why. Screenshots: test-results/live-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openWorkbench } from '../harness/workbench.mjs';
import { ROOT } from '../harness/tools.mjs';

const require = createRequire(import.meta.url);
const { FakeOpenAIServer } = require(path.join(ROOT, 'out/test/fake-server/FakeOpenAIServer.js'));

let wb;
let server;
before(async () => {
  wb = await openWorkbench();
  // A local OpenAI-compatible model that takes 20–40 ms per answer: a run long enough to watch.
  server = await new FakeOpenAIServer({ latencyMs: [20, 40], seed: 3 }).start();
});
after(async () => {
  await wb?.close();
  await server?.stop();
});

async function runExperiment(file) {
  const { page } = wb;
  // A fresh workbench may still be loading its extensions: the command shows up in the palette a bit later.
  for (let attempt = 1; ; attempt++) {
    try {
      await wb.runCommand('Alignment Studio: Run Experiment');
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
  await pick.waitFor({ state: 'visible' });
  await pick.click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 90000 });
  return dialog;
}

test('Run Experiment with a stop rule: expected saving, live convergence, early stop with the reason', async () => {
  const { page } = wb;
  const dialog = await runExperiment('egypt-en-vs-ar.experiment.json');
  const estimate = (await dialog.textContent()) ?? '';
  assert.match(estimate, /Early stop \(interval excludes 0; normal-mixture confidence sequence, α = 0\.05, after ≥ 20 personas\)/, estimate);
  assert.match(estimate, /simulated on recorded answers over 200 random persona orders: stops early in \d+% of them.*expected saving ~\d+% of the requests/, estimate);
  await wb.screenshot('live-estimate');
  await dialog.locator('.monaco-button', { hasText: /^Run$/ }).first().click();

  const view = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const delta = view.locator('#live-delta');
  await delta.waitFor({ state: 'visible', timeout: 120000 });
  await view.locator('#live-delta', { hasText: /pts/ }).waitFor({ timeout: 60000 });

  const banner = view.locator('#stop-banner');
  await banner.waitFor({ state: 'visible', timeout: 120000 });
  const text = (await banner.textContent()) ?? '';
  console.log(`[live] ${text.replace(/\s+/g, ' ').trim()}`);
  assert.match(text, /Stopped early \(excludesZero\): decided after \d+ of 50 personas: the 95% confidence sequence \[\+\d+\.\d\d, \+\d+\.\d\d\] points excludes 0/);
  assert.ok(await view.locator('#continue-past-stop').isVisible());
  await page.waitForTimeout(500);
  const file = await wb.screenshot('live-stopped');
  assert.ok(fs.statSync(file).size > 10000);
  const runs = fs.readdirSync(path.join(wb.workspace, '.alignment/runs'));
  assert.equal(runs.length, 1);
  const manifest = JSON.parse(fs.readFileSync(path.join(wb.workspace, '.alignment/runs', runs[0], 'manifest.json'), 'utf8'));
  assert.equal(manifest.status, 'stopped');
  assert.ok(manifest.stop.personas < 50);
});

test('a live model: the panel redraws the delta and its confidence sequence as personas come in', async () => {
  const { page } = wb;
  const example = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'egypt-en-vs-ar.experiment.json'), 'utf8'));
  // 50 personas × 8 questions × variant 0 × EN/AR × 2 samples = 1,600 requests to the local server.
  const spec = {
    ...example, name: 'Live model, watched', questions: ['Q19', 'Q42', 'Q62', 'Q77', 'Q87', 'Q142', 'Q199', 'Q235'], variants: [0], samples: 2,
    models: [{ id: 'local', kind: 'openai', baseURL: server.baseURL, model: 'fake-1', maxTokens: 5, concurrency: 8, pricePer1kInput: 0, pricePer1kOutput: 0 }],
    conditions: example.conditions.map((c) => ({ ...c, model: 'local' })),
    scoring: { ...example.scoring, stop: { maxRequests: 1200, minPersonas: 10, method: 'normal-mixture' } },
  };
  fs.writeFileSync(path.join(wb.workspace, 'live-model.experiment.json'), JSON.stringify(spec, null, 2));
  const dialog = await runExperiment('live-model.experiment.json');
  assert.match((await dialog.textContent()) ?? '', /Early stop \(≤ 1200 requests/);
  await dialog.locator('.monaco-button', { hasText: /^Run Live$/ }).first().click();
  const view = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  // Mid-run: several personas in the sequence, the run still going.
  const progress = view.locator('#live-progress', { hasText: /^(1[5-9]|2[0-4]) of 50 personas in the sequence/ });
  await progress.waitFor({ timeout: 120000 });
  const text = (await progress.textContent()) ?? '';
  assert.doesNotMatch(text, /run (completed|stopped)/);
  await wb.screenshot('live-running');
  const first = (await view.locator('#live-interval').textContent()) ?? '';
  await view.locator('#live-progress', { hasText: /^(2[5-9]|3\d) of 50 personas/ }).waitFor({ timeout: 120000 });
  const later = (await view.locator('#live-interval').textContent()) ?? '';
  console.log(`[live] ${text}\n[live]   ${first}\n[live]   ${later}`);
  assert.notEqual(later, first, 'the interval moved as personas came in');
  await view.locator('#stop-banner', { hasText: /Stopped early \(maxRequests\)/ }).waitFor({ timeout: 120000 });
  await wb.screenshot('live-budget-stopped');
});
