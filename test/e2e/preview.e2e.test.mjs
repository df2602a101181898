// E2E: the preview in a real VS Code (code-server + chromium), driven like a user: open persona.en.hbs, open the
// preview from the palette, check the Arabic pane is right-to-left, type in the templates and watch both panes.
// Screenshots: test-results/preview-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbench } from '../harness/workbench.mjs';

let wb;
let view;

/** A test whose failure leaves a screenshot (test-results/preview-failed-<name>.png) to look at. */
function uiTest(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      await wb?.screenshot(`preview-failed-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
      throw e;
    }
  });
}
before(async () => {
  wb = await openWorkbench({ workspaceFrom: process.env.PREVIEW_E2E_WORKSPACE });
});
after(async () => { await wb?.close(); });

/** Quick Open a file, choosing the row that names it (the first row can still be a stale result). */
async function openFile(rel) {
  const { page } = wb;
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(rel);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(rel) }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(rel) }).first().waitFor();
}

/** Puts the cursor at the start of the line after the first `{{#user}}` of a template (Go to Line, Ctrl+G). */
async function cursorIntoUserBlock(rel) {
  const { page } = wb;
  const lines = fs.readFileSync(path.join(wb.workspace, rel), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('{{#user}}')) + 2;
  assert.ok(line > 1, `${rel} has a {{#user}} block`);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  return line;
}

uiTest('Open Preview to the Side shows English and Arabic side by side; the Arabic pane is right-to-left', async () => {
  await openFile('prompts/persona.en.hbs');
  await wb.runCommand('Alignment Studio: Open Preview to the Side');
  view = wb.webview();
  const ar = view.locator('#pane-ar');
  const en = view.locator('#pane-en');
  await view.locator('#pane-body-ar .msg .content').first().waitFor({ state: 'visible' });
  await view.locator('#pane-body-en .msg .content').first().waitFor({ state: 'visible' });

  assert.equal(await ar.getAttribute('lang'), 'ar');
  assert.equal(await ar.getAttribute('dir'), 'rtl');
  const arStyle = await ar.evaluate((el) => ({ direction: getComputedStyle(el).direction, font: getComputedStyle(el.querySelector('.content')).fontFamily }));
  assert.equal(arStyle.direction, 'rtl');
  assert.match(arStyle.font, /Noto Naskh Arabic/);
  assert.equal(await en.evaluate((el) => getComputedStyle(el).direction), 'ltr');
  const [enBox, arBox] = [await en.boundingBox(), await ar.boundingBox()];
  assert.ok(enBox && arBox && enBox.x < arBox.x && Math.abs(enBox.y - arBox.y) < 2, 'side by side, English on the left');
  // An Arabic line is laid out right-to-left: its text hugs the right edge of the pane.
  const arText = await view.locator('#pane-body-ar .msg .content').first().textContent();
  assert.match(arText, /[\u0600-\u06ff]/);
  assert.match(await view.locator('#pane-body-en .msg .content').first().textContent(), /Imagine you are/);
  // Token counts arrive once the tokenizer has loaded.
  await view.locator('#tokens-ar', { hasText: 'tokens' }).waitFor();
  assert.match(await view.locator('#tokens-en').textContent(), /\d+ tokens/);
  assert.ok(fs.statSync(await wb.screenshot('preview-side-by-side')).size > 10000);
});

uiTest('typing in persona.en.hbs and persona.ar.hbs updates the matching panes', async () => {
  const versionBefore = Number(await view.locator('body').getAttribute('data-render-version'));
  await cursorIntoUserBlock('prompts/persona.en.hbs');
  await wb.page.keyboard.type('Typed in the editor 42 ');
  await view.locator('#pane-body-en .msg .content', { hasText: 'Typed in the editor 42' }).waitFor();
  const versionAfter = Number(await view.locator('body').getAttribute('data-render-version'));
  assert.ok(versionAfter > versionBefore, `re-rendered (v${versionBefore} → v${versionAfter})`);
  assert.equal(await view.locator('#pane-body-ar', { hasText: 'Typed in the editor' }).count(), 0);
  await wb.screenshot('preview-typed-en');

  await openFile('prompts/persona.ar.hbs');
  // The preview follows to the pair's Arabic file (same pair, panes unchanged) and keeps showing both.
  await cursorIntoUserBlock('prompts/persona.ar.hbs');
  await wb.page.keyboard.type('نص مكتوب 42 ');
  const typed = view.locator('#pane-body-ar .msg .content', { hasText: 'نص مكتوب 42' });
  await typed.waitFor();
  assert.equal(await view.locator('#pane-body-en .msg .content', { hasText: 'Typed in the editor 42' }).count(), 1, 'the English edit is still shown');
  assert.equal(await typed.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  await wb.screenshot('preview-typed-ar');
});

uiTest('pickers: next persona changes both panes; search narrows the personas; AR-only mode hides English', async () => {
  const before = await view.locator('#pane-body-en .msg .content').first().textContent();
  const beforeAr = await view.locator('#pane-body-ar .msg .content').first().textContent();
  await view.locator('#persona-next').click();
  await wb.page.waitForTimeout(50);
  await view.locator('#pane-body-en .msg .content').first().filter({ hasNotText: before.slice(0, 120) }).waitFor().catch(() => {});
  const after = await view.locator('#pane-body-en .msg .content').first().textContent();
  const afterAr = await view.locator('#pane-body-ar .msg .content').first().textContent();
  assert.notEqual(after, before, 'the English pane shows another persona');
  assert.notEqual(afterAr, beforeAr, 'the Arabic pane shows the same other persona');

  await view.locator('#persona-search input').fill('sex:female');
  await view.locator('#persona-count', { hasText: ' of ' }).waitFor();
  await view.locator('#pane-body-en .msg .content', { hasText: /female/i }).first().waitFor();

  await view.locator('#mode-ar').click();
  await view.locator('#pane-en').waitFor({ state: 'hidden' });
  assert.ok(await view.locator('#pane-ar').isVisible());
  assert.equal(await view.locator('#mode-ar').getAttribute('aria-pressed'), 'true');
  await wb.screenshot('preview-ar-only');
  await view.locator('#mode-both').click();
  await view.locator('#pane-en').waitFor({ state: 'visible' });
});

uiTest('scrolling one pane scrolls the other, and a re-render keeps the position', async () => {
  await view.locator('#mode-both').click();
  const en = view.locator('#pane-body-en');
  const ar = view.locator('#pane-body-ar');
  await en.locator('.msg').first().waitFor();
  assert.ok(await en.evaluate((el) => el.scrollHeight - el.clientHeight) > 20, 'the English pane has something to scroll');
  await en.evaluate((el) => { el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) / 2); });
  await wb.page.waitForTimeout(300);
  const top = await en.evaluate((el) => el.scrollTop);
  assert.ok(await ar.evaluate((el) => el.scrollTop) > 0, 'the Arabic pane followed (sync scroll)');
  const version = await view.locator('body').getAttribute('data-render-version');
  await view.locator('#variant-next').click();
  await view.locator(`body:not([data-render-version="${version}"])`).waitFor();
  assert.ok(Math.abs((await en.evaluate((el) => el.scrollTop)) - top) <= 3, 'same scroll position after the re-render');
  await wb.screenshot('preview-scrolled');
});

uiTest('a broken template shows its error and the diagnostic jumps to the line', async () => {
  await cursorIntoUserBlock('prompts/persona.ar.hbs');
  // Typing the closing braces types over any that the editor auto-closed.
  await wb.page.keyboard.type('{{persona.no_such_field}}');
  // Renders while typing show intermediate syntax errors; wait for the one of the finished expression.
  const err = view.locator('#pane-body-ar .pane-error', { hasText: 'no_such_field' });
  await err.waitFor();
  assert.match(await err.textContent(), /unknown variable|no_such_field/i);
  assert.match(await err.textContent(), /no_such_field/);
  assert.ok(await view.locator('#pane-body-en .msg .content').first().isVisible(), 'the English pane still renders');
  await wb.screenshot('preview-error');
  const diag = view.locator('#diagnostics button.diag', { hasText: 'no_such_field' }).first();
  const where = await diag.locator('.loc').textContent();
  const line = Number(where.split(':')[1]);
  await diag.click();
  const status = wb.page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*Ln ${line}, Col \\d+`) });
  await status.first().waitFor();
  // Undo the broken edit (focus is in the template now): the pane recovers.
  for (let i = 0; i < 20 && await err.count(); i++) {
    await wb.page.keyboard.press('Control+Z');
    await wb.page.waitForTimeout(300);
  }
  assert.equal(await err.count(), 0, 'the Arabic pane renders again after undo');
});

uiTest('after a window reload the preview comes back with its persona, pane mode and template', async () => {
  await view.locator('#mode-en').click();
  const persona = await view.locator('#persona-select').evaluate((el) => el.value);
  assert.ok(persona, 'a persona is selected');
  await wb.reloadWindow();
  view = wb.webview();
  await view.locator('#pane-body-en .msg .content').first().waitFor({ state: 'visible' });
  assert.equal(await view.locator('#persona-select').evaluate((el) => el.value), persona);
  assert.equal(await view.locator('#mode-en').getAttribute('aria-pressed'), 'true');
  assert.ok(await view.locator('#pane-ar').isHidden());
  assert.match(await view.locator('#template').textContent(), /prompts\/persona\.\{en,ar\}\.hbs/);
  await wb.screenshot('preview-restored');
});

uiTest('keyboard: Tab reaches the pickers and Enter on "next question" moves to the next question', async () => {
  const before = await view.locator('#question-select').evaluate((el) => el.value);
  await view.locator('#question-prev').focus();
  await wb.page.keyboard.press('Tab');
  await wb.page.keyboard.press('Tab');
  assert.equal(await view.locator('#question-next').evaluate((el) => el === document.activeElement), true, 'focus on next question');
  await wb.page.keyboard.press('Enter');
  await view.locator('#question-select').evaluate((el, b) => new Promise((resolve) => {
    const check = () => (el.value !== b ? resolve() : setTimeout(check, 20));
    check();
  }), before);
  assert.notEqual(await view.locator('#question-select').evaluate((el) => el.value), before);
});
