// Batch run through the UI: Run Experiment → the estimate dialog offers Run Live / Run as Batch with the price and
// duration of each → Run as Batch → the batch is submitted to a fake OpenAI Batch endpoint → the window is reloaded
// while it is still running → the pending batch is found again, polled, imported, and the results open.
// Screenshots: test-results/batch-*.png. Named to sort after foundation.e2e, whose first palette command fails
// whenever another E2E file runs before it (any file; seen with a copy of newcomer.e2e too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openWorkbench } from '../harness/workbench.mjs';
import { ROOT } from '../harness/tools.mjs';

const require = createRequire(import.meta.url);
const { FakeOpenAIServer } = require(path.join(ROOT, 'out/test/fake-server/FakeOpenAIServer.js'));
const { FakeBatchServer } = require(path.join(ROOT, 'out/test/fake-server/FakeBatchServer.js'));

let wb;
let chat;
let batch;
before(async () => {
  chat = await new FakeOpenAIServer().start();
  // Held in "validating" until the test lets it go (after the reload).
  batch = await new FakeBatchServer({ chatBaseURL: chat.baseURL, pollsPerStatus: 100000 }).start();
  wb = await openWorkbench({ settings: { 'alignmentStudio.batch.pollIntervalSeconds': 1 } });
});
after(async () => {
  await wb?.close();
  await batch?.stop();
  await chat?.stop();
});

const jobsOf = (runDir) => JSON.parse(fs.readFileSync(path.join(runDir, 'batch/jobs.json'), 'utf8')).jobs;

async function until(predicate, what, timeoutMs = 120000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('Run Experiment → "Run as Batch" → reload while the batch runs → found again, imported, results', async () => {
  const { page } = wb;
  // The example's live experiment (3 personas) at the fake batch endpoint, with prices and OpenAI's batch discount.
  const spec = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'live-anthro-vs-plain.experiment.json'), 'utf8'));
  spec.personaFilter = { countries: ['egypt'], limit: 3 };
  spec.models = spec.models.map((m) => ({ ...m, baseURL: batch.baseURL, pricePer1kInput: 0.15, pricePer1kOutput: 0.6, batchDiscount: 0.5 }));
  fs.writeFileSync(path.join(wb.workspace, 'as-batch.experiment.json'), JSON.stringify(spec, null, 2));
  const planned = 3 * spec.questions.length * spec.variants.length * spec.samples * spec.conditions.length;

  await wb.runCommand('Alignment Studio: Run Experiment');
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'as-batch.experiment.json' }).first();
  await pick.waitFor({ state: 'visible' });
  await pick.click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 60000 });
  const text = (await dialog.textContent()) ?? '';
  assert.match(text, /Run live: ≤ \$[\d.]+, ~\d+ (s|min) with the editor open/, text);
  assert.match(text, /Run as batch: ≤ \$[\d.]+ \(50% off\), within 24 h/, text);
  const [live, asBatch] = [...text.matchAll(/≤ \$([\d.]+)/g)].slice(-2).map((m) => Number(m[1]));
  assert.ok(Math.abs(asBatch - live / 2) < 1e-3, `batch ${asBatch} = half of live ${live}`);
  await dialog.locator('.monaco-button', { hasText: /^Run Live$/ }).first().waitFor({ state: 'visible' });
  await wb.screenshot('batch-choice');
  await dialog.locator('.monaco-button', { hasText: /^Run as Batch$/ }).first().click();

  const runsDir = path.join(wb.workspace, '.alignment/runs');
  let runDir;
  await until(() => {
    const id = fs.existsSync(runsDir) && fs.readdirSync(runsDir).find((d) => fs.existsSync(path.join(runsDir, d, 'batch/jobs.json')));
    runDir = id ? path.join(runsDir, id) : undefined;
    return runDir && jobsOf(runDir).length > 0;
  }, 'the batch submitted');
  assert.equal(batch.batches.size, 1);
  await page.locator('.statusbar-item', { hasText: /Batch: \d+%/ }).first().waitFor({ state: 'visible' });
  await wb.screenshot('batch-submitted');

  // Reload with the batch still running: nothing but the run folder knows about it.
  await wb.reloadWindow();
  assert.equal(jobsOf(runDir)[0].status, 'validating');
  // Found again: the status bar item of the watch, and the notification saying so (toast or notification center).
  await page.locator('.statusbar-item', { hasText: /Batch: \d+%/ }).first().waitFor({ state: 'visible', timeout: 60000 });
  await wb.screenshot('batch-after-reload');
  await wb.runCommand('Notifications: Show Notifications');
  await page.locator('.notifications-center, .notifications-toasts', { hasText: /are pending; watching them/ }).first().waitFor({ state: 'visible', timeout: 30000 });

  batch.options.pollsPerStatus = 1;
  await until(() => jobsOf(runDir).every((j) => j.imported), 'the batch imported after the reload');
  const tab = page.locator('.tabs-container .tab', { hasText: /Results/ });
  await tab.first().waitFor({ state: 'visible', timeout: 120000 });
  const lines = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, planned);
  assert.ok(lines.every((r) => r.via === 'batch'));
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).status, 'completed');
  assert.equal(batch.batches.size, 1, 'not submitted again after the reload');
  await wb.screenshot('batch-results');
});
