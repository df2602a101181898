// Paths of the offline VS Code toolchain installed by test/harness/install-tools.sh.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_DIR = path.resolve(process.env.TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'alignment-studio/tools'));
export const NODE24 = path.join(TOOLS_DIR, 'node_modules/.bin/node');
export const CODE_SERVER = path.join(TOOLS_DIR, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const EXAMPLE_WORKSPACE = path.join(ROOT, 'examples/wvs-egypt-us');

export function toolsInstalled() {
  return fs.existsSync(path.join(TOOLS_DIR, '.installed')) && fs.existsSync(CODE_SERVER) && fs.existsSync(CHROMIUM);
}

export function playwright() {
  return createRequire(path.join(TOOLS_DIR, 'package.json'))('playwright-core');
}
