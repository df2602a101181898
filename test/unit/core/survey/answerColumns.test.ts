import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { importWvsRespondentsWithColumns } from '../../../../src/core/persona/importWvsRespondents';
import { parseCsv } from '../../../../src/core/persona/parseCsv';
import { describeAnswerColumns, resolveAnswerColumns } from '../../../../src/core/survey/answerColumns';
import { checkSurvey } from '../../../../src/core/survey/checkSurvey';
import { diagnoseSurvey } from '../../../../src/core/survey/diagnoseSurvey';
import { parseSurvey } from '../../../../src/core/survey/parseSurvey';
import { parseStructured } from '../../../../src/core/workspace/parseStructured';
import { coding } from '../persona/wvsFixture';
import { ROOT, SELECTED, WVS, readText } from '../workspace/sharedData';

const EG = path.join(WVS, 'eg_wvs_wave7_v7_n303.csv');
const US = path.join(WVS, 'us_wvs_wave7_v7_n303.csv');
const headerOf = (file: string) => parseCsv(readText(file), file).header;

test("the authors' rule: Egypt's Q78 reads the last matching column, EG_Q78A (private banks); the US reads Q78", () => {
  const eg = resolveAnswerColumns(headerOf(EG), SELECTED, { file: EG, country: 'egypt' });
  const q78 = eg.find((c) => c.questionId === 'Q78')!;
  assert.equal(q78.code, 'EG_Q78A');
  assert.equal(q78.header, 'EG_Q78A Confidence: Private banks');
  assert.equal(q78.rule, 'authors');
  assert.deepEqual(q78.candidates, ['Q78 Confidence: Banks', 'EG_Q78A Confidence: Private banks']);
  // Q234 (skipped by scoring) has a Q234A column after it in the Egypt file, read the same way.
  assert.equal(eg.find((c) => c.questionId === 'Q234')!.code, 'Q234A');
  // Every other selected question reads its own column.
  for (const c of eg) if (c.questionId !== 'Q78' && c.questionId !== 'Q234') assert.equal(c.code, c.questionId);
  const us = resolveAnswerColumns(headerOf(US), SELECTED, { file: US, country: 'united states' });
  assert.equal(us.find((c) => c.questionId === 'Q78')!.code, 'Q78');
  assert.deepEqual(describeAnswerColumns(eg, 'eg.csv'), [
    `Q78 reads column "EG_Q78A Confidence: Private banks" in eg.csv (the authors' rule: the last column matching Q<n> among Q78, EG_Q78A)`,
    `Q234 reads column "${eg.find((c) => c.questionId === 'Q234')!.header}" in eg.csv (the authors' rule: the last column matching Q<n> among Q234, Q234A)`,
  ]);
});

test('the pattern is searched anywhere in a header, one optional word character after the number, then a space', () => {
  const header = ['Q1 First', 'X_Q1B Later one', 'Q12 Twelve', 'Q123 Other', 'Q2AB Two letters', 'Q3 Three'];
  const cols = resolveAnswerColumns(header, ['Q1', 'Q12', 'Q3'], { file: 'h.csv' }).map((c) => c.code);
  assert.deepEqual(cols, ['X_Q1B', 'Q12', 'Q3']);
  // "Q2AB" has two letters before the space: no match, so Q2 has no column at all.
  assert.throws(() => resolveAnswerColumns(header, ['Q2'], { file: 'h.csv' }), (e: unknown) => e instanceof InputError && e.field === 'answers.Q2' && /h\.csv:1:1/.test(e.message));
});

test('a survey "column" overrides the rule, for every country or per country; an unknown column is a located error', () => {
  const header = headerOf(EG);
  const one = resolveAnswerColumns(header, [{ id: 'Q78', column: 'Q78' }], { file: EG, country: 'egypt' })[0]!;
  assert.equal(one.code, 'Q78');
  assert.equal(one.rule, 'survey');
  const byCountry = resolveAnswerColumns(header, [{ id: 'Q78', column: { 'united states': 'Q78' } }], { file: EG, country: 'egypt' })[0]!;
  assert.equal(byCountry.code, 'EG_Q78A', 'a country not listed keeps the rule');
  const full = resolveAnswerColumns(header, [{ id: 'Q78', column: 'Q78 Confidence: Banks' }], { file: EG })[0]!;
  assert.equal(full.index, one.index, 'a full header names the column too');
  assert.throws(() => resolveAnswerColumns(header, [{ id: 'Q78', column: 'EG_Q78B' }], { file: EG, country: 'egypt' }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.field, 'Q78.column');
    assert.match(e.message, /eg_wvs_wave7_v7_n303\.csv:1:1: Q78: the survey's "column" names EG_Q78B, which is not a column of this file \(the authors' rule would read EG_Q78A\)/);
    return true;
  });
});

test('the import reads the chosen column: Q78 answers differ between EG_Q78A and Q78 for real Egypt respondents', () => {
  const text = readText(EG);
  const authors = importWvsRespondentsWithColumns(text, { file: EG, answers: { questions: SELECTED, coding } });
  const banks = importWvsRespondentsWithColumns(text, { file: EG, answers: { questions: SELECTED.map((id) => (id === 'Q78' ? { id, column: 'Q78' } : id)), coding } });
  assert.equal(authors.columns.find((c) => c.questionId === 'Q78')!.code, 'EG_Q78A');
  assert.equal(banks.columns.find((c) => c.questionId === 'Q78')!.code, 'Q78');
  const differ = authors.personas.filter((p, i) => p.answers.Q78 !== banks.personas[i]!.answers.Q78).length;
  assert.ok(differ > 50, `${differ} respondents answered the two questions differently`);
  for (const [i, p] of authors.personas.entries()) for (const q of SELECTED) if (q !== 'Q78') assert.equal(p.answers[q], banks.personas[i]!.answers[q]);
});

test('checkSurvey validates "column", lists the columns and shows a question that reads another column', () => {
  const q = (column: unknown) => ({ questions: [{ id: 'Q78', options: { en: ['A', 'B'] }, variants: { en: ['?'] }, column }] });
  const text = JSON.stringify(q({ egypt: 'EG_Q78A' }), null, 2);
  const line = text.slice(0, text.indexOf('"column"')).split('\n').length;
  const ok = checkSurvey(parseStructured(text, 's.survey.json'));
  assert.deepEqual(ok.columns, [{ questionId: 'Q78', column: { egypt: 'EG_Q78A' } }]);
  assert.deepEqual(ok.survey.questions[0]!.column, { egypt: 'EG_Q78A' });
  const info = ok.diagnostics.filter((d) => d.severity === 'info');
  assert.equal(info.length, 1);
  assert.equal(info[0]!.message, 'Q78: real answers are read from EG_Q78A in egypt');
  assert.equal(info[0]!.line, line);
  assert.deepEqual(checkSurvey(parseStructured(JSON.stringify(q('Q78')), 's.survey.json')).diagnostics, [], 'its own column: nothing to say');
  for (const bad of [7, '', {}, { egypt: 3 }]) {
    assert.throws(() => parseSurvey(JSON.stringify(q(bad), null, 2), 's.survey.json'), (e: unknown) => e instanceof InputError && e.field === 'questions[0].column' && e.location.line === line);
  }
});

test('the bundled example survey says which column each question reads (Q78: EG_Q78A in Egypt)', () => {
  const file = path.join(ROOT, 'examples/wvs-egypt-us/survey/wvs-31.survey.json');
  const survey = parseSurvey(readText(file), file);
  const q78 = survey.questions.find((q) => q.id === 'Q78')!;
  assert.deepEqual(q78.column, { egypt: 'EG_Q78A', 'united states': 'Q78' });
  assert.equal(survey.questions.find((q) => q.id === 'Q2')!.column, 'Q2');
  const shown = diagnoseSurvey(readText(file), file).filter((d) => d.severity === 'info').map((d) => d.message);
  assert.deepEqual(shown, ['Q78: real answers are read from EG_Q78A in egypt, Q78 in united states', 'Q234: real answers are read from Q234A in egypt, Q234 in united states']);
});
