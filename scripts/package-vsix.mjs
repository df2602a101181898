// Builds the production bundles and packages the .vsix (used by `npm run package`, `npm start` and the E2E tests).
//   node scripts/package-vsix.mjs [out.vsix]     default: alignment-studio.vsix
// The bundles carry every runtime dependency, so the package has no node_modules (--no-dependencies).
// README images are relative in the repository; the placeholder repository URL gives vsce an absolute base.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages the extension into `out`; throws with vsce's output on failure. */
export function packageVsix(out = path.join(ROOT, 'alignment-studio.vsix')) {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--baseImagesUrl', 'https://example.invalid/alignment-studio/raw/HEAD/', '--out', out],
    { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const out = packageVsix(process.argv[2] && path.resolve(process.argv[2]));
    console.log(`[package] ${path.relative(process.cwd(), out)}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
