/** Digit style of numbers in prompts: Western `123` or Arabic-Indic `١٢٣`. */
export type DigitStyle = 'western' | 'arabic';

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/** Writes a non-negative integer (or any digit string) with the given digits. */
export function formatDigits(value: number | string, digits: DigitStyle = 'western'): string {
  const text = String(value);
  return digits === 'arabic' ? text.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)]) : text;
}
