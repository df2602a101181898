// Builds a real workspace with a recorded run from the shared data: the paper's survey (EN/AR), the Egypt
// respondents + their US twins as personas, and the recorded GPT-3.5 Egypt answers replayed as a run of two
// conditions (en-plain, ar-plain). Used by the results tests and to produce the example's bundled run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec, ResponseRecord, RunManifest } from '../../../../src/core/experiment';
import type { Persona } from '../../../../src/core/model';
import { loadRecordedCompletions } from '../../../../src/core/recorded/loadRecordedCompletions';
import { loadPaperScoringData } from '../../../../src/core/score/loadPaperScoringData';
import { recordedScoringInput } from '../../../../src/core/score/recordedScoringInput';

import { DATA } from '../workspace/sharedData';
export const WVS = path.join(DATA, 'wvs');
export const RECORDED = path.join(DATA, 'completions/gpt-3.5-turbo-1106/egypt');
const CONDITION: Record<string, string> = { en: 'en-plain', ar: 'ar-plain' };

export interface RecordedWorkspaceOptions {
  /** Egypt personas in the run (first N respondents with recorded answers). */
  personas: number;
  runId?: string;
  /** Keep only these questions. */
  questions?: string[];
  /** Change some answers (to make an "after" run for compare tests). */
  mutate?: (r: ResponseRecord) => ResponseRecord;
  createdAt?: string;
}

/** Writes survey.json, personas.jsonl, prompts/, egypt.experiment.json and .alignment/runs/<runId>/ under `dir`. */
export async function writeRecordedWorkspace(dir: string, o: RecordedWorkspaceOptions): Promise<{ runDir: string; personas: Persona[] }> {
  const data = await loadPaperScoringData({ surveyCsv: path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'), twinCsv: path.join(WVS, 'us_wvs_wave7_v7_n303.csv') });
  const recorded = await loadRecordedCompletions(RECORDED);
  const rec = recordedScoringInput(recorded.records, data.respondents, { model: 'gpt-3.5-turbo-1106' });
  const questions = data.survey.questions.filter((q) => !o.questions || o.questions.includes(q.id));
  const qids = new Set(questions.map((q) => q.id));
  const egypt = data.respondents.slice(0, o.personas);
  const keep = new Set(egypt.map((p) => p.id));
  fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'survey.json'), JSON.stringify({ questions }, null, 1));
  fs.writeFileSync(path.join(dir, 'personas.jsonl'), [...data.respondents, ...(data.twins ?? [])].map((p) => JSON.stringify(p)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'prompts/persona.en.hbs'), 'Imagine you are a {{persona.sex}} from {{persona.region}}, {{persona.age}} years old.\nAnswer the question:\n{{question.text}}\n');
  fs.writeFileSync(path.join(dir, 'prompts/persona.ar.hbs'), 'تخيل أنك {{persona.sex}} من {{persona.region}}، عمرك {{persona.age}} سنة.\nأجب عن السؤال:\n{{question.text}}\n');
  const spec: ExperimentSpec = {
    name: 'Egypt: English vs Arabic prompt (recorded GPT-3.5)', survey: 'survey.json', personas: 'personas.jsonl',
    personaFilter: { countries: ['egypt'], limit: o.personas }, questions: questions.map((q) => q.id), samples: 5,
    models: [{ id: 'replay-gpt35', kind: 'replay', model: 'gpt-3.5-turbo-1106', completions: RECORDED }],
    conditions: [
      { id: 'en-plain', label: 'English prompt', template: 'prompts/persona.en.hbs', lang: 'en', model: 'replay-gpt35' },
      { id: 'ar-plain', label: 'Arabic prompt', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'replay-gpt35' },
    ],
    scoring: { profile: 'paper', tieBreak: 'expected', seed: 1, sameAnswerFilter: true, twinCountry: data.twins?.[0]?.country ?? 'united states', compare: ['en-plain', 'ar-plain'] },
  };
  fs.writeFileSync(path.join(dir, 'egypt.experiment.json'), JSON.stringify(spec, null, 2));
  const runId = o.runId ?? 'recorded-gpt35-egypt';
  const runDir = path.join(dir, '.alignment', 'runs', runId);
  fs.mkdirSync(runDir, { recursive: true });
  const lines: string[] = [];
  let t = Date.parse(o.createdAt ?? '2024-02-20T12:00:00Z');
  for (const item of rec.items) {
    if (!keep.has(item.personaId) || !qids.has(item.questionId) || !CONDITION[item.condition]) continue;
    const condition = CONDITION[item.condition];
    item.texts.forEach((text, k) => {
      const sample = item.sampleIndices?.[k] ?? k;
      let r: ResponseRecord = {
        hash: createHash('sha256').update(JSON.stringify([condition, item.personaId, item.questionId, item.variant, sample])).digest('hex').slice(0, 24),
        condition, model: 'replay-gpt35', lang: item.condition, personaId: item.personaId, questionId: item.questionId, variant: item.variant, sample,
        text, cached: true, t: t++,
      };
      if (o.mutate) r = o.mutate(r);
      lines.push(JSON.stringify(r));
    });
  }
  fs.writeFileSync(path.join(runDir, 'responses.jsonl'), lines.join('\n') + '\n');
  const manifest: RunManifest = {
    runId, experimentFile: 'egypt.experiment.json', experiment: spec, createdAt: o.createdAt ?? '2024-02-20T12:00:00Z',
    plannedRequests: lines.length, recorded: true, status: 'completed', finishedAt: new Date(t).toISOString(),
  };
  fs.writeFileSync(path.join(runDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { runDir, personas: egypt };
}
