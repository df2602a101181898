import type { SeedQuestion } from './types';

const toAscii = (s: string): string => s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));

/**
 * The answer code in a reply to a seed question: `(k)` first, else the first whole number in the reply;
 * Arabic-Indic digits count. The code must lie on the question's scale (0–2, 1–10, …), else the reply is
 * unparsed (null) and counted as such, never guessed.
 */
export function parseCultureAnswer(text: string, q: Pick<SeedQuestion, 'min' | 'max'>): number | null {
  const t = toAscii(text);
  const inRange = (k: number): number | null => (Number.isInteger(k) && k >= q.min && k <= q.max ? k : null);
  const paren = /\((\d+)\)/.exec(t);
  if (paren) return inRange(Number(paren[1]));
  const num = /(?<![\d.])\d+(?![\d]|\.\d)/.exec(t);
  return num ? inRange(Number(num[0])) : null;
}
