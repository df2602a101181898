// Build with esbuild.
//   default       dist/extension.js (node, cjs, vscode external), dist/cli.js, dist/webview/<name>.js (browser, esm)
//   --production  minified, no source maps (for the .vsix)
//   --watch       rebuild on change
//   --tests       also transpile src/ and test/ (no bundling) into out/ for the Node test runner and the
//                 extension-host suite
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const webviewEntries = fs.readdirSync(path.join(root, 'webview'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'webview', d.name, 'main.ts')))
  .map((d) => ({ in: path.join(root, 'webview', d.name, 'main.ts'), out: d.name }));

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };

// The BPE rank tables of gpt-tokenizer are megabytes each: bundle each once into dist/tokenizer/ and load it on
// demand from both the extension and the CLI (small bundles, fast activation and start-up, a lean .vsix).
const ENCODINGS = ['o200k_base', 'cl100k_base'];
const sharedTokenizer = {
  name: 'shared-tokenizer',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer\/encoding\/(o200k_base|cl100k_base)$/ }, (a) => ({ path: `./tokenizer/${a.path.split('/').pop()}.js`, external: true }));
  },
};

/** @type {esbuild.BuildOptions[]} */
const configs = [
  // The banner stamps the moment the bundle starts evaluating, so the activation time includes loading our code.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [sharedTokenizer], banner: { js: '"use strict";globalThis.__alignmentStudioLoadStart = performance.now();' } },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, plugins: [sharedTokenizer] },
  { ...common, sourcemap: false, entryPoints: ENCODINGS.map((e) => ({ in: `gpt-tokenizer/encoding/${e}`, out: e })), outdir: 'dist/tokenizer', platform: 'node', format: 'cjs', target: 'node20' },
];
if (webviewEntries.length) {
  configs.push({ ...common, entryPoints: webviewEntries, outdir: 'dist/webview', platform: 'browser', format: 'esm', target: 'es2022', loader: { '.css': 'text', '.ttf': 'dataurl' } });
}

function listTs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.includes(`${path.sep}fixtures${path.sep}`));
}
if (args.has('--tests')) {
  configs.push({
    entryPoints: [...listTs(path.join(root, 'src')), ...listTs(path.join(root, 'test'))],
    outdir: 'out', outbase: '.', absWorkingDir: root, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: 'inline', bundle: false, logLevel: 'warning',
  });
}

const t0 = performance.now();
if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
  console.log('[build] watching for changes…');
} else {
  // No clean step: several builds may run at once in one checkout (esbuild overwrites outputs).
  await Promise.all(configs.map((c) => esbuild.build(c)));
  console.log(`[build] ${configs.length} bundles in ${Math.round(performance.now() - t0)} ms${production ? ' (production)' : ''}`);
}
