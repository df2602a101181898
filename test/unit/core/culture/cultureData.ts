// Paths of the CultureLLM reference data for tests.
import path from 'node:path';
import { DATA, WVS } from '../workspace/sharedData';

export const CULTURELLM = path.join(DATA, 'culturellm');
export const COUNTRY_FILES = ['Arabic_Iraq.csv', 'Arabic_Jordan.csv', 'China_China.csv', 'Germany_Germany.csv', 'Turkey_Turkey.csv'].map((f) => path.join(CULTURELLM, f));
export const ENGLISH_JSONL = path.join(CULTURELLM, 'English_WVQ_English_50.jsonl');
export const ARABIC_JSONL = path.join(CULTURELLM, 'Arabic_WVQ_Arabic_50.jsonl');
export { WVS };
