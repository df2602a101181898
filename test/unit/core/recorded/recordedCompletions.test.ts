import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { indexRecordedCompletions } from '../../../../src/core/recorded/indexRecordedCompletions';
import { loadRecordedCompletions } from '../../../../src/core/recorded/loadRecordedCompletions';
import { parseRecordedCompletions, topLevelElementOffsets } from '../../../../src/core/recorded/parseRecordedCompletions';
import { parseRecordedFileName } from '../../../../src/core/recorded/parseRecordedFileName';
import { RECORDED, WVS, recorded } from '../workspace/sharedData';

test('file names of the paper: question, language, country, anthro flag', () => {
  const info = parseRecordedFileName('x/preds_q=02_lang=ar_country=egypt_temp=0.7_maxt=5_n=5_persona=1_anthro=False_v7.json')!;
  assert.equal(info.questionId, 'Q2');
  assert.equal(info.lang, 'ar');
  assert.equal(info.country, 'egypt');
  assert.equal(info.anthro, false);
  assert.equal(info.params.temp, '0.7');
  assert.equal(parseRecordedFileName('preds_q=171_lang=en_country=us_anthro=True_v7.json')!.anthro, true);
  assert.equal(parseRecordedFileName('notes.json'), null);
  assert.equal(parseRecordedFileName('preds_lang=en.json'), null);
});

test('loads all 62 real files (31 questions × EN/AR) and indexes them by language, persona values, question, variant', async () => {
  const all = await loadRecordedCompletions(RECORDED);
  assert.equal(all.files.length, 62);
  assert.equal(all.records.length, 62 * 1212);
  const index = indexRecordedCompletions(all.records);
  const q2ar = recorded('ar', 'Q2')[0]!;
  assert.deepEqual(index.get('ar', q2ar.persona, 'Q2', q2ar.question.variant), q2ar.response);
  const q2en = recorded('en', 'Q2')[0]!;
  // Case and surrounding spaces do not matter (the survey writes "Male", the recordings "male").
  const shouted = { ...q2en.persona, sex: ` ${String(q2en.persona.sex).toUpperCase()} ` };
  assert.deepEqual(index.get('en', shouted, 'Q2', q2en.question.variant), q2en.response);
  assert.equal(index.get('en', q2en.persona, 'Q2', 9), undefined);
  assert.equal(index.get('fr', q2en.persona, 'Q2', 0), undefined);
});

test('bad records are InputErrors naming file, line and field', () => {
  const info = parseRecordedFileName('preds_q=19_lang=en_country=egypt_anthro=False_v7.json')!;
  const good = { persona: { sex: 'male' }, question: { id: 'Q19', variant: 0 }, response: ['2'] };
  const text = `[\n ${JSON.stringify(good)},\n ${JSON.stringify({ ...good, response: 'two' })}\n]`;
  assert.throws(() => parseRecordedCompletions(text, 'f.json', info), (e: unknown) => e instanceof InputError && e.location.line === 3 && e.field === 'response');
  const wrongQ = `[${JSON.stringify({ ...good, question: { id: 'Q21', variant: 0 } })}]`;
  assert.throws(() => parseRecordedCompletions(wrongQ, 'f.json', info), /file name says Q19/);
  assert.throws(() => parseRecordedCompletions('[{"persona": ', 'f.json', info), (e: unknown) => e instanceof InputError && e.location.file === 'f.json');
  assert.throws(() => parseRecordedCompletions('{}', 'f.json', info), /JSON array/);
  assert.deepEqual(topLevelElementOffsets('[1, "a,]", {"b": [2, 3]}]'), [1, 4, 11]);
});

test('a folder with no files in the format yields nothing', async () => {
  const r = await loadRecordedCompletions(WVS);
  assert.equal(r.records.length, 0);
});
