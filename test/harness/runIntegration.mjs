// Runs the mocha suite in out/test/integration/ INSIDE a real VS Code extension host (Node), offline:
// code-server + headless chromium opening the workbench with extensionDevelopmentPath / extensionTestsPath.
// The workspace is a fresh copy of examples/wvs-egypt-us, so tests never write into the repository.
// Exit code 0 = every test passed. Prints "N passed, N failed".
// --restricted: the same with workspace trust on and the folder untrusted (Restricted Mode), running only the
// suite/restricted*.test.js files (the normal pass runs every other suite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, prepareRunDir, startCodeServer } from './codeServer.mjs';
import { EXAMPLE_WORKSPACE, ROOT, playwright, toolsInstalled } from './tools.mjs';

const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 300000);
if (!toolsInstalled()) {
  console.error('[integration] VS Code test tools missing: run test/harness/install-tools.sh');
  process.exit(3);
}
const restricted = process.argv.includes('--restricted');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-int-'));
// Restricted Mode: trust on, never asked at start-up, so the fresh folder opens untrusted.
prepareRunDir(runDir, restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {});
const workspace = path.join(runDir, 'workspace');
fs.cpSync(fs.existsSync(EXAMPLE_WORKSPACE) ? EXAMPLE_WORKSPACE : path.join(ROOT, 'examples'), workspace, { recursive: true, filter: (src) => !src.includes(`${path.sep}.alignment${path.sep}runs`) });
const resultsFile = path.join(runDir, 'results.json');
const t0 = Date.now();
const server = await startCodeServer({ runDir, workspaceTrust: restricted, env: { EXT_TEST_RESULTS: resultsFile, ALIGNMENT_STUDIO_TEST_WORKSPACE: workspace, ALIGNMENT_STUDIO_REPO: ROOT, ALIGNMENT_STUDIO_RESTRICTED: restricted ? '1' : '' } });
console.log(`[integration] code-server at ${server.url} (run dir ${runDir})${restricted ? ', Restricted Mode' : ''}`);

const authority = new URL(server.url).host;
const remote = (p) => `vscode-remote://${authority}${encodeURI(path.resolve(p))}`;
const payload = [
  ['extensionDevelopmentPath', remote(ROOT)],
  ['extensionTestsPath', remote(path.join(ROOT, 'out/test/integration/index.js'))],
  ['skipWelcome', 'true'],
  ['skipReleaseNotes', 'true'],
];
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

let code = 2;
const ctx = await launchBrowser(playwright(), path.join(runDir, 'browser'));
try {
  const page = ctx.pages()[0] ?? await ctx.newPage();
  let finish;
  const done = new Promise((r) => { finish = r; });
  await page.exposeFunction('codeAutomationExit', (c) => finish({ code: Number(c) }));
  page.on('console', (m) => {
    // Extension-host console lines arrive decorated ("%c[Extension Host] %cINFO color: #33f <text>"): print the
    // suite's own "[suite] …" lines (VS Code version, activation time, measurements) or everything when verbose.
    const t = m.text();
    if (process.env.DRIVER_VERBOSE) console.log(t);
    else if (t.includes('[suite]')) console.log(t.slice(t.indexOf('[suite]')));
  });
  await page.goto(url);
  const timer = setTimeout(() => finish({ code: 124 }), timeoutMs);
  ({ code } = await done);
  clearTimeout(timer);
  if (code === 124) {
    console.log(`[integration] TIMEOUT after ${timeoutMs} ms`);
    await page.screenshot({ path: path.join(runDir, 'timeout.png') }).catch(() => {});
  }
} finally {
  await ctx.close().catch(() => {});
  await server.stop();
}
let passed = 0;
let failed = 0;
if (fs.existsSync(resultsFile)) {
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const t of r.passed) console.log(`ok   ${t}`);
  for (const f of r.failed) console.log(`FAIL ${f.title}\n${f.error}`);
  passed = r.passed.length;
  failed = r.failed.length;
  if (code === 0 && failed) code = 1;
} else {
  console.log('[integration] the suite wrote no results file');
  failed = 1;
  if (code === 0) code = 1;
}
console.log(`[integration] total ${Date.now() - t0} ms, exit ${code}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
