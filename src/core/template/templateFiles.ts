import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from '../model';

// The conventions of prompt-template files, in one place: front matter (what a template declares about itself).

/** What a template declares in its front matter. */
export interface TemplateFrontMatter {
  /** Replies to this prompt reason first and give the answer last: scoring parses the last line first. */
  reasoning?: boolean;
}

const FRONT_MATTER_KEYS = new Set(['reasoning']);
const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*$/;

/** Where a template's front matter is: the opening line is line 1, the closing `---` is line `closeLine`. */
function frontMatterSpan(source: string): { closeLine: number; yaml: string; end: number } | undefined {
  const open = OPEN.exec(source);
  if (!open) return undefined;
  let at = open[0].length;
  let line = 2;
  while (at <= source.length) {
    const nl = source.indexOf('\n', at);
    const text = source.slice(at, nl < 0 ? source.length : nl).replace(/\r$/, '');
    if (CLOSE.test(text)) return { closeLine: line, yaml: source.slice(open[0].length, at), end: nl < 0 ? source.length : nl };
    if (nl < 0) return undefined;
    at = nl + 1;
    line++;
  }
  return undefined;
}

/**
 * The template as Handlebars sees it: a YAML front matter (`---` … `---` at the very top) becomes a comment of
 * the same number of lines, so it renders nothing and every line and column below it stays where it is.
 */
export function templateBody(source: string): string {
  const span = frontMatterSpan(source);
  if (!span) return source;
  return `{{!--${'\n'.repeat(span.closeLine - 1)}--}}${source.slice(span.end)}`;
}

/**
 * Reads a template's front matter:
 * ```
 * ---
 * reasoning: true
 * ---
 * ```
 * A template without one declares nothing. Bad YAML or a wrong value is an error diagnostic at its line; an
 * unknown key is a warning.
 */
export function readFrontMatter(source: string, file: string): { frontMatter: TemplateFrontMatter; diagnostics: Diagnostic[] } {
  const span = frontMatterSpan(source);
  const diagnostics: Diagnostic[] = [];
  if (!span) return { frontMatter: {}, diagnostics };
  let value: unknown;
  try {
    value = span.yaml.trim() ? parseYaml(span.yaml) : {};
  } catch (e) {
    const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    diagnostics.push({ file, line: (pos?.line ?? 1) + 1, column: pos?.col ?? 1, severity: 'error', code: 'template.front-matter', message: `front matter: ${(e as Error).message.split('\n')[0]}` });
    return { frontMatter: {}, diagnostics };
  }
  const lineOf = (key: string): number => {
    const i = span.yaml.split('\n').findIndex((l) => l.startsWith(`${key}:`));
    return i < 0 ? 1 : i + 2;
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.push({ file, line: 2, column: 1, severity: 'error', code: 'template.front-matter', message: 'front matter must be "key: value" lines, e.g. "reasoning: true"' });
    return { frontMatter: {}, diagnostics };
  }
  const frontMatter: TemplateFrontMatter = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!FRONT_MATTER_KEYS.has(key)) {
      diagnostics.push({ file, line: lineOf(key), column: 1, severity: 'warning', code: 'template.front-matter', field: key, message: `unknown front matter field "${key}" (known: ${[...FRONT_MATTER_KEYS].join(', ')})` });
      continue;
    }
    if (typeof v !== 'boolean') {
      diagnostics.push({ file, line: lineOf(key), column: 1, severity: 'error', code: 'template.front-matter', field: key, message: `front matter "${key}" must be true or false` });
      continue;
    }
    frontMatter.reasoning = v;
  }
  return { frontMatter, diagnostics };
}
