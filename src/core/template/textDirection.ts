import type { Lang } from '../model';

/** Writing direction of a language code (Arabic, Persian, Hebrew, Urdu and the other right-to-left scripts). */
export function directionOf(lang: Lang): 'ltr' | 'rtl' {
  return /^(ar|fa|he|ur|ps|yi|ckb|dv|sd|ug)(-|$)/i.test(lang) ? 'rtl' : 'ltr';
}
