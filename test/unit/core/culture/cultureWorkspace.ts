// A throwaway culture workspace from the real data: the 50 seed questions (EN + AR), the per-country tables, the
// repository's culture templates; `write` writes a culture experiment file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSeedSurvey } from '../../../../src/core/culture/loadCultureLLMData';
import { ROOT } from '../workspace/sharedData';
import { CULTURELLM, COUNTRY_FILES, ENGLISH_JSONL, WVS } from './cultureData';

export interface CultureWorkspace {
  dir: string;
  write(spec: Record<string, unknown>, name?: string): string;
}

export const ARABIC = { id: 'arabic', countries: [{ file: 'data/Arabic_Iraq.csv', name: 'Iraq' }, { file: 'data/Arabic_Jordan.csv', name: 'Jordan' }] };
export const CHINESE = { id: 'chinese', countries: [{ file: 'data/China_China.csv', name: 'China' }] };
export const GERMAN = { id: 'german', countries: [{ file: 'data/Germany_Germany.csv', name: 'Germany' }] };
export const TURKISH = { id: 'turkish', countries: [{ file: 'data/Turkey_Turkey.csv', name: 'Turkey' }] };
export const ENGLISH = { id: 'english', countries: [{ file: 'data/us_wvs_wave7_v7_n303.csv', name: 'United States' }] };

export function makeCultureWorkspace(): CultureWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-culture-'));
  fs.mkdirSync(path.join(dir, 'data'));
  for (const f of COUNTRY_FILES) fs.copyFileSync(f, path.join(dir, 'data', path.basename(f)));
  for (const f of ['us_wvs_wave7_v7_n303.csv', 'eg_wvs_wave7_v7_n303.csv']) fs.copyFileSync(path.join(WVS, f), path.join(dir, 'data', f));
  fs.copyFileSync(path.join(CULTURELLM, 'English_WVQ_English_50.jsonl'), path.join(dir, 'data', 'English_WVQ_English_50.jsonl'));
  const seeds = loadSeedSurvey(ENGLISH_JSONL, COUNTRY_FILES[0]!, WVS);
  fs.writeFileSync(path.join(dir, 'seeds.json'), JSON.stringify({ questions: seeds }, null, 1));
  fs.mkdirSync(path.join(dir, 'prompts'));
  for (const f of fs.readdirSync(path.join(ROOT, 'prompts'))) if (/^(culture|paraphrase)\./.test(f)) fs.copyFileSync(path.join(ROOT, 'prompts', f), path.join(dir, 'prompts', f));
  const write = (spec: Record<string, unknown>, name = 'test.culture.json'): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ name: 'culture test', seeds: 'seeds.json', cultures: [ARABIC, CHINESE], samples: 3, ...spec }, null, 2));
    return file;
  };
  return { dir, write };
}
