import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkContained } from '../workspace/containPath';

/** Partial name of a file in `prompts/partials/`: its name without `.hbs` (`question.en.hbs` → `question.en`). */
export const partialName = (file: string): string => path.basename(file).replace(/\.(hbs|handlebars)$/i, '');

/**
 * Reads the partials of a prompts folder (`<promptsDir>/partials/*.hbs`) as name → source; none when absent.
 * With `root`, the folder and every partial must really lie inside it (a link out is an InputError at the partial).
 */
export async function loadPartials(promptsDir: string, options: { root?: string } = {}): Promise<Record<string, string>> {
  const dir = path.join(promptsDir, 'partials');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.(hbs|handlebars)$/i.test(f)).sort();
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const f of names) {
    const file = path.join(dir, f);
    if (options.root) checkContained(options.root, file, { file, field: 'partials' });
    out[partialName(f)] = await readFile(file, 'utf8');
  }
  return out;
}
