// Renders media/icon.svg to media/icon.png (128×128) with headless chromium; run after editing the SVG.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, playwright } from '../test/harness/tools.mjs';

const browser = await playwright().chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${fs.readFileSync(path.join(ROOT, 'media/icon.svg'), 'utf8')}</body></html>`);
await page.screenshot({ path: path.join(ROOT, 'media/icon.png'), omitBackground: true });
await browser.close();
