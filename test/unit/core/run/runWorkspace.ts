// A throwaway workspace built from the real data: the paper's survey (a few questions), real Egypt respondents,
// the repository's persona templates, and the recorded GPT-3.5 completions for the replay model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentSpec, ModelSpec } from '../../../../src/core/experiment';
import { importWvsRespondents } from '../../../../src/core/persona/importWvsRespondents';
import { parseRecordedFileName } from '../../../../src/core/recorded/parseRecordedFileName';
import { loadPaperSurvey } from '../../../../src/core/survey/loadPaperSurvey';
import { tempDir } from './helpers';

export { DATA } from '../workspace/sharedData';
import { DATA } from '../workspace/sharedData';
export const ROOT = path.resolve(__dirname, '../../../../..');
export const COMPLETIONS = path.join(DATA, 'completions/gpt-3.5-turbo-1106/egypt');

export interface RunWorkspace {
  dir: string;
  experimentFile: string;
  write(spec: Partial<ExperimentSpec>, name?: string): string;
}

/** Builds the workspace; `write` writes an experiment file (defaults: replay model, EN + AR conditions). */
export async function makeRunWorkspace(questions = ['Q19', 'Q42', 'Q62'], personaCount = 5): Promise<RunWorkspace> {
  const dir = tempDir('as-ws-');
  const survey = await loadPaperSurvey(path.join(DATA, 'wvs'));
  fs.writeFileSync(path.join(dir, 'wvs.survey.json'), JSON.stringify({ questions: survey.questions.filter((q) => questions.includes(q.id)) }, null, 1));
  const personas = importWvsRespondents(fs.readFileSync(path.join(DATA, 'wvs/eg_wvs_wave7_v7_n303.csv'), 'utf8'), { file: 'eg.csv', country: 'egypt', skipIncomplete: true });
  fs.writeFileSync(path.join(dir, 'personas.jsonl'), personas.slice(0, personaCount).map((p) => JSON.stringify(p)).join('\n') + '\n');
  fs.cpSync(path.join(ROOT, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
  // The recorded answers of these questions, copied in: a run reads only files inside its workspace.
  fs.cpSync(COMPLETIONS, path.join(dir, 'recorded'), { recursive: true, filter: (src) => {
    const info = parseRecordedFileName(path.basename(src));
    return !info || questions.includes(info.questionId);
  } });
  const replay: ModelSpec = { id: 'gpt35-recorded', kind: 'replay', completions: 'recorded' };
  const write = (spec: Partial<ExperimentSpec>, name = 'test.experiment.json'): string => {
    const full = {
      name: 'test run', survey: 'wvs.survey.json', personas: 'personas.jsonl', samples: 5, models: [replay],
      conditions: [
        { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt35-recorded' },
        { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'gpt35-recorded' },
      ],
      ...spec,
    };
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(full, null, 2));
    return file;
  };
  return { dir, experimentFile: write({}), write };
}
