import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec } from '../experiment';
import type { Persona, PersonaValues } from '../model';
import { buildAnswerCoding } from '../persona/buildAnswerCoding';
import { importWvsRespondentsWithColumns } from '../persona/importWvsRespondents';
import { TWIN_FIELDS } from '../persona/personaFields';
import { importPaperSurvey } from '../survey/importPaperSurvey';

export interface ExampleOptions {
  /** The shared data folder (`wvs/`, `completions/`). */
  dataDir: string;
  /** The repository's `prompts/` folder (templates and `partials/`), copied as is. */
  promptsDir: string;
  /** Every `step`-th Egypt respondent is kept, `count` of them (default 6 and 50). */
  step?: number;
  count?: number;
}

const RECORDED_MODEL = 'gpt-3.5-turbo-1106';
const SURVEY_FILE = 'survey/wvs-31.survey.json';
const PERSONAS_FILE = 'personas/wvs-egypt-us.personas.jsonl';

const read = (file: string) => readFileSync(file, 'utf8');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const twinKey = (v: PersonaValues) => TWIN_FIELDS.map((f) => v[f]).join('|');
const valuesKey = (v: Record<string, unknown>) => JSON.stringify(Object.keys(v).sort().map((k) => [k, v[k]]));

interface RecordedItem {
  persona: Record<string, unknown>;
  question: { id: string; variant: number };
  response: string[];
}

/**
 * The bundled example workspace (`examples/wvs-egypt-us/`) as relative path → file text, built deterministically
 * from the shared data: the 31 questions (EN/AR), every `step`-th Egypt respondent with their US twin (same sex,
 * age, marital status, education, social class) and real answers, the templates, GPT-3.5's recorded Egypt
 * completions for those personas, and two experiments.
 */
export function buildExampleWorkspace(options: ExampleOptions): Map<string, string> {
  const { dataDir, promptsDir } = options;
  const step = options.step ?? 6;
  const count = options.count ?? 50;
  const wvs = path.join(dataDir, 'wvs');
  const named = (name: string) => ({ file: `wvs/${name}`, text: read(path.join(wvs, name)) });
  const files = new Map<string, string>();

  const survey = importPaperSurvey({
    questions: { en: named('wvs_questions_dump.en.json'), ar: named('wvs_questions_dump.ar.json') },
    options: named('wvs_options.json'),
    themes: named('wvs_themes.json'),
    selected: named('filtered_selected_questions.csv'),
  });
  const coding = buildAnswerCoding(JSON.parse(read(path.join(wvs, 'wvs_response_map.json'))), JSON.parse(read(path.join(wvs, 'wvs_options.json'))));
  const questions = survey.questions.map((q) => q.id);
  const load = (name: string) => importWvsRespondentsWithColumns(read(path.join(wvs, name)), { file: `wvs/${name}`, answers: { questions, coding } });
  const egyptFile = load('eg_wvs_wave7_v7_n303.csv');
  const usFile = load('us_wvs_wave7_v7_n303.csv');
  const egyptAll = egyptFile.personas;
  const usByTwin = new Map(usFile.personas.map((p) => [twinKey(p.values.en), p]));
  // The survey file says which column each question's answers were read from (the authors' rule picked them):
  // one code when both countries agree, else per country (Q78: EG_Q78A in Egypt).
  const columnOf = (i: number) => {
    const eg = egyptFile.columns[i]!.code;
    const us = usFile.columns[i]!.code;
    return eg === us ? eg : { egypt: eg, 'united states': us };
  };
  files.set(SURVEY_FILE, json({
    name: 'World Values Survey wave 7: the 31 questions of AlKhamissi et al. 2024 (English and Arabic)',
    languages: ['en', 'ar'],
    questions: survey.questions.map((q, i) => ({ ...q, column: columnOf(i) })),
  }));
  const egypt = egyptAll.filter((_, i) => i % step === 0).slice(0, count);
  const twins = egypt.map((p) => {
    const twin = usByTwin.get(twinKey(p.values.en));
    if (!twin) throw new Error(`no US twin for ${p.id}`);
    return twin;
  });
  const personas: Persona[] = [...egypt, ...twins];
  files.set(PERSONAS_FILE, personas.map((p) => JSON.stringify(p)).join('\n') + '\n');

  for (const name of readdirSync(promptsDir).sort()) {
    // The CultureLLM templates (culture.*, paraphrase.*) belong to examples/culturellm, not to this survey example.
    if (name.endsWith('.hbs') && !/^(culture|paraphrase)\./.test(name)) files.set(`prompts/${name}`, read(path.join(promptsDir, name)));
  }
  const partialsDir = path.join(promptsDir, 'partials');
  for (const name of readdirSync(partialsDir).sort()) {
    if (name.endsWith('.hbs')) files.set(`prompts/partials/${name}`, read(path.join(partialsDir, name)));
  }

  for (const lang of ['en', 'ar']) {
    const keep = new Set(egypt.map((p) => valuesKey(p.values[lang])));
    const dir = path.join(dataDir, 'completions', RECORDED_MODEL, 'egypt', lang);
    for (const name of readdirSync(dir).sort()) {
      if (!/^preds_q=.*\.json$/.test(name)) continue;
      const items = (JSON.parse(read(path.join(dir, name))) as RecordedItem[]).filter((item) => keep.has(valuesKey(item.persona)));
      // One record per line: small diffs, still the paper's JSON array format.
      files.set(`recorded/${RECORDED_MODEL}/egypt/${lang}/${name}`, `[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]\n`);
    }
  }

  const plain: ExperimentSpec = {
    name: 'GPT-3.5 on Egypt: English vs Arabic prompts (recorded answers)',
    description: `The paper's headline comparison on ${egypt.length} Egypt personas, replayed from GPT-3.5's recorded completions (no API key needed). Scored with the paper profile; items where the Egypt respondent and their US twin agree are skipped. Personas are asked in a seeded random order and the run stops early once the Arabic − English delta is decided (scoring.stop; docs/early-stopping.md).`,
    survey: SURVEY_FILE,
    personas: PERSONAS_FILE,
    personaFilter: { countries: ['egypt'] },
    questions: 'all',
    variants: [0, 1, 2, 3],
    samples: 5,
    models: [{ id: 'replay-gpt35', kind: 'replay', completions: `recorded/${RECORDED_MODEL}` }],
    conditions: [
      { id: 'en-plain', label: 'English prompt', template: 'prompts/persona.en.hbs', lang: 'en', model: 'replay-gpt35' },
      { id: 'ar-plain', label: 'Arabic prompt', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'replay-gpt35' },
    ],
    scoring: {
      profile: 'paper', tieBreak: 'expected', sameAnswerFilter: true, twinCountry: 'united states', compare: ['en-plain', 'ar-plain'],
      // 50 personas are too few for the exact betting sequence to stop on a 3-point effect; the normal mixture does.
      stop: { excludesZero: true, minPersonas: 20, method: 'normal-mixture' },
    },
  };
  files.set('egypt-en-vs-ar.experiment.json', json(plain));

  const anthro: ExperimentSpec = {
    name: 'Anthropological vs plain prompting, English and Arabic',
    description: 'Four conditions (en/ar × plain/anthro) on an OpenAI-compatible endpoint you configure: a local server (vLLM, Ollama, llama.cpp) at http://localhost:8000/v1, or change baseURL/model and set an API key with "Alignment Studio: Set API Key".',
    survey: SURVEY_FILE,
    personas: PERSONAS_FILE,
    personaFilter: { countries: ['egypt'], limit: 10 },
    questions: ['Q2', 'Q19', 'Q42', 'Q142', 'Q171', 'Q199', 'Q221', 'Q235'],
    variants: [0],
    samples: 3,
    models: [{ id: 'local-chat', kind: 'openai', baseURL: 'http://localhost:8000/v1', model: 'qwen2.5-7b-instruct', temperature: 0.7, maxTokens: 400, concurrency: 2, pricePer1kInput: 0, pricePer1kOutput: 0 }],
    conditions: [
      { id: 'en-plain', label: 'English, plain', template: 'prompts/persona.en.hbs', lang: 'en', model: 'local-chat' },
      { id: 'en-anthro', label: 'English, anthropological', template: 'prompts/anthro.en.hbs', lang: 'en', model: 'local-chat', reasoning: true },
      { id: 'ar-plain', label: 'Arabic, plain', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'local-chat' },
      { id: 'ar-anthro', label: 'Arabic, anthropological', template: 'prompts/anthro.ar.hbs', lang: 'ar', model: 'local-chat', reasoning: true },
    ],
    scoring: { profile: 'paper', tieBreak: 'expected', sameAnswerFilter: false, compare: ['en-plain', 'en-anthro'] },
  };
  files.set('live-anthro-vs-plain.experiment.json', json(anthro));
  return files;
}
