// The real data scored the paper's way, loaded once and shared by the score tests.
import path from 'node:path';
import { loadRecordedCompletions, type RecordedCompletions } from '../../../../src/core/recorded/loadRecordedCompletions';
import { loadPaperScoringData, type PaperScoringData } from '../../../../src/core/score/loadPaperScoringData';
import { recordedScoringInput } from '../../../../src/core/score/recordedScoringInput';
import type { ScoreInput } from '../../../../src/core/score/scoreResponses';
import { RECORDED, ROOT, WVS, readText } from '../workspace/sharedData';

let cached: Promise<{ data: PaperScoringData; recorded: RecordedCompletions }> | undefined;

/** Egypt survey, US twin survey and the recorded GPT-3.5 Egypt answers (EN and AR). */
export function paperData() {
  cached ??= (async () => ({
    data: await loadPaperScoringData({ surveyCsv: path.join(WVS, 'eg_wvs_wave7_v7_n303.csv'), twinCsv: path.join(WVS, 'us_wvs_wave7_v7_n303.csv') }),
    recorded: await loadRecordedCompletions(RECORDED),
  }))();
  return cached;
}

/** A score input over the recorded answers of the given languages (default both). */
export async function paperInput(langs: string[] = ['en', 'ar']): Promise<ScoreInput> {
  const { data, recorded } = await paperData();
  const rec = recordedScoringInput(recorded.records.filter((r) => langs.includes(r.lang)), data.respondents, { model: 'gpt-3.5-turbo-1106' });
  const conditions = langs.map((l) => rec.conditions.find((c) => c.id === l)!);
  return { questions: data.survey.questions, conditions, items: rec.items, personas: data.respondents, twins: data.twins };
}

/** Numbers computed independently by test/fixtures/score/expected_paper.py. */
export const expected = JSON.parse(readText(path.join(ROOT, 'test/fixtures/score/expected_paper.json')));
