// The standard runner, for machines that can download VS Code (desktop CI, a developer laptop):
//   npm run compile-tests && npm run test:electron
// It runs the same suite as test/harness/runIntegration.mjs, but in desktop VS Code (Electron) fetched by
// @vscode/test-electron. Offline machines (like the one this project is developed on) use the code-server harness.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'as-electron-'));
  fs.cpSync(path.join(root, 'examples/wvs-egypt-us'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/integration/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { ALIGNMENT_STUDIO_TEST_WORKSPACE: workspace, ALIGNMENT_STUDIO_REPO: root },
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
