import * as fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic, Lang } from '../model';
import { checkContained, isWithin, realPathOf } from '../workspace/containPath';

// The conventions of prompt-template files, in one place, for the run, the preview, the drill-down, diagnostics and
// the editor: which files are templates (`.hbs` or `.handlebars`), the language pair (`x.en.hbs` ↔ `x.ar.hbs`),
// the language from the name, partials (`partials/<name>.hbs` beside a template, named without the extension) and
// the front matter (what a template declares about itself).

/** A prompt template or partial file: `.hbs` or `.handlebars`, any case. */
export const TEMPLATE_FILE = /\.(hbs|handlebars)$/i;

/** True for a template file name or path. */
export const isTemplateFile = (name: string): boolean => TEMPLATE_FILE.test(name);

/** A template file and its siblings in other languages: `x.en.hbs` ↔ `x.ar.hbs`. */
export interface TemplatePair {
  /** Path without `.<lang>.hbs`, e.g. `prompts/persona`. */
  base: string;
  /** Language of the given file. */
  lang: Lang;
  /** Path of the file for a language (same folder, same base, same extension). */
  fileFor(lang: Lang): string;
}

// `<base>.<lang>.hbs` where lang is a short BCP-47-like code (en, ar, fr, pt-br…).
const PAIR = /^(.*)\.([a-z]{2,3}(?:-[a-z0-9]{2,8})?)\.(hbs|handlebars)$/i;

/**
 * The pair a template belongs to, or undefined when the name has no language part (`notes.hbs`) — such a
 * file is a partial or a stand-alone template and the preview shows it as a single pane.
 */
export function templatePair(file: string): TemplatePair | undefined {
  const m = PAIR.exec(file);
  if (!m) return undefined;
  const [, base, lang, ext] = m as unknown as [string, string, string, string];
  return { base, lang: lang.toLowerCase(), fileFor: (l) => `${base}.${l}.${ext}` };
}

/** The prompt language of a template from its file name: `persona.ar.hbs` → `ar`; undefined when not named so. */
export function templateLanguage(fileName: string): string | undefined {
  return templatePair(fileName)?.lang;
}

/** Partial name of a file: its name without the extension (`question.en.hbs` → `{{> question.en}}`). */
export const partialName = (file: string): string => path.basename(file).replace(TEMPLATE_FILE, '');

/** True when a template path is itself a partial (it lives in a `partials` folder). */
export const isPartialFile = (file: string): boolean => /(^|[\\/])partials[\\/][^\\/]+$/.test(file) && isTemplateFile(file);

/**
 * The partials folder of a template: `<its folder>/partials`, or its own folder when it is a partial. `paths` is
 * `path.posix` for URI paths (the editor), the platform's `path` for files.
 */
export function partialsFolderOf(templateFile: string, paths: Pick<typeof path, 'dirname' | 'basename' | 'join'> = path): string {
  const dir = paths.dirname(templateFile);
  return paths.basename(dir) === 'partials' ? dir : paths.join(dir, 'partials');
}

/** The partial files among a folder's entries, sorted, with their partial names. */
export function partialFiles(names: readonly string[]): { file: string; name: string }[] {
  return names.filter(isTemplateFile).sort().map((file) => ({ file, name: partialName(file) }));
}

/**
 * The partials of a template (partialsFolderOf) as name → source; none when the folder is absent. With `root`, the
 * folder and every partial must really lie inside it (a link out is an InputError at the partial).
 */
export async function loadPartials(templateFile: string, options: { root?: string } = {}): Promise<Record<string, string>> {
  const dir = partialsFolderOf(templateFile);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const { file, name } of partialFiles(names)) {
    const abs = path.join(dir, file);
    if (options.root) checkContained(options.root, abs, { file: abs, field: 'partials' });
    out[name] = await readFile(abs, 'utf8');
  }
  return out;
}

/** loadPartials, synchronously (the drill-down reads one template at a time); with `root`, partials outside it are skipped. */
export function loadPartialsSync(templateFile: string, options: { root?: string } = {}): Record<string, string> {
  const dir = partialsFolderOf(templateFile);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  const realRoot = options.root ? (realPathOf(options.root) ?? path.resolve(options.root)) : undefined;
  for (const { file, name } of partialFiles(names)) {
    const abs = path.join(dir, file);
    if (realRoot) {
      const real = realPathOf(abs);
      if (!real || !isWithin(realRoot, real)) continue;
    }
    out[name] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

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
