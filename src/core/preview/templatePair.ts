import type { Lang } from '../model';

/** A template file and its siblings in other languages: `x.en.hbs` ↔ `x.ar.hbs`. */
export interface TemplatePair {
  /** Path without `.<lang>.hbs`, e.g. `prompts/persona`. */
  base: string;
  /** Language of the given file. */
  lang: Lang;
  /** Path of the file for a language (same folder, same base). */
  fileFor(lang: Lang): string;
}

// `<base>.<lang>.hbs` where lang is a short BCP-47-like code (en, ar, fr, pt-br…).
const PAIR = /^(.*)\.([a-z]{2,3}(?:-[a-z0-9]{2,8})?)\.(hbs|handlebars)$/i;

/**
 * The pair a template belongs to, or undefined when the name has no language part (`notes.hbs`) — such a
 * file is a partial or a stand-alone template and the preview shows it as a single pane.
 */
export function templatePair(path: string): TemplatePair | undefined {
  const m = PAIR.exec(path);
  if (!m) return undefined;
  const [, base, lang, ext] = m;
  return { base, lang: lang.toLowerCase(), fileFor: (l) => `${base}.${l}.${ext}` };
}

/** Writing direction of a language code. */
export function directionOf(lang: Lang): 'ltr' | 'rtl' {
  return /^(ar|fa|he|ur|ps|yi|ckb|dv|sd|ug)(-|$)/i.test(lang) ? 'rtl' : 'ltr';
}
