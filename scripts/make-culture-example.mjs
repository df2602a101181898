#!/usr/bin/env node
// Regenerates examples/culturellm/ from ../shared/data and prompts/ (deterministic; a unit test checks the committed
// files equal a fresh build). Runs the compiled core: `node scripts/build.mjs --tests` first.
//   node scripts/make-culture-example.mjs [--data <dir>] [--out <dir>]
// Only the generated files are written; the rest of the folder (README.md, .alignment/, augment/) is left alone.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? path.resolve(process.argv[i + 1]) : fallback;
};
const dataDir = arg('--data', [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'culturellm'))) ?? path.resolve(ROOT, '../shared/data'));
const outDir = arg('--out', path.join(ROOT, 'examples/culturellm'));
const require = createRequire(import.meta.url);
const { buildCultureExample } = require(path.join(ROOT, 'out/src/core/culture/buildCultureExample.js'));

const files = buildCultureExample({ dataDir, promptsDir: path.join(ROOT, 'prompts') });
let bytes = 0;
for (const [rel, text] of files) {
  const file = path.join(outDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  bytes += Buffer.byteLength(text);
}
console.log(`wrote ${files.size} files (${(bytes / 1e6).toFixed(2)} MB) to ${path.relative(process.cwd(), outDir) || '.'}`);
