// Paths of the real reference data (../shared/data, read-only) and of this repository, for tests.
import fs from 'node:fs';
import path from 'node:path';

/** Repository root (tests run from out/test/unit/core/<area>/). */
export const ROOT = path.resolve(__dirname, '../../../../..');
/**
 * The shared real data: WVS survey files, respondents, recorded completions. `$ALIGNMENT_DATA`, else
 * `../shared/data` next to the checkout, else the workplace's `/work/shared/data` (a clone elsewhere still finds it).
 */
export const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data']
  .find((d): d is string => !!d && fs.existsSync(path.join(d, 'wvs'))) ?? path.resolve(ROOT, '../shared/data');
export const WVS = path.join(DATA, 'wvs');
export const RECORDED = path.join(DATA, 'completions/gpt-3.5-turbo-1106/egypt');

/** Reads a file as UTF-8 text. */
export const readText = (file: string): string => fs.readFileSync(file, 'utf8');

/** The 31 selected question ids, in the paper's order. */
export const SELECTED = readText(path.join(WVS, 'filtered_selected_questions.csv')).split(',').map((s) => s.trim());

interface RecordedItem {
  persona: Record<string, string | number>;
  question: { id: string; variant: number };
  response: string[];
}

/** The recorded GPT-3.5 completions of one question in one language (1212 items: 303 personas × 4 variants). */
export function recorded(lang: 'en' | 'ar', qid: string): RecordedItem[] {
  const dir = path.join(RECORDED, lang);
  const num = qid.slice(1);
  const file = fs.readdirSync(dir).find((f) => new RegExp(`^preds_q=0?${num}_`).test(f));
  if (!file) throw new Error(`no recorded file for ${qid} ${lang}`);
  return JSON.parse(readText(path.join(dir, file)));
}
