// `npm start`: installs the offline VS Code (code-server) if needed, builds and packages the extension, installs
// the .vsix and serves VS Code with the bundled example workspace. Prints the URL to open; Ctrl-C stops it.
//   PORT=8080 npm start   fixed port (default: a free one)      HOST=0.0.0.0 npm start   listen beyond localhost
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (name, cmd, args) => {
  console.log(`[start] ${name}…`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`[start] ${name} failed`); process.exit(r.status ?? 1); }
};
step('installing the offline VS Code (first time: ~2–5 min)', 'bash', ['test/harness/install-tools.sh']);
step('building', process.execPath, ['scripts/build.mjs']);
const vsix = path.join(os.tmpdir(), 'alignment-studio-start.vsix');
step('packaging', process.execPath, ['scripts/package-vsix.mjs', vsix]);

const { installVsix, prepareRunDir, startCodeServer, START_SETTINGS } = await import('../test/harness/codeServer.mjs');
const { EXAMPLE_WORKSPACE, TOOLS_DIR } = await import('../test/harness/tools.mjs');
const runDir = path.join(path.dirname(TOOLS_DIR), 'start');
fs.mkdirSync(runDir, { recursive: true });
// A newcomer's first screen: the example's README (what is here, what to click first) in front of the workbench.
prepareRunDir(runDir, START_SETTINGS);
installVsix(runDir, vsix);
const server = await startCodeServer({ runDir, port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
const url = `${server.url}/?folder=${encodeURIComponent(EXAMPLE_WORKSPACE)}`;
console.log(`\n  Alignment Studio is running in VS Code at:\n\n    ${url}\n\n  (workspace ${path.relative(ROOT, EXAMPLE_WORKSPACE)}, server log ${runDir}/server.log; Ctrl-C to stop)\n`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.process.on('exit', (c) => { console.log(`[start] code-server exited (${c})`); process.exit(c ?? 0); });
