import type { ParsedAnswer, ScoringSettings, UnparsedReason } from './types';

/** What the parser needs to know about the question a reply answers. */
export interface ParseContext {
  /** Option labels in the prompt language (the paper's parser only knows these). */
  options: string[];
  /** Option labels in every language of the question (used when `optionTextLanguages` is `any`). */
  allOptions?: string[][];
  /** 0-based index of the "Don't know" option, or null. */
  dontKnowIndex?: number | null;
  /** The reply reasons first and answers last (anthropological prompting). */
  reasoning?: boolean;
}

type ParserSettings = Pick<ScoringSettings, 'emptyReplyIsFirstOption' | 'optionTextMatch' | 'optionTextLanguages' | 'looseNumbers' | 'lastLineForReasoning'>;

const PAREN = /\((\p{Nd}+)\)/u;
const PAREN_ALL = /\((\p{Nd}+)\)/gu;
const OPEN_PAREN = /\((\p{Nd}+)/u;
const NUMBER = /\p{Nd}+/u;
const IS_DIGIT = /\p{Nd}/u;
// Strict: a number at the start, alone or followed by `)`, `.`, `:`, `-` or a space ("2", "2.", "(2", "2) Agree").
const LEADING_NUMBER = /^\(?(\p{Nd}+)(?:[).:\-\s]|$)/u;
const DONT_KNOW = ["don't know", 'dont know', 'do not know', "i don't know", 'لا أعرف', 'لا اعرف', 'لا أدري', 'لا ادري'];

const digitValueCache = new Map<number, number>();
/** Value 0–9 of one Unicode decimal digit: Nd digits come in contiguous runs of ten starting at zero. */
function digitValue(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp - 48;
  const cached = digitValueCache.get(cp);
  if (cached !== undefined) return cached;
  let start = cp;
  while (IS_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  const v = (cp - start) % 10;
  digitValueCache.set(cp, v);
  return v;
}

/** Integer value of a run of Unicode digits (`٣` → 3, `۱۲` → 12); huge numbers saturate (they are out of range anyway). */
export function unicodeDigitsToInt(digits: string): number {
  let v = 0;
  for (const ch of digits) {
    v = v * 10 + digitValue(ch.codePointAt(0)!);
    if (v > 1e9) return 1e9;
  }
  return v;
}

const inRange = (k: number, n: number): boolean => k >= 1 && k <= n;
const numbered = (k: number, n: number, rule: ParsedAnswer['rule']): ParsedAnswer =>
  inRange(k, n) ? { answer: k, rule } : { answer: null, reason: 'out-of-range' };
const fail = (reason: UnparsedReason): ParsedAnswer => ({ answer: null, reason });

/**
 * Parse one sampled reply into a 1-based option number.
 *
 * Paper profile (AlKhamissi et al. 2024), first rule that applies, on the lower-cased, trimmed reply:
 * 1. it contains `(k)` → k if 1 ≤ k ≤ n, else invalid (no further rule);
 * 2. the whole reply is a substring of an option (prompt language) → the first such option; an empty reply is a
 *    substring of every option, so it becomes option 1 (a quirk kept on purpose: `emptyReplyIsFirstOption`);
 * 3. it contains `(k` → k if in range, else invalid;
 * 4. it contains a number (any Unicode digits: `٣`, `۳` count) → the first one if in range, else invalid;
 * 5. otherwise unparsed.
 * Strict profile: an empty reply is unparsed; `(k)`; a number at the very start (`2`, `2.`, `2)`); the reply equals
 * an option (any language) or is a prefix of exactly one option; "Don't know"/"لا أعرف" → the DK option.
 * Reasoning replies (anthropological prompting): the rules run on the last non-empty line, and if that fails, the
 * last in-range `(k)` of the whole reply is taken.
 */
export function parseAnswer(text: string | null | undefined, ctx: ParseContext, settings: ParserSettings): ParsedAnswer {
  if (text === null || text === undefined) return fail('failed-request');
  if (ctx.reasoning && settings.lastLineForReasoning) {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length > 1) {
      const last = parseLine(lines[lines.length - 1]!, ctx, settings);
      if (last.answer !== null) return { answer: last.answer, rule: 'last-line' };
      const n = ctx.options.length;
      let found: number | null = null;
      for (const m of text.matchAll(PAREN_ALL)) {
        const k = unicodeDigitsToInt(m[1]!);
        if (inRange(k, n)) found = k;
      }
      return found !== null ? { answer: found, rule: 'last-paren' } : last;
    }
  }
  return parseLine(text, ctx, settings);
}

function parseLine(raw: string, ctx: ParseContext, s: ParserSettings): ParsedAnswer {
  const reply = raw.toLowerCase().trim();
  const n = ctx.options.length;
  if (reply === '') {
    return s.emptyReplyIsFirstOption && n > 0 ? { answer: 1, rule: 'empty-first-option' } : fail('empty');
  }
  const paren = PAREN.exec(reply);
  if (paren) return numbered(unicodeDigitsToInt(paren[1]!), n, 'paren');

  if (s.optionTextMatch === 'substring') {
    const k = substringOption(reply, optionLists(ctx, s));
    if (k !== null) return { answer: k, rule: 'option-text' };
  } else {
    const lead = LEADING_NUMBER.exec(reply);
    if (lead) return numbered(unicodeDigitsToInt(lead[1]!), n, 'number');
    const k = exactOrPrefixOption(reply, optionLists(ctx, s), ctx.dontKnowIndex ?? null);
    if (k !== null) return { answer: k, rule: 'option-text' };
  }
  if (s.looseNumbers) {
    const open = OPEN_PAREN.exec(reply);
    if (open) return numbered(unicodeDigitsToInt(open[1]!), n, 'open-paren');
    const num = NUMBER.exec(reply);
    if (num) return numbered(unicodeDigitsToInt(num[0]), n, 'number');
  }
  return fail('no-match');
}

function optionLists(ctx: ParseContext, s: ParserSettings): string[][] {
  if (s.optionTextLanguages === 'any' && ctx.allOptions?.length) return [ctx.options, ...ctx.allOptions.filter((o) => o !== ctx.options)];
  return [ctx.options];
}

function substringOption(reply: string, lists: string[][]): number | null {
  for (const options of lists) {
    for (let i = 0; i < options.length; i++) if (options[i]!.toLowerCase().trim().includes(reply)) return i + 1;
  }
  return null;
}

function exactOrPrefixOption(reply: string, lists: string[][], dk: number | null): number | null {
  const cleaned = reply.replace(/[.!。]+$/u, '').trim();
  for (const options of lists) {
    const lower = options.map((o) => o.toLowerCase().trim());
    const exact = lower.indexOf(cleaned);
    if (exact >= 0) return exact + 1;
  }
  const prefixed = new Set<number>();
  for (const options of lists) {
    options.forEach((o, i) => {
      if (o.toLowerCase().trim().startsWith(cleaned)) prefixed.add(i + 1);
    });
  }
  if (prefixed.size === 1) return [...prefixed][0]!;
  if (dk !== null && DONT_KNOW.includes(cleaned)) return dk + 1;
  return null;
}
