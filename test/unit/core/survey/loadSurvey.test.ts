import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { diagnoseSurvey } from '../../../../src/core/survey/diagnoseSurvey';
import { importPaperSurvey } from '../../../../src/core/survey/importPaperSurvey';
import { loadSurvey } from '../../../../src/core/survey/loadSurvey';
import { parseRangeMap } from '../../../../src/core/survey/parseRangeMap';
import { ROOT, WVS, readText } from '../workspace/sharedData';

test('loads the example workspace survey (JSON) and a YAML survey fixture', async () => {
  const example = await loadSurvey(path.join(ROOT, 'examples/wvs-egypt-us/survey/wvs-31.survey.json'));
  assert.equal(example.questions.length, 31);
  const yamlFile = path.join(ROOT, 'test/fixtures/survey/two-questions.survey.yaml');
  const survey = await loadSurvey(yamlFile);
  assert.deepEqual(survey.questions.map((q) => [q.id, q.scale, q.dontKnowIndex]), [['Q2', 'ordinal', 4], ['Q149', 'nominal', null]]);
  assert.equal(survey.source, yamlFile);
  // Q149 has no Arabic variant: a warning located at its "variants" line.
  const [warning] = diagnoseSurvey(readText(yamlFile), 'two.survey.yaml');
  assert.equal(warning.code, 'survey.missing-language');
  assert.equal(warning.line, readText(yamlFile).split('\n').findIndex((l, i) => i > 17 && l.trim() === 'variants:') + 1);
  await assert.rejects(loadSurvey(path.join(ROOT, 'test/fixtures/survey/missing.survey.json')), /ENOENT/);
});

test('a question missing from the Arabic dump is imported without "ar" and flagged by diagnoseSurvey', () => {
  const named = (name: string) => ({ file: name, text: readText(path.join(WVS, name)) });
  const ar = JSON.parse(readText(path.join(WVS, 'wvs_questions_dump.ar.json')));
  delete ar.Q19;
  const survey = importPaperSurvey({
    questions: { en: named('wvs_questions_dump.en.json'), ar: { file: 'ar.json', text: JSON.stringify(ar) } },
    options: named('wvs_options.json'), themes: named('wvs_themes.json'), selected: { file: 's.csv', text: 'Q2, Q19' },
  });
  assert.deepEqual(Object.keys(survey.questions[1].variants), ['en']);
  const text = JSON.stringify({ languages: ['en', 'ar'], questions: survey.questions }, null, 2);
  const missing = diagnoseSurvey(text, 'x.survey.json').filter((d) => d.code === 'survey.missing-language');
  assert.deepEqual(missing.map((d) => d.field), ['Q19.variants.ar', 'Q19.options.ar']);
});

test('range maps: "1-6" and "57" keys; a bad key is an InputError naming it', () => {
  const lookup = parseRangeMap({ '1-6': 'a', '57': 'b' }, 'r.json');
  assert.equal(lookup(1), 'a');
  assert.equal(lookup(6), 'a');
  assert.equal(lookup(57), 'b');
  assert.equal(lookup(7), undefined);
  assert.throws(() => parseRangeMap({ 'x-2': 1 }, 'r.json'), (e: unknown) => e instanceof InputError && e.field === 'x-2');
});
