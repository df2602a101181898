import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../../../src/core/errors';
import { importWvsRespondents } from '../../../../src/core/persona/importWvsRespondents';
import { TWIN_FIELDS } from '../../../../src/core/persona/personaFields';
import { WVS_ARABIC_VALUES } from '../../../../src/core/persona/wvsArabicValues';
import { SELECTED, WVS, readText, recorded } from '../workspace/sharedData';
import { coding, importCountry } from './wvsFixture';

const egypt = importCountry('eg');
const us = importCountry('us');

test('imports 303 respondents per country with stable ids and country keys', () => {
  assert.equal(egypt.length, 303);
  assert.equal(us.length, 303);
  assert.equal(egypt[0].id, 'egypt-0001');
  assert.equal(egypt[302].id, 'egypt-0303');
  assert.equal(us[0].id, 'united-states-0001');
  assert.ok(egypt.every((p) => p.country === 'egypt'));
  assert.ok(us.every((p) => p.country === 'united states'));
});

test('English and Arabic persona values equal the recorded GPT-3.5 completions exactly, row by row', () => {
  for (const lang of ['en', 'ar'] as const) {
    for (const qid of ['Q2', 'Q171']) {
      const items = recorded(lang, qid);
      assert.equal(items.length, 303 * 4);
      egypt.forEach((p, i) => {
        for (let v = 0; v < 4; v++) assert.deepEqual(p.values[lang], items[i * 4 + v].persona, `${p.id} ${lang} ${qid}`);
      });
    }
  }
});

test('the Arabic dictionary matches the paper templates position by position', () => {
  const en = parseYaml(readText(path.join(WVS, 'wvs_template.en.yml'))).persona_parameters;
  const ar = parseYaml(readText(path.join(WVS, 'wvs_template.ar.yml'))).persona_parameters;
  const pairs: [string, string[], string[]][] = [
    ['sex', en.Sex, ar.Sex], ['marital_status', en['Marital Status'], ar['Marital Status']],
    ['education', en.Education, ar.Education], ['social_class', en['Social Class'], ar['Social Class']],
    ['region', en.Region.Egypt, ar.Region.Egypt], ['region', en.Region.US, ar.Region.US],
    ['country', en.Country, ar.Country],
  ];
  for (const [field, enValues, arValues] of pairs) {
    assert.equal(enValues.length, arValues.length);
    enValues.forEach((value, i) => assert.equal(WVS_ARABIC_VALUES[field][value], arValues[i], `${field} ${value}`));
  }
});

test('the (sex, age, marital status, education, social class) tuple is unique and Egypt and the US share all 303', () => {
  const key = (p: (typeof egypt)[number]) => TWIN_FIELDS.map((f) => p.values.en[f]).join('|');
  const eg = new Set(egypt.map(key));
  const usKeys = new Set(us.map(key));
  assert.equal(eg.size, 303);
  assert.equal(usKeys.size, 303);
  assert.deepEqual([...eg].sort(), [...usKeys].sort());
});

test('real answers follow the paper coding: response map, then option labels; missing is null', () => {
  // Hand-checked against the CSV: Q142 uses the response-map quirk "A great deal" → 1, options give "A good deal" → 2.
  assert.equal(coding('Q142', 'A great deal'), 1);
  assert.equal(coding('Q142', 'Very much'), 1);
  assert.equal(coding('Q142', 'Not at all'), 4);
  assert.equal(coding('Q142', "Don't know"), null);
  assert.equal(coding('Q2', "Don't know"), 5);
  assert.equal(coding('Q2', 'No answer'), null);
  assert.equal(coding('Q19', 'Mentioned'), 1);
  assert.equal(coding('Q171', 'Never, practically never'), 7);
  assert.equal(coding('Q2', '-2'), null);
  assert.equal(coding('Q2', 'Maybe'), undefined);
  for (const p of [...egypt, ...us]) {
    assert.deepEqual(Object.keys(p.answers), SELECTED);
    for (const a of Object.values(p.answers)) assert.ok(a === null || (Number.isInteger(a) && a >= 1 && a <= 7));
  }
  // Counts from the raw CSV: Egypt Q142 has 4 "No answer" and 6 "Don't know" (→ -1) = 10 missing.
  assert.equal(egypt.filter((p) => p.answers.Q142 === null).length, 10);
  assert.equal(egypt.filter((p) => p.answers.Q142 === 1).length, 132 + 69);
});

test('US regions drop the state code; foreign-born respondents keep their country of birth', () => {
  assert.ok(us.every((p) => !/^[A-Z]{2} /.test(p.values.en.region)));
  assert.ok(us.some((p) => p.values.en.country === 'India' && p.values.ar.country === 'الهند'));
  // "No answer" as country of birth falls back to the survey country.
  assert.ok(us.every((p) => p.values.en.country !== 'No answer'));
});

test('bad WVS input is an InputError naming file, line and field', () => {
  const header = 'B_COUNTRY Country;N_REGION_WVS Region;Q260 Sex;Q262 Age;Q266 Birth;Q273 Marital;Q275R Edu;Q287 Class;Q2 Friends';
  const ok = 'Egypt;EG: Cairo;Male;30;Egypt;Married;Higher;Working class;Very important';
  const run = (rows: string[], q = ['Q2']) => importWvsRespondents([header, ...rows].join('\n'), { file: 'w.csv', answers: { questions: q, coding } });
  assert.equal(run([ok]).length, 1);
  const expectError = (rows: string[], line: number, field: RegExp, q?: string[]) =>
    assert.throws(() => run(rows, q), (e: unknown) => e instanceof InputError && e.location.file === 'w.csv' && e.location.line === line && field.test(e.field ?? ''));
  expectError([ok, 'Egypt;EG: Cairo;Male;thirty;Egypt;Married;Higher;Working class;Very important'], 3, /Q262/);
  expectError([ok, ok, 'Egypt;EG: Atlantis;Male;30;Egypt;Married;Higher;Working class;Very important'], 4, /region/);
  expectError([ok.replace('Very important', 'Maybe')], 2, /Q2/);
  expectError([ok], 1, /Q999/, ['Q999']);
  expectError(['Egypt;EG: Cairo;No answer;30;Egypt;Married;Higher;Working class;Very important'], 2, /sex/);
  const skipped = importWvsRespondents([header, 'Egypt;EG: Cairo;No answer;30;Egypt;Married;Higher;Working class;Very important', ok].join('\n'), { file: 'w.csv', skipIncomplete: true });
  assert.deepEqual(skipped.map((p) => p.id), ['egypt-0002']);
});
