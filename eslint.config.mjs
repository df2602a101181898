// Lint config. The layering rule of docs/architecture.md is enforced here:
//   src/core/**  pure TypeScript: no `vscode`, no DOM, no host/webview code
//   src/shared/** types shared by host and webview: no `vscode`, no Node built-ins
//   webview/**   browser code: no `vscode`, no Node built-ins, no host code
//   src/host/**  the only place (with src/extension.ts) that imports `vscode`
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'stream', 'zlib', 'readline', 'url', 'util', 'events'];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);
const noVscode = { name: 'vscode', message: 'Layering: only src/host/** and src/extension.ts may import vscode.' };

const domGlobals = ['window', 'document', 'navigator', 'HTMLElement', 'localStorage', 'acquireVsCodeApi'].map((name) => ({
  name, message: 'Layering: src/core/** is pure; DOM code belongs in webview/**.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'examples/**/.alignment/**', '.vscode-test/**', 'test-results/**', 'bench/**/*.json', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', {
        selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
        message: 'Security: build DOM nodes and use textContent; never innerHTML/outerHTML.',
      }, {
        selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
        message: 'Security: never insertAdjacentHTML.',
      }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/host/**', '**/webview/**', '../host', '../../host'], message: 'Layering: core must not depend on host or webview code.' },
        ],
      }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['**/host/**', '**/webview/**'], message: 'Layering: the CLI reuses core only.' }] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...noNode.map((name) => ({ name, message: 'Layering: shared protocol types run in the webview too.' }))],
        patterns: [{ group: ['**/host/**', '**/webview/**'], message: 'Layering: shared holds types only.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Layering: webviews talk to the host through src/shared/protocol.ts messages, never the vscode API.' },
          ...noNode.map((name) => ({ name, message: 'Layering: webview code runs in a browser.' }))],
        patterns: [{ group: ['**/src/host/**', '**/host/**'], message: 'Layering: webviews must not import host code.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**', 'test/**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
