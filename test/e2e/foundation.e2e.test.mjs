// E2E: the packaged extension installed in a real VS Code (code-server), driven through the command palette.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openWorkbench } from '../harness/workbench.mjs';

let wb;
before(async () => { wb = await openWorkbench(); });
after(async () => { await wb?.close(); });

test('Open Results from the palette shows the results webview', async () => {
  await wb.runCommand('Alignment Studio: Open Results');
  const title = wb.webview().locator('#title');
  await title.waitFor({ state: 'visible' });
  assert.equal((await title.textContent())?.trim(), 'Alignment Results');
  const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Alignment Results' });
  assert.equal(await tab.count(), 1);
  const file = await wb.screenshot('foundation-results');
  assert.ok(fs.statSync(file).size > 10000, 'screenshot written');
});

test('the activity bar has the Alignment Studio view container', async () => {
  const item = wb.page.locator('.activitybar .action-item a[aria-label^="Alignment Studio"]');
  assert.equal(await item.count(), 1);
});
