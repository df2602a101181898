// The new user's minute, through the UI only: open a template, open the preview, run the example experiment from the
// palette (estimate modal → Run), and see the results panel with the Arabic − English headline. Screenshots for the
// README: test-results/journey-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbench } from '../harness/workbench.mjs';

let wb;
before(async () => { wb = await openWorkbench(); });
after(async () => { await wb?.close(); });

test('template → preview → Run Experiment → results, as a new user', async () => {
  const { page } = wb;
  await wb.openFile('prompts/persona.en.hbs');
  await page.locator('.editor-actions [aria-label^="Open Preview to the Side"]').first().click();
  const preview = wb.webview();
  const arPane = preview.locator('[lang="ar"][dir="rtl"]').first();
  await arPane.waitFor({ state: 'visible', timeout: 90000 });
  await page.waitForTimeout(1500); // let the token counts settle for the screenshot
  await wb.screenshot('journey-preview');

  const t0 = Date.now();
  await wb.runCommand('Alignment Studio: Run Experiment');
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'egypt-en-vs-ar.experiment.json' }).first();
  await pick.waitFor({ state: 'visible' });
  await pick.click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 60000 });
  const estimate = await dialog.textContent();
  assert.match(estimate ?? '', /English vs Arabic|en-plain|Run/i, `estimate dialog: ${estimate}`);
  await wb.screenshot('journey-estimate');
  await dialog.locator('.monaco-button', { hasText: /^Run$/ }).first().click();

  const tab = page.locator('.tabs-container .tab', { hasText: /Results/ });
  await tab.first().waitFor({ state: 'visible', timeout: 120000 });
  const results = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const headline = results.locator('#headline-delta');
  await headline.waitFor({ state: 'visible', timeout: 120000 });
  const text = (await headline.textContent()) ?? '';
  console.log(`[journey] run + results in ${Date.now() - t0} ms: ${text.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
  assert.match(text, /[+−-]\d+\.\d+ pts/);
  await page.waitForTimeout(500);
  const file = await wb.screenshot('journey-results');
  assert.ok(fs.statSync(file).size > 10000);
  const runs = fs.readdirSync(path.join(wb.workspace, '.alignment/runs'));
  assert.equal(runs.length, 1, `one run written: ${runs}`);
  const lines = fs.readFileSync(path.join(wb.workspace, '.alignment/runs', runs[0], 'responses.jsonl'), 'utf8').trim().split('\n');
  assert.ok(lines.length >= 12400, `responses written: ${lines.length}`);
});
