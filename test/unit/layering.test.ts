// Proves the layering rule of DESIGN.md is enforced by lint: violating fixtures fail, clean code passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/lint', name), 'utf8');
const eslint = new ESLint({ cwd: ROOT });

async function lintAs(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('src/core importing vscode fails lint', async () => {
  const msgs = await lintAs(fixture('core-imports-vscode.ts'), 'src/core/__fixture__.ts');
  assert.ok(msgs.some((m) => m.startsWith('no-restricted-imports') && m.includes('Layering')), msgs.join('\n'));
});

test('src/core using the DOM fails lint', async () => {
  const msgs = await lintAs(fixture('core-uses-dom.ts'), 'src/core/__fixture__.ts');
  assert.ok(msgs.some((m) => m.startsWith('no-restricted-globals')), msgs.join('\n'));
});

test('webview importing vscode or host code fails lint', async () => {
  const msgs = await lintAs(fixture('webview-imports-vscode.ts'), 'webview/preview/__fixture__.ts');
  assert.equal(msgs.filter((m) => m.startsWith('no-restricted-imports')).length, 2, msgs.join('\n'));
});

test('innerHTML assignment fails lint anywhere', async () => {
  const msgs = await lintAs('export function f(el: { innerHTML: string }, s: string) { el.innerHTML = s; }\n', 'webview/preview/__fixture__.ts');
  assert.ok(msgs.some((m) => m.includes('innerHTML')), msgs.join('\n'));
});

test('the same vscode import is fine in src/host', async () => {
  const msgs = await lintAs(fixture('core-imports-vscode.ts'), 'src/host/__fixture__.ts');
  assert.deepEqual(msgs.filter((m) => m.startsWith('no-restricted')), []);
});
