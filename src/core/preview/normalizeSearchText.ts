/**
 * Text normalised for searching in English and Arabic: lower case, Latin accents removed, Arabic diacritics
 * and tatweel removed, the alef/yaa/taa-marbuta spellings folded, Arabic-Indic digits made ASCII — so
 * `cairo`, `Cairo`, `القاهره` and `القاهرة` find the same persona, and `٣٤` finds age 34.
 */
export function normalizeSearchText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064a')
    .replace(/\u0629/g, '\u0647')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
