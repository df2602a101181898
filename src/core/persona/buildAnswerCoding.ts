import { parseRangeMap } from '../survey/parseRangeMap';

/** Survey answer label (or code) of one question → 1-based option number; null = missing; undefined = unknown label. */
export type AnswerCoding = (questionId: string, label: string) => number | null | undefined;

/**
 * The paper's coding of real answers (SCORING.md): `wvs_response_map.json[q]` first, then the `wvs_options.json`
 * labels on top (label i → i + 1); "No answer" and negative codes → missing. Numeric cells (raw WVS codes)
 * are read as option numbers, negative ones as missing.
 */
export function buildAnswerCoding(responseMap: Record<string, Record<string, number>>, optionRanges: Record<string, string[]>, optionsFile = 'wvs_options.json'): AnswerCoding {
  const optionsOf = parseRangeMap(optionRanges, optionsFile);
  const cache = new Map<string, Map<string, number>>();
  const mapFor = (qid: string) => {
    let m = cache.get(qid);
    if (!m) {
      const num = Number(qid.replace(/^Q/i, ''));
      m = new Map(Object.entries(responseMap[String(num)] ?? {}));
      (optionsOf(num) ?? []).forEach((label, i) => m!.set(label, i + 1));
      m.set('No answer', -1);
      cache.set(qid, m);
    }
    return m;
  };
  return (questionId, label) => {
    const text = label.trim();
    if (/^-?\d+$/.test(text)) return Number(text) > 0 ? Number(text) : null;
    const code = mapFor(questionId).get(text);
    if (code === undefined) return undefined;
    return code > 0 ? code : null;
  };
}
