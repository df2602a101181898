// Real WVS respondents imported the paper's way, shared by the persona tests.
import path from 'node:path';
import { buildAnswerCoding } from '../../../../src/core/persona/buildAnswerCoding';
import { importWvsRespondents } from '../../../../src/core/persona/importWvsRespondents';
import type { Persona } from '../../../../src/core/model';
import { SELECTED, WVS, readText } from '../workspace/sharedData';

/** The paper's answer coding built from the real wvs_response_map.json and wvs_options.json. */
export const coding = buildAnswerCoding(JSON.parse(readText(path.join(WVS, 'wvs_response_map.json'))), JSON.parse(readText(path.join(WVS, 'wvs_options.json'))));

/** Imports one of the two n303 files with answers to the 31 selected questions. */
export function importCountry(which: 'eg' | 'us'): Persona[] {
  const file = path.join(WVS, `${which}_wvs_wave7_v7_n303.csv`);
  return importWvsRespondents(readText(file), { file, answers: { questions: SELECTED, coding } });
}
