import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { parsePersonas } from '../../../../src/core/persona/parsePersonas';
import { importCountry } from './wvsFixture';

const egypt = importCountry('eg');

test('JSONL round-trip of real imported personas (both languages, answers)', () => {
  const text = egypt.map((p) => JSON.stringify(p)).join('\n') + '\n';
  assert.deepEqual(parsePersonas(text, 'personas.jsonl'), egypt);
  assert.deepEqual(parsePersonas('\uFEFF' + text, 'personas.ndjson'), egypt);
});

test('CSV personas: <lang>.<field> columns, bare fields are English, answer.<Q> columns, ; delimiter, quotes', () => {
  const csv = [
    'id;country;region;sex;age;marital_status;education;social_class;ar.region;ar.sex;ar.country;ar.marital_status;ar.education;ar.social_class;answer.Q2;answer.Q19',
    'eg-1;Egypt;"Beni Swaif/Beni Suef";male;46;married;higher;lower middle class;بني سويف;رجل;مصر;متزوج;التعليم العالي;المتوسطة الدنيا;2;',
  ].join('\r\n');
  const [p] = parsePersonas(csv, 'p.csv');
  assert.equal(p.id, 'eg-1');
  assert.equal(p.country, 'egypt');
  assert.equal(p.values.en.country, 'Egypt');
  assert.equal(p.values.en.age, 46);
  assert.equal(p.values.ar.age, 46);
  assert.equal(p.values.ar.region, 'بني سويف');
  assert.deepEqual(p.answers, { Q2: 2, Q19: null });
});

test('bad JSONL: syntax error and invalid fields name the line and field', () => {
  const good = JSON.stringify(egypt[0]);
  assert.throws(() => parsePersonas(`${good}\n{"id": "x",\n`, 'p.jsonl'), (e: unknown) => e instanceof InputError && e.location.line === 2 && /invalid JSON/.test(e.message));
  const noAge = structuredClone(egypt[1]);
  (noAge.values.ar as Record<string, unknown>).age = 'old';
  assert.throws(() => parsePersonas(`${good}\n\n${JSON.stringify(noAge)}`, 'p.jsonl'), (e: unknown) => e instanceof InputError && e.location.line === 3 && e.field === 'values.ar.age');
  assert.throws(() => parsePersonas(`${good}\n${good}`, 'p.jsonl'), (e: unknown) => e instanceof InputError && e.field === 'id' && e.location.line === 2);
  const badAnswer = { ...egypt[2], answers: { Q2: 0 } };
  assert.throws(() => parsePersonas(JSON.stringify(badAnswer), 'p.jsonl'), (e: unknown) => e instanceof InputError && e.field === 'answers.Q2');
});

test('bad CSV personas name the line and column', () => {
  assert.throws(() => parsePersonas('id,region\n1,Cairo', 'p.csv'), (e: unknown) => e instanceof InputError && e.field === 'country');
  const header = 'id,country,region,sex,age,marital_status,education,social_class,answer.Q2';
  assert.throws(() => parsePersonas(`${header}\na,egypt,Cairo,male,30,married,higher,working class,x`, 'p.csv'), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.field === 'answer.Q2');
  assert.throws(() => parsePersonas(`${header}\na,egypt,Cairo,,30,married,higher,working class,1`, 'p.csv'), (e: unknown) => e instanceof InputError && e.field === 'values.en.sex');
});
