import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterPersonas } from '../../../../src/core/preview/filterPersonas';
import { normalizeSearchText } from '../../../../src/core/preview/normalizeSearchText';
import { personaOption } from '../../../../src/core/preview/personaOption';
import { personas } from './fixture';

const options = personas.map(personaOption);

test('personaOption: a readable label from the English values, every field searchable', () => {
  const o = options[0];
  assert.equal(o.id, 'egypt-0000');
  assert.equal(o.label, 'male, 46, married — Fayoum, Egypt — higher education, lower middle class');
  assert.equal(o.fields.region, 'Fayoum');
  assert.equal(o.fields['ar.region'], 'الفيوم');
  assert.match(o.search, /fayoum/);
  assert.match(o.search, /الفيوم/);
});

test('filterPersonas: an empty query keeps every persona in order', () => {
  assert.deepEqual(filterPersonas(options, '  ').map((o) => o.id), options.map((o) => o.id));
});

test('filterPersonas: free terms match any field in any language, all terms must match', () => {
  const women = filterPersonas(options, 'female');
  assert.ok(women.length > 0 && women.length < options.length);
  assert.ok(women.every((o) => o.fields.sex === 'female'));
  // "male" is a substring of "female": a field search is the precise way.
  assert.ok(filterPersonas(options, 'sex:male').every((o) => o.fields.sex === 'male'));
  const arabic = filterPersonas(options, 'امرأة');
  assert.deepEqual(arabic.map((o) => o.id), women.map((o) => o.id));
  assert.deepEqual(filterPersonas(options, 'female fayoum').map((o) => o.id), women.filter((o) => o.fields.region === 'Fayoum').map((o) => o.id));
  assert.deepEqual(filterPersonas(options, 'female nowhere-at-all'), []);
});

test('filterPersonas: field:value — numbers exact, text by prefix, unknown field matches nothing', () => {
  const age = options[1].fields.age;
  const byAge = filterPersonas(options, `age:${age}`);
  assert.ok(byAge.length >= 1 && byAge.every((o) => o.fields.age === age));
  assert.deepEqual(filterPersonas(options, 'age:4').filter((o) => o.fields.age !== '4'), []);
  assert.ok(filterPersonas(options, 'Marital_Status:marr').length > 0);
  assert.deepEqual(filterPersonas(options, 'shoe:42'), []);
});

test('normalizeSearchText folds Arabic spellings and digits', () => {
  assert.equal(normalizeSearchText('القاهرة'), normalizeSearchText('القاهره'));
  assert.equal(normalizeSearchText('أسيوط'), normalizeSearchText('اسيوط'));
  assert.equal(normalizeSearchText('مُطلّق'), 'مطلق');
  assert.equal(normalizeSearchText('عمرك ٣٤'), 'عمرك 34');
  assert.equal(normalizeSearchText('  Café  Cairo '), 'cafe cairo');
});
