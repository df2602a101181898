// Loaded by VS Code through extensionTestsPath: runs the mocha suites INSIDE the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const dir = path.join(__dirname, 'suite');
  // The Restricted Mode pass (runIntegration.mjs --restricted) runs the restricted* suites only; the normal pass the others.
  const restricted = process.env.ALIGNMENT_STUDIO_RESTRICTED === '1';
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.test.js') && f.startsWith('restricted') === restricted) mocha.addFile(path.join(dir, f));
  const resultsFile = process.env.EXT_TEST_RESULTS;
  const results: { passed: string[]; failed: Array<{ title: string; error: string }> } = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${results.passed.length} passed, ${results.failed.length} failed`);
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => { results.passed.push(t.fullTitle()); console.log(`ok   ${t.fullTitle()}`); });
    runner.on('fail', (t, err: Error) => { results.failed.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }); console.log(`FAIL ${t.fullTitle()}: ${err?.message}`); });
  });
}
