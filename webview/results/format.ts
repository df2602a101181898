// Number formatting shared by the results views: scores are shown × 100 (as in the paper's tables).
import type { Estimate } from '../../src/core/results/types';

export const pts = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : (v * 100).toFixed(digits));
export const signedPts = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(digits)}`);
export const ci = (e: Estimate | null | undefined, signed = false): string => {
  if (!e || e.lo === null || e.hi === null) return '';
  const f = signed ? signedPts : pts;
  return `[${f(e.lo)}, ${f(e.hi)}]`;
};
export const pValue = (p: number | null | undefined): string => (p === null || p === undefined ? '' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
export const percent = (n: number, of: number): string => (of ? `${((100 * n) / of).toFixed(1)}%` : '—');
/** Arabic text gets `lang="ar"` and right-to-left direction; anything else is left to the browser. */
export const langAttrs = (lang: string): Record<string, string> => (lang === 'ar' ? { lang: 'ar', dir: 'rtl' } : { lang, dir: 'auto' });
