import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { importPaperSurvey } from '../../../../src/core/survey/importPaperSurvey';
import { loadPaperSurvey } from '../../../../src/core/survey/loadPaperSurvey';
import { SELECTED, WVS, readText } from '../workspace/sharedData';

const named = (name: string) => ({ file: path.join(WVS, name), text: readText(path.join(WVS, name)) });

test('imports the 31 selected questions in the paper order, EN and AR with 4 variants each', async () => {
  const survey = await loadPaperSurvey(WVS);
  assert.deepEqual(survey.questions.map((q) => q.id), SELECTED);
  assert.equal(survey.questions.length, 31);
  for (const q of survey.questions) {
    assert.equal(q.variants.en.length, 4, q.id);
    assert.equal(q.variants.ar.length, 4, q.id);
    assert.equal(q.options.en.length, q.options.ar.length, q.id);
  }
});

test('nominal questions, themes and "Don\'t know" position follow the paper files', async () => {
  const survey = await loadPaperSurvey(WVS);
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  const nominal = survey.questions.filter((q) => q.scale === 'nominal').map((q) => q.id);
  assert.deepEqual(nominal, ['Q19', 'Q21', 'Q149', 'Q150', 'Q171', 'Q175', 'Q209', 'Q210', 'Q221']);
  const q2 = byId.get('Q2')!;
  assert.deepEqual(q2.options.en, ['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know"]);
  assert.equal(q2.dontKnowIndex, 4);
  assert.equal(q2.options.ar[4], 'لا أعرف');
  assert.equal(q2.theme, 'SOCIAL VALUES, ATTITUDES & STEREOTYPES');
  assert.equal(byId.get('Q142')!.dontKnowIndex, null);
  assert.equal(byId.get('Q234')!.theme, 'POLITICAL INTEREST & POLITICAL PARTICIPATION');
  assert.equal(byId.get('Q239')!.theme, 'POLITICAL CULTURE & POLITICAL REGIMES');
  assert.equal(q2.variants.en[0], 'How important are friends in life?');
  assert.equal(q2.variants.ar[0], 'ما مدى أهمية الأصدقاء في الحياة؟');
  assert.equal(q2.description.en, 'Important in life: Friends');
});

test('without a selection it imports every question of the English dump', () => {
  const survey = importPaperSurvey({
    questions: { en: named('wvs_questions_dump.en.json') },
    options: named('wvs_options.json'),
    themes: named('wvs_themes.json'),
  });
  assert.equal(survey.questions.length, 76);
  assert.ok(survey.questions.every((q) => q.theme !== ''));
});

test('bad paper files are InputErrors naming the file and the question', () => {
  const base = { options: named('wvs_options.json'), themes: named('wvs_themes.json') };
  assert.throws(
    () => importPaperSurvey({ ...base, questions: { en: { file: 'dump.en.json', text: '{\n  "Q1": {\n' } } }),
    (e: unknown) => e instanceof InputError && e.location.file === 'dump.en.json' && /invalid JSON/.test(e.message),
  );
  assert.throws(
    () => importPaperSurvey({ ...base, questions: { en: named('wvs_questions_dump.en.json') }, selected: { file: 'sel.csv', text: 'Q2, Q999' } }),
    (e: unknown) => e instanceof InputError && e.location.file === 'sel.csv' && e.field === 'Q999',
  );
  assert.throws(
    () => importPaperSurvey({ ...base, questions: { en: { file: 'd.json', text: '{"Q2": {"questions": "oops", "options": ["a","b"]}}' } }, selected: { file: 's.csv', text: 'Q2' } }),
    (e: unknown) => e instanceof InputError && e.field === 'Q2.questions',
  );
});
