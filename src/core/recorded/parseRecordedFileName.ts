/** What the paper's completion file names say: `preds_q=02_lang=ar_country=egypt_temp=0.7_maxt=5_n=5_persona=1_anthro=False_v7.json`. */
export interface RecordedFileInfo {
  /** `Q2` (leading zeros dropped). */
  questionId: string;
  lang: string;
  country: string;
  /** Anthropological prompting (replies reason first). */
  anthro: boolean;
  /** Every `key=value` of the name, as text (temp, maxt, n, persona, …). */
  params: Record<string, string>;
}

/** Parses a recorded-completions file name; null when the name is not in the paper's format. */
export function parseRecordedFileName(name: string): RecordedFileInfo | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  if (!/^preds_.*\.json$/.test(base)) return null;
  const params: Record<string, string> = {};
  for (const m of base.slice(0, -'.json'.length).matchAll(/([a-z]+)=([^_]+)/gi)) params[m[1]!] = m[2]!;
  const q = params.q;
  if (!q || !/^\d+$/.test(q) || !params.lang) return null;
  return {
    questionId: `Q${Number(q)}`,
    lang: params.lang,
    country: (params.country ?? '').toLowerCase(),
    anthro: /^true$/i.test(params.anthro ?? ''),
    params,
  };
}
