import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../score/rng';
import type { CultureExperimentSpec } from './cultureExperiment';
import { cultureGroundTruth } from './cultureGroundTruth';
import { splitHeldOut } from './fineTuneData';
import { importWvsCountryTable } from './importWvsCountryTable';
import { loadSeedSurvey } from './loadCultureLLMData';
import { parseCountryTable } from './parseCountryTable';
import type { CountryTable, CultureSpec, SeedQuestion } from './types';

export interface CultureExampleOptions {
  /** The shared data folder (`culturellm/`, `wvs/`). */
  dataDir: string;
  /** The repository's `prompts/` folder (culture.*.hbs, paraphrase.*.hbs are copied). */
  promptsDir: string;
  /** Replies per question of the simulated models (default 20). */
  samples?: number;
}

const read = (file: string): string => readFileSync(file, 'utf8');
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const CULTURELLM_FILES = ['Arabic_Iraq.csv', 'Arabic_Jordan.csv', 'China_China.csv', 'Germany_Germany.csv', 'Turkey_Turkey.csv'];
/** The n303 dumps, rewritten in CultureLLM's per-country layout (codes, the 50 seed columns only). */
const DUMPS = [
  { source: 'us_wvs_wave7_v7_n303.csv', file: 'English_United_States.csv', code: 840 },
  { source: 'eg_wvs_wave7_v7_n303.csv', file: 'Arabic_Egypt.csv', code: 818 },
];

export const EXAMPLE_CULTURES: CultureSpec[] = [
  { id: 'arabic', lang: 'ar', name: { en: 'Arabic', ar: 'العربية' }, countries: [{ file: 'data/Arabic_Iraq.csv', name: 'Iraq' }, { file: 'data/Arabic_Jordan.csv', name: 'Jordan' }] },
  { id: 'chinese', lang: 'zh', name: { en: 'Chinese', zh: '中国' }, countries: [{ file: 'data/China_China.csv', name: 'China' }] },
  { id: 'english', lang: 'en', name: { en: 'English' }, countries: [{ file: 'data/English_United_States.csv', name: 'United States' }] },
  { id: 'german', lang: 'de', name: { en: 'German', de: 'deutschen' }, countries: [{ file: 'data/Germany_Germany.csv', name: 'Germany' }] },
  { id: 'turkish', lang: 'tr', name: { en: 'Turkish', tr: 'Türk' }, countries: [{ file: 'data/Turkey_Turkey.csv', name: 'Turkey' }] },
  { id: 'egyptian', lang: 'ar', name: { en: 'Egyptian', ar: 'المصرية' }, countries: [{ file: 'data/Arabic_Egypt.csv', name: 'Egypt' }] },
];

function toCultureLLMCsv(t: CountryTable, code: number, seeds: readonly SeedQuestion[]): string {
  const ids = seeds.map((q) => q.id);
  const rows = [`B_COUNTRY,B_COUNTRY_ALPHA,${ids.join(',')}`];
  for (let i = 0; i < t.respondents; i++) rows.push(`${code},${t.countryAlpha},${ids.map((q) => t.codes[q]![i]).join(',')}`);
  return `${rows.join('\n')}\n`;
}

/** Draws a code from a distribution over min..max. */
function draw(p: readonly number[], min: number, r: number): number {
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i]!;
    if (r < acc) return min + i;
  }
  return min + p.length - 1;
}

/** A reply in one of the shapes real models use; about 1 in 100 is a refusal (unparsed, counted as such). */
function reply(code: number, r: number): string {
  if (r < 0.01) return 'As an AI, I do not have personal opinions on this.';
  if (r < 0.1) return `(${code})`;
  if (r < 0.15) return `I would choose ${code}.`;
  return String(code);
}

/**
 * The example workspace `examples/culturellm/` as relative path → text, built deterministically from the shared
 * data: the 50 seed questions (EN, AR where the paper has it), the per-country tables of six cultures (the US and
 * Egypt dumps rewritten in CultureLLM's layout), the culture and paraphrase templates, a held-out split, two
 * SIMULATED recorded models (see the README: not real model output) and three experiments.
 */
export function buildCultureExample(options: CultureExampleOptions): Map<string, string> {
  const { dataDir, promptsDir } = options;
  const n = options.samples ?? 20;
  const clm = path.join(dataDir, 'culturellm');
  const wvs = path.join(dataDir, 'wvs');
  const files = new Map<string, string>();
  const seeds = loadSeedSurvey(path.join(clm, 'English_WVQ_English_50.jsonl'), path.join(clm, 'Arabic_Iraq.csv'), wvs);
  files.set('survey/culturellm.seeds.json', json({ name: 'CultureLLM: the 50 World Values Survey seed questions (Li et al. 2024), English; Arabic from AlKhamissi et al. 2024 where it exists', questions: seeds }));
  files.set('data/English_WVQ_English_50.jsonl', read(path.join(clm, 'English_WVQ_English_50.jsonl')));
  files.set('data/Arabic_WVQ_Arabic_50.jsonl', read(path.join(clm, 'Arabic_WVQ_Arabic_50.jsonl')));
  const tables = new Map<string, CountryTable>();
  for (const f of CULTURELLM_FILES) {
    const text = read(path.join(clm, f));
    files.set(`data/${f}`, text);
    tables.set(`data/${f}`, parseCountryTable(text, f));
  }
  for (const d of DUMPS) {
    const t = importWvsCountryTable(read(path.join(wvs, d.source)), d.source, seeds);
    const text = toCultureLLMCsv(t, d.code, seeds);
    files.set(`data/${d.file}`, text);
    tables.set(`data/${d.file}`, parseCountryTable(text, d.file));
  }
  for (const name of readdirSync(promptsDir).sort()) if (/^(culture|paraphrase)\..*\.hbs$/.test(name)) files.set(`prompts/${name}`, read(path.join(promptsDir, name)));

  const { train, heldOut } = splitHeldOut(seeds.map((q) => q.id), 0.2, 1);
  files.set('finetune/split.json', json({ seed: 1, heldOutFraction: 0.2, train, heldOut }));
  const held = new Set(heldOut);

  // Simulated models, so every step runs offline: "sim-base" answers mostly as the US respondents do (a Western
  // default), "sim-tuned" mostly as the culture does on the training questions and half-way on the held-out ones.
  const truths = new Map(EXAMPLE_CULTURES.map((c) => [c.id, cultureGroundTruth(c.id, c.countries.map((x) => tables.get(x.file)!), seeds)]));
  const us = truths.get('english')!;
  const mix = (a: readonly number[], b: readonly number[], w: number): number[] => a.map((x, i) => w * x + (1 - w) * b[i]!);
  const simulate = (model: string, weight: (q: SeedQuestion) => number): string => {
    const lines: string[] = [];
    for (const c of EXAMPLE_CULTURES) {
      for (const q of seeds) {
        const own = truths.get(c.id)!.questions[q.id]!;
        const west = us.questions[q.id]!.distribution;
        const p = own.answered > 0 ? mix(own.distribution, west, weight(q)) : west;
        const rnd = seededRandom(1, `${model}|${c.id}|${q.id}`);
        const replies = Array.from({ length: n }, () => reply(draw(p, q.min, rnd()), rnd()));
        lines.push(JSON.stringify({ culture: c.id, question: q.id, replies }));
      }
    }
    return `${lines.join('\n')}\n`;
  };
  files.set('recorded/sim-base.answers.jsonl', simulate('sim-base', () => 0.3));
  files.set('recorded/sim-tuned.answers.jsonl', simulate('sim-tuned', (q) => (held.has(q.id) ? 0.5 : 0.75)));

  const replay = [
    { id: 'sim-base', kind: 'replay' as const, completions: 'recorded/sim-base.answers.jsonl' },
    { id: 'sim-tuned', kind: 'replay' as const, completions: 'recorded/sim-tuned.answers.jsonl' },
  ];
  const augmentation = {
    file: 'augment/seeds.augment.json',
    model: { id: 'paraphraser', kind: 'openai' as const, baseURL: 'http://127.0.0.1:8765/v1', model: 'fake-paraphraser', temperature: 0.7, maxTokens: 400 },
    embeddings: { baseURL: 'http://127.0.0.1:8765/v1', model: 'fake-embeddings' },
    k: 5, tau: 0.8, checkAnswers: false,
  };
  const offline: CultureExperimentSpec = {
    kind: 'culture', name: 'CultureLLM: six cultures, simulated base vs tuned (recorded)',
    description: 'The 50 WVS seed questions asked as a member of each culture, 20 samples each, by two SIMULATED recorded models (see README.md): offline, no API key. Paraphrases come from the local fake server (README.md).',
    seeds: 'survey/culturellm.seeds.json', cultures: EXAMPLE_CULTURES, models: replay, templates: ['prompts/culture.{lang}.hbs'], questions: 'all', variants: 'seeds', samples: n,
    augmentation, scoring: { resamples: 1000, seed: 1, level: 0.95, compare: ['sim-base', 'sim-tuned'] },
  };
  files.set('cultures.culture.json', json(offline));
  files.set('heldout.culture.json', json({
    ...offline, name: 'CultureLLM: held-out questions only (simulated base vs tuned)',
    description: 'The tuned model evaluated on the 10 seed questions finetune-data held out of its training data (finetune/split.json).',
    questions: { split: 'finetune/split.json', part: 'heldOut' },
  }));
  const live: CultureExperimentSpec = {
    kind: 'culture', name: 'CultureLLM: base vs fine-tuned model (live)',
    description: 'Your base model and its CultureLLM fine-tune on an OpenAI-compatible endpoint (a local vLLM/Ollama server at http://localhost:8000/v1, or change baseURL and set an API key), on the held-out questions, seeds and accepted paraphrases.',
    seeds: 'survey/culturellm.seeds.json', cultures: EXAMPLE_CULTURES,
    models: [
      { id: 'base', kind: 'openai', baseURL: 'http://localhost:8000/v1', model: 'base-model', temperature: 0.7, maxTokens: 8, concurrency: 8 },
      { id: 'tuned', kind: 'openai', baseURL: 'http://localhost:8000/v1', model: 'tuned-model', temperature: 0.7, maxTokens: 8, concurrency: 8 },
    ],
    templates: ['prompts/culture.{lang}.hbs'], questions: { split: 'finetune/split.json', part: 'heldOut' }, variants: 'all', samples: 10,
    augmentation: { ...augmentation, model: { ...augmentation.model, baseURL: 'http://localhost:8000/v1', model: 'base-model' }, embeddings: { baseURL: 'http://localhost:8000/v1', model: 'embedding-model' } },
    scoring: { compare: ['base', 'tuned'] },
  };
  files.set('live.culture.json', json(live));
  return files;
}
