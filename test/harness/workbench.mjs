// E2E helpers: package + install the .vsix, start code-server on a copy of the example workspace, open it in
// headless chromium, run palette commands, reach into webviews, save screenshots to test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installVsix, launchBrowser, prepareRunDir, startCodeServer } from './codeServer.mjs';
import { EXAMPLE_WORKSPACE, ROOT, playwright } from './tools.mjs';
import { packageVsix } from '../../scripts/package-vsix.mjs';

export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** Builds the .vsix once per test process (or uses $VSIX, set by scripts/test.mjs). */
export function ensureVsix() {
  if (process.env.VSIX && fs.existsSync(process.env.VSIX)) return process.env.VSIX;
  process.env.VSIX = packageVsix(path.join(os.tmpdir(), `alignment-studio-e2e-${process.pid}.vsix`));
  return process.env.VSIX;
}

/**
 * @param {{ theme?: string, settings?: object, colorScheme?: 'dark'|'light', env?: object, workspaceFrom?: string }} [o]
 */
export async function openWorkbench(o = {}) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-e2e-'));
  prepareRunDir(runDir, { 'workbench.colorTheme': o.theme ?? 'Default Dark Modern', ...(o.settings ?? {}) });
  installVsix(runDir, ensureVsix());
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(o.workspaceFrom ?? EXAMPLE_WORKSPACE, workspace, { recursive: true, filter: (src) => !src.includes(`${path.sep}.alignment${path.sep}runs`) });
  const server = await startCodeServer({ runDir, env: o.env ?? {} });
  const ctx = await launchBrowser(playwright(), path.join(runDir, 'browser'), { colorScheme: o.colorScheme ?? 'dark' });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  page.setDefaultTimeout(60000);
  const t0 = Date.now();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.waitForFunction(() => !!window.driver, null, { timeout: 60000 });
  await page.evaluate(() => window.driver.whenWorkbenchRestored());
  const restoredMs = Date.now() - t0;

  const wb = {
    page, runDir, workspace, restoredMs,
    /** F1, type the command title, Enter. */
    async runCommand(title) {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
    },
    /** "Developer: Reload Window", then wait for the NEW page's workbench (the old one lingers for a moment). */
    async reloadWindow() {
      const loaded = page.waitForEvent('load', { timeout: 60000 });
      await wb.runCommand('Developer: Reload Window');
      await loaded;
      await page.locator('.monaco-workbench').waitFor();
      await page.waitForFunction(() => !!window.driver, null, { timeout: 60000 });
      await page.evaluate(() => window.driver.whenWorkbenchRestored());
    },
    /** Quick Open a workspace file by name. */
    async openFile(relPath) {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(relPath);
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: path.basename(relPath) }).first().waitFor();
    },
    /** The content frame of the webview whose panel title contains `title` (or the only one). */
    webview(index = 0) {
      return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
    },
    async screenshot(name) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await ctx.close().catch(() => {});
      await server.stop();
      if (!process.env.KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
  return wb;
}
