// E2E: the CultureLLM journey of the issue, through the UI of the packaged extension on examples/culturellm: run the
// culture experiment (estimate → Run), the dashboard for every culture (chart + table), a question's distributions,
// base vs tuned per culture, augment two seeds against the fake server and review them with the keyboard (accept,
// reject, edit, undo), export fine-tuning data that validates. Screenshots: test-results/culture-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openWorkbench } from '../harness/workbench.mjs';
import { ROOT } from '../harness/tools.mjs';

const require = createRequire(import.meta.url);
const { FakeOpenAIServer } = require(path.join(ROOT, 'out/test/fake-server/FakeOpenAIServer.js'));
const { validateFineTuneJsonl } = require(path.join(ROOT, 'out/src/core/culture/validateFineTuneJsonl.js'));

let wb;
let server;
let source;
before(async () => {
  server = await new FakeOpenAIServer({ mode: 'scale' }).start();
  source = fs.mkdtempSync(path.join(os.tmpdir(), 'as-clm-e2e-'));
  fs.cpSync(path.join(ROOT, 'examples/culturellm'), source, { recursive: true, filter: (src) => !/[\\/](\.alignment|augment)([\\/]|$)/.test(src) });
  const file = path.join(source, 'cultures.culture.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('http://127.0.0.1:8765/v1').join(server.baseURL));
  wb = await openWorkbench({ workspaceFrom: source });
});
after(async () => {
  await wb?.close();
  await server?.stop();
  fs.rmSync(source, { recursive: true, force: true });
});

async function palette(title) {
  for (let attempt = 1; ; attempt++) {
    try {
      await wb.runCommand(title);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await wb.page.keyboard.press('Escape');
    }
  }
}
async function pick(text) {
  const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}
const view = () => wb.webview();

test('Evaluate Cultures: estimate, then the dashboard with every culture of the data (chart + table)', async () => {
  await palette('Alignment Studio: Evaluate Cultures (Culture Experiment)');
  await pick('cultures.culture.json');
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 60000 });
  assert.match(await dialog.textContent(), /12 conditions \(6 cultures × 2 models × 1 templates\) × 50 questions × 20 samples = 12000 samples/);
  await wb.screenshot('culture-estimate');
  await dialog.locator('.monaco-button', { hasText: /^Run$/ }).first().click();
  await view().locator('.overview[data-charts="ready"]').waitFor({ timeout: 120000 });
  const box = await view().locator('#culture-chart').boundingBox();
  assert.ok(box && box.width > 300 && box.height > 150, `chart ${JSON.stringify(box)}`);
  assert.equal(await view().locator('#summary-table tbody tr').count(), 12);
  const names = await view().locator('#summary-table tbody button[data-culture]').allTextContents();
  assert.deepEqual([...new Set(names)], ['Arabic', 'Chinese', 'English', 'German', 'Turkish', 'Egyptian']);
  await wb.page.waitForTimeout(300);
  await wb.screenshot('culture-dashboard');
  await view().locator('#metric-select').selectOption('accuracy');
  await view().locator('.overview[data-charts="ready"]').waitFor();
  await wb.screenshot('culture-dashboard-accuracy');
});

test('drill-down: a culture\'s questions, then one question\'s model and culture distributions side by side', async () => {
  await view().locator('#summary-table button[data-culture="arabic"]').first().click();
  await view().locator('#question-table tbody tr[data-question]').first().waitFor();
  assert.equal(await view().locator('#question-table tbody tr[data-question]').count(), 48);
  assert.match(await view().locator('#skipped').textContent(), /Q36 \(not asked there\), Q226 \(not asked there\)/);
  await view().locator('#question-table tbody tr[data-question="Q27"]').click();
  await view().locator('#question-detail[data-charts="ready"]').waitFor();
  assert.equal(await view().locator('#distribution-table tbody tr').count(), 4);
  assert.match(await view().locator('#distribution-table thead').textContent(), /Arabic \(WVS\).*sim-base.*sim-tuned/);
  await view().locator('#question-detail').scrollIntoViewIfNeeded();
  await wb.screenshot('culture-question');
});

test('compare models: sim-tuned − sim-base per culture with paired CIs', async () => {
  await view().locator('#tab-compare').click();
  await view().locator('.compare[data-charts="ready"]').waitFor();
  assert.equal(await view().locator('#delta-table tbody tr').count(), 6);
  assert.match(await view().locator('#delta-table tbody tr[data-culture="arabic"]').textContent(), /^Arabic48\+\d+\.\d/);
  await wb.screenshot('culture-compare');
});

test('augment two seeds against the fake server, review them with the keyboard, decisions saved to the workspace file', async () => {
  await palette('View: Close All Editors');
  await palette('Alignment Studio: Augment Seeds');
  await pick('cultures.culture.json');
  const input = wb.page.locator('.quick-input-widget input');
  for (const q of ['Q27', 'Q28']) {
    await input.fill(q);
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: q }).first().click();
  }
  await input.fill('');
  await wb.page.keyboard.press('Enter');
  const list = view().locator('#review-list');
  await list.waitFor({ timeout: 60000 });
  assert.equal(await view().locator('.candidate').count(), 10);
  assert.match(await view().locator('#progress-text').textContent(), /^0 of 10 reviewed/);
  await list.focus();
  await wb.page.keyboard.press('a');
  await view().locator('.candidate[data-status="accepted"]').first().waitFor();
  await wb.page.keyboard.press('r');
  await view().locator('.candidate[data-status="rejected"]').first().waitFor();
  await wb.page.keyboard.press('e');
  const edit = view().locator('#edit-box');
  await edit.waitFor();
  await edit.fill('Is making your parents proud one of the main goals of your life?');
  await wb.page.keyboard.press('Enter');
  await view().locator('.candidate[data-status="accepted"] .original').first().waitFor();
  assert.match(await view().locator('#progress-text').textContent(), /^3 of 10 reviewed · 2 accepted \(1 edited\) · 1 rejected · 7 pending/);
  await wb.screenshot('culture-review');
  await wb.page.keyboard.press('u');
  await view().locator('#progress-text', { hasText: /^2 of 10 reviewed/ }).waitFor();
  const file = path.join(wb.workspace, 'augment/seeds.augment.json');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(saved.candidates.map((c) => c.status).filter((s) => s !== 'pending').sort(), ['accepted', 'rejected']);
  assert.equal(saved.history.length, 2);
});

test('export fine-tuning data: per culture and CultureLLM-One, every file validates', async () => {
  await palette('Alignment Studio: Export Fine-Tuning Data');
  await pick('cultures.culture.json');
  const dir = path.join(wb.workspace, 'finetune');
  for (let t = 0; t < 600 && !fs.existsSync(path.join(dir, 'report.json')); t++) await wb.page.waitForTimeout(100);
  // The summary goes to a notification (a toast, or the notification centre when toasts are held back).
  await palette('Notifications: Show Notifications');
  await wb.page.locator('.notifications-center, .notifications-toasts', { hasText: /all valid/ }).first().waitFor({ timeout: 30000 });
  await wb.screenshot('culture-finetune');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  assert.deepEqual(files, ['arabic.jsonl', 'chinese.jsonl', 'culturellm-one.jsonl', 'egyptian.jsonl', 'english.jsonl', 'german.jsonl', 'turkish.jsonl']);
  for (const f of files) assert.deepEqual(validateFineTuneJsonl(fs.readFileSync(path.join(dir, f), 'utf8'), f, { countTokens: (t) => t.length }).errors, [], f);
});
