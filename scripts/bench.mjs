// `npm run bench`: builds, then runs every bench/*.bench.mjs in turn (each merges its section into bench/results.json).
// `npm run bench -- score run` runs only the benches whose names contain one of the words.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const benches = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.mjs') && (!filters.length || filters.some((w) => f.includes(w)))).sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join('bench', b)], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.log(`[bench] ${b} failed (${r.status})`); }
}
console.log(`\n${benches.length - failed} benches ran, ${failed} failed; results in bench/results.json`);
process.exit(failed ? 1 : 0);
