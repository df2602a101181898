import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { loadPersonas } from '../../../../src/core/persona/loadPersonas';
import { ROOT } from '../workspace/sharedData';
import { importCountry } from './wvsFixture';

test('loads the example personas (JSONL) equal to a fresh import of the same real respondents', async () => {
  const personas = await loadPersonas(path.join(ROOT, 'examples/wvs-egypt-us/personas/wvs-egypt-us.personas.jsonl'));
  assert.equal(personas.length, 100);
  const egypt = new Map(importCountry('eg').map((p) => [p.id, p]));
  for (const p of personas.filter((x) => x.country === 'egypt')) assert.deepEqual(p, egypt.get(p.id));
});

test('loads a CSV with BOM, ; delimiter, quoted fields and empty answers', async () => {
  const [eg, us] = await loadPersonas(path.join(ROOT, 'test/fixtures/persona/bom-semicolon.personas.csv'));
  assert.equal(eg.id, 'egypt-0001');
  assert.deepEqual(eg.values.ar.region, 'الفيوم');
  assert.equal(us.id, 'us-1');
  assert.equal(us.country, 'united states');
  assert.equal(us.values.en.country, 'United States');
  assert.deepEqual(us.answers, { Q2: null, Q149: 1 });
});

test('a missing file rejects; bad content is an InputError with the file name', async () => {
  await assert.rejects(loadPersonas(path.join(ROOT, 'test/fixtures/persona/nope.jsonl')), /ENOENT/);
  const file = path.join(ROOT, 'test/fixtures/persona/bom-semicolon.personas.csv');
  await assert.doesNotReject(loadPersonas(file));
  await assert.rejects(loadPersonas(path.join(ROOT, 'test/fixtures/survey/two-questions.survey.yaml')), (e: unknown) => e instanceof InputError && /two-questions/.test(e.location.file));
});
