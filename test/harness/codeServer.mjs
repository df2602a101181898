// Starts code-server (npm's packaging of VS Code: server + web workbench) on 127.0.0.1 with a random free port,
// auth none, no marketplace, and every file it writes kept inside `runDir` (see docs/architecture.md, "The test harness"; the
// recipe it follows: keep HOME clean, short TMPDIR, own process group). Used by the integration runner, the E2E tests and `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CODE_SERVER, NODE24 } from './tools.mjs';

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none', 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true, 'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true, 'git.enabled': false, 'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** What `npm start` adds for a newcomer: the example's README in front (the newcomer E2E test uses the same). */
export const START_SETTINGS = { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.startupEditor': 'readme' };

export function prepareRunDir(runDir, settings = {}) {
  for (const d of ['tmp', 'user-data/User', 'extensions', 'xdg/cache', 'xdg/config', 'xdg/data']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\nbind-addr: 127.0.0.1:0\ncert: false\n');
  fs.writeFileSync(path.join(runDir, 'user-data/User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

export function serverEnv(runDir, extra = {}) {
  return {
    ...process.env,
    PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
    TMPDIR: path.join(runDir, 'tmp'),
    EXTENSIONS_GALLERY: '{}',
    XDG_CACHE_HOME: path.join(runDir, 'xdg/cache'),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg/config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg/data'),
    ...extra,
  };
}

const commonArgs = (runDir) => ['--config', path.join(runDir, 'config.yaml'), '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions')];

export function installVsix(runDir, vsix) {
  const r = spawnSync(NODE24, [CODE_SERVER, ...commonArgs(runDir), '--install-extension', vsix, '--force'], { encoding: 'utf8', env: serverEnv(runDir) });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * @param {{ runDir: string, env?: Record<string,string>, port?: number, host?: string, logToConsole?: boolean, workspaceTrust?: boolean }} o
 * @returns {Promise<{ url: string, stop: () => Promise<void>, process: import('node:child_process').ChildProcess }>}
 */
export async function startCodeServer({ runDir, env = {}, port = 0, host = '127.0.0.1', logToConsole = false, workspaceTrust = false }) {
  // workspaceTrust: keep VS Code's workspace trust on (with it off every folder is trusted), for the Restricted Mode suite.
  const child = spawn(NODE24, [CODE_SERVER, ...commonArgs(runDir), '--auth', 'none', '--bind-addr', `${host}:${port}`,
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver'],
  { env: serverEnv(runDir, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(runDir, 'server.log'));
  let exited = false;
  child.on('exit', () => { exited = true; });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d) => {
      log.write(d);
      if (logToConsole) process.stdout.write(d);
      buf += d;
      const m = buf.match(/HTTP server listening on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (c) => reject(new Error(`code-server exited early (${c}); see ${runDir}/server.log`)));
    setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60000).unref();
  });
  const stop = async () => {
    if (exited) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => { const t = setTimeout(r, 3000); child.once('exit', () => { clearTimeout(t); r(); }); });
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  return { url, stop, process: child };
}

/** Headless Debian chromium through playwright-core, with its own HOME so nothing lands in ~. */
export async function launchBrowser(playwright, profileDir, { width = 1400, height = 900, colorScheme = 'dark' } = {}) {
  fs.mkdirSync(path.join(profileDir, 'home'), { recursive: true });
  const home = path.join(profileDir, 'home');
  return playwright.chromium.launchPersistentContext(path.join(profileDir, 'profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width, height },
    colorScheme,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
  });
}
