// The formatting rules of .editorconfig, checked on every tracked source file (the static test layer runs it):
// UTF-8 without CR, a final newline, no trailing whitespace, spaces not tabs. Markdown, templates and data are
// exempt (whitespace there is content). `node scripts/check-format.mjs --fix` applies the rules in place.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fix = process.argv.includes('--fix');
const CHECKED = /\.(ts|mts|mjs|cjs|js|json|css|html|yml|yaml|sh)$|(^|\/)(run|\.editorconfig|\.npmrc|\.gitignore|\.vscodeignore)$/;
const EXEMPT = /^(examples\/.*\/(recorded|\.alignment)\/|test\/fixtures\/)|package-lock\.json$/;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n').filter((f) => f && CHECKED.test(f) && !EXEMPT.test(f) && fs.existsSync(path.join(ROOT, f)));
const problems = [];
for (const f of files) {
  const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
  if (text === '') continue;
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (l.includes('\r')) problems.push(`${f}:${i + 1}: CR line ending`);
    else if (/[ \t]+$/.test(l)) problems.push(`${f}:${i + 1}: trailing whitespace`);
    if (/^\t/.test(l)) problems.push(`${f}:${i + 1}: tab indentation`);
  });
  if (!text.endsWith('\n')) problems.push(`${f}:${lines.length}: no final newline`);
  if (fix) fs.writeFileSync(path.join(ROOT, f), `${text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n*$/, '')}\n`);
}
if (problems.length && !fix) {
  for (const p of problems.slice(0, 50)) console.log(p);
  console.log(`${problems.length} formatting problem(s) in ${files.length} files (fix: node scripts/check-format.mjs --fix)`);
  process.exit(1);
}
console.log(`${files.length} files follow .editorconfig${fix && problems.length ? ` (${problems.length} fixed)` : ''}`);
