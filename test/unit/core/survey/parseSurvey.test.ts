import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { InputError } from '../../../../src/core/errors';
import { diagnoseSurvey } from '../../../../src/core/survey/diagnoseSurvey';
import { loadPaperSurvey } from '../../../../src/core/survey/loadPaperSurvey';
import { parseSurvey } from '../../../../src/core/survey/parseSurvey';
import { WVS } from '../workspace/sharedData';

const good = {
  languages: ['en', 'ar'],
  questions: [
    {
      id: 'Q2', theme: 'Social values', scale: 'ordinal', dontKnowIndex: 2,
      description: { en: 'Friends' },
      options: { en: ['Important', 'Not important', "Don't know"], ar: ['مهم', 'ليس مهما', 'لا أعرف'] },
      variants: { en: ['How important are friends?'], ar: ['ما مدى أهمية الأصدقاء؟'] },
    },
  ],
};

test('round-trips the real imported survey through JSON and YAML', async () => {
  const survey = await loadPaperSurvey(WVS);
  const file = { languages: ['en', 'ar'], questions: survey.questions };
  assert.deepEqual(parseSurvey(JSON.stringify(file, null, 2), 'wvs.survey.json').questions, survey.questions);
  assert.deepEqual(parseSurvey(stringify(file), 'wvs.survey.yaml').questions, survey.questions);
  assert.deepEqual(diagnoseSurvey(JSON.stringify(file), 'wvs.survey.json'), []);
});

test('accepts a UTF-8 BOM and fills defaults', () => {
  const s = parseSurvey('\uFEFF' + JSON.stringify({ questions: [{ ...good.questions[0], dontKnowIndex: undefined, theme: undefined }] }), 'a.survey.json');
  assert.equal(s.questions[0].dontKnowIndex, null);
  assert.equal(s.questions[0].theme, '');
});

test('a JSON syntax error names file, line and column', () => {
  const text = '{\n  "questions": [\n    { "id": "Q1" "scale": "ordinal" }\n  ]\n}';
  assert.throws(() => parseSurvey(text, 'bad.survey.json'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.location.file, 'bad.survey.json');
    assert.equal(e.location.line, 3);
    assert.equal(e.location.column, 18);
    return true;
  });
});

test('a YAML syntax error names the line', () => {
  const text = 'questions:\n  - id: Q1\n    options: [a, b\n  - id: Q2\n';
  assert.throws(() => parseSurvey(text, 'bad.survey.yaml'), (e: unknown) => e instanceof InputError && e.location.line >= 3 && /YAML/.test(e.message));
});

test('an invalid field is an InputError pointing at that field', () => {
  const bad = structuredClone(good);
  (bad.questions[0] as Record<string, unknown>).scale = 'interval';
  const text = JSON.stringify(bad, null, 2);
  assert.throws(() => parseSurvey(text, 's.survey.json'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.field, 'questions[0].scale');
    assert.equal(e.location.line, text.split('\n').findIndex((l) => l.includes('"interval"')) + 1);
    return true;
  });
});

test('option lists of different lengths and an out-of-range dontKnowIndex are errors', () => {
  const bad = structuredClone(good);
  bad.questions[0].options.ar = ['مهم', 'ليس مهما'];
  bad.questions[0].dontKnowIndex = 7;
  const text = stringify(bad);
  const diags = diagnoseSurvey(text, 's.survey.yaml');
  assert.deepEqual(diags.filter((d) => d.severity === 'error').map((d) => d.code).sort(), ['survey.bad-field', 'survey.option-count']);
  const count = diags.find((d) => d.code === 'survey.option-count')!;
  assert.equal(count.field, 'questions[0].options.ar');
  // It points at the "ar:" key under options (a block list starts on the next line).
  const lines = text.split('\n');
  const optionsLine = lines.findIndex((l) => l.trim() === 'options:');
  assert.equal(count.line, optionsLine + lines.slice(optionsLine).findIndex((l) => l.trim() === 'ar:') + 1);
});

test('a question missing its Arabic variant is a warning with a location', () => {
  const bad = structuredClone(good);
  delete (bad.questions[0].variants as Record<string, unknown>).ar;
  const text = JSON.stringify(bad, null, 2);
  const diags = diagnoseSurvey(text, 's.survey.json');
  const missing = diags.find((d) => d.code === 'survey.missing-language');
  assert.ok(missing, JSON.stringify(diags));
  assert.equal(missing.severity, 'warning');
  assert.equal(missing.field, 'Q2.variants.ar');
  assert.equal(missing.line, text.split('\n').findIndex((l) => l.includes('"variants"')) + 1);
  // Still usable: warnings do not stop parsing.
  assert.equal(parseSurvey(text, 's.survey.json').questions.length, 1);
});

test('duplicate ids and missing required fields are reported', () => {
  const text = JSON.stringify({ questions: [good.questions[0], good.questions[0], { id: 'Q3' }] });
  const codes = diagnoseSurvey(text, 's.survey.json').map((d) => d.code);
  assert.ok(codes.includes('survey.duplicate-id'));
  assert.ok(codes.includes('survey.missing-field'));
  assert.throws(() => parseSurvey('[1, 2]', 'x.survey.json'), InputError);
});
