// E2E: the first minute of a newcomer, with exactly the settings `npm start` uses: the example's README in front,
// the offline experiment first in the sidebar and preselected by Run Experiment, a live experiment without a server
// stopped at once with one actionable message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { START_SETTINGS } from '../harness/codeServer.mjs';
import { openWorkbench } from '../harness/workbench.mjs';

let wb;
before(async () => { wb = await openWorkbench({ settings: START_SETTINGS }); });
after(async () => { await wb?.close(); });

test('the example opens with its README in front', async () => {
  const active = wb.page.locator('.tabs-container .tab.active');
  await active.filter({ hasText: 'README' }).waitFor({ state: 'visible', timeout: 30000 });
  await wb.screenshot('newcomer-first-screen');
});

test('the sidebar lists the offline experiment first, marked offline', async () => {
  await wb.page.locator('.activitybar .action-item a[aria-label^="Alignment Studio"]').click();
  const rows = wb.page.locator('.pane-body .monaco-list-row');
  await rows.filter({ hasText: 'egypt-en-vs-ar.experiment.json' }).first().waitFor({ state: 'visible' });
  const texts = await rows.allInnerTexts();
  const iOffline = texts.findIndex((t) => t.includes('egypt-en-vs-ar.experiment.json'));
  const iLive = texts.findIndex((t) => t.includes('live-anthro-vs-plain.experiment.json'));
  assert.ok(iOffline >= 0 && iLive > iOffline, `offline first: ${JSON.stringify(texts)}`);
  assert.match(texts[iOffline], /offline/);
  assert.match(texts[iLive], /live/);
  await wb.screenshot('newcomer-sidebar');
});

test('Run Experiment with no experiment open preselects the offline one; the live one fails at once and says why', async () => {
  await wb.runCommand('Alignment Studio: Run Experiment');
  await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'live-anthro-vs-plain.experiment.json' }).first().waitFor({ state: 'visible' });
  const focused = wb.page.locator('.quick-input-list .monaco-list-row.focused');
  assert.match(await focused.innerText(), /egypt-en-vs-ar\.experiment\.json[\s\S]*offline/);
  await wb.screenshot('newcomer-run-pick');
  await wb.page.locator('.quick-input-widget input').fill('live-anthro');
  await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'live-anthro-vs-plain' }).first().waitFor({ state: 'visible' });
  const t0 = Date.now();
  await wb.page.keyboard.press('Enter');
  // The message is an error notification; open the notification centre so it is visible whatever the toast timing.
  const toast = wb.page.locator('.notification-list-item', { hasText: 'Cannot reach' }).first();
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  for (let i = 0; i < 8 && !(await toast.isVisible()); i++) {
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Notifications: Show Notifications');
    await toast.waitFor({ state: 'visible', timeout: 2500 }).catch(() => {});
  }
  const text = await toast.innerText();
  assert.ok(text.includes('http://localhost:8000/v1'), text);
  assert.match(text, /Start a local OpenAI-compatible server/);
  assert.ok(Date.now() - t0 < 15000, 'fails fast, no retries');
  await wb.screenshot('newcomer-live-unreachable');
});
