import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parsePersonas } from '../../../../src/core/persona/parsePersonas';
import { TWIN_FIELDS } from '../../../../src/core/persona/personaFields';
import { parseExperiment } from '../../../../src/core/run/parseExperiment';
import { parseSurvey } from '../../../../src/core/survey/parseSurvey';
import { buildExampleWorkspace } from '../../../../src/core/workspace/buildExampleWorkspace';
import { DATA, ROOT } from './sharedData';

const EXAMPLE = path.join(ROOT, 'examples/wvs-egypt-us');
const files = buildExampleWorkspace({ dataDir: DATA, promptsDir: path.join(ROOT, 'prompts') });

test('regenerating the example gives exactly the committed files', () => {
  assert.ok(files.size >= 70);
  for (const [rel, text] of files) {
    const onDisk = path.join(EXAMPLE, rel);
    assert.ok(fs.existsSync(onDisk), `${rel} is missing: run node scripts/make-example.mjs`);
    assert.equal(fs.readFileSync(onDisk, 'utf8'), text, `${rel} differs: run node scripts/make-example.mjs`);
  }
});

test('the example is small: under 5 MB', () => {
  const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
  assert.ok(bytes < 5e6, `${bytes} bytes`);
});

test('50 Egypt personas and their 50 US twins with real answers to the 31 questions', () => {
  const survey = parseSurvey(files.get('survey/wvs-31.survey.json')!, 'wvs-31.survey.json');
  assert.equal(survey.questions.length, 31);
  const personas = parsePersonas(files.get('personas/wvs-egypt-us.personas.jsonl')!, 'p.jsonl');
  const egypt = personas.filter((p) => p.country === 'egypt');
  const us = personas.filter((p) => p.country === 'united states');
  assert.equal(egypt.length, 50);
  assert.equal(us.length, 50);
  egypt.forEach((p, i) => {
    for (const f of TWIN_FIELDS) assert.equal(us[i].values.en[f], p.values.en[f]);
    assert.equal(Object.keys(p.answers).length, 31);
    assert.ok(p.values.ar);
  });
});

test('recorded completions cover every example Egypt persona × question × variant in both languages', () => {
  const personas = parsePersonas(files.get('personas/wvs-egypt-us.personas.jsonl')!, 'p.jsonl').filter((p) => p.country === 'egypt');
  for (const lang of ['en', 'ar']) {
    const recordedFiles = [...files.keys()].filter((k) => k.startsWith(`recorded/gpt-3.5-turbo-1106/egypt/${lang}/`));
    assert.equal(recordedFiles.length, 31);
    for (const rel of recordedFiles) {
      const items = JSON.parse(files.get(rel)!) as { persona: Record<string, unknown>; question: { variant: number } }[];
      assert.equal(items.length, 200, rel);
      const keys = new Set(items.map((i) => JSON.stringify(i.persona)));
      assert.equal(keys.size, 50);
      for (const p of personas) assert.ok(keys.has(JSON.stringify(p.values[lang])), `${p.id} in ${rel}`);
    }
  }
});

test('both experiment files are valid and point at existing files', () => {
  for (const name of ['egypt-en-vs-ar.experiment.json', 'live-anthro-vs-plain.experiment.json']) {
    const { spec, warnings } = parseExperiment(files.get(name)!, name);
    assert.deepEqual(warnings, []);
    assert.ok(files.has(spec.survey) && files.has(spec.personas));
    for (const c of spec.conditions) assert.ok(files.has(c.template), c.template);
  }
  const plain = parseExperiment(files.get('egypt-en-vs-ar.experiment.json')!, 'e.json').spec;
  assert.deepEqual(plain.conditions.map((c) => c.id), ['en-plain', 'ar-plain']);
  assert.equal(plain.samples, 5);
  assert.deepEqual(plain.models[0], { id: 'replay-gpt35', kind: 'replay', completions: 'recorded/gpt-3.5-turbo-1106' });
  assert.deepEqual(plain.scoring, {
    profile: 'paper', tieBreak: 'expected', sameAnswerFilter: true, twinCountry: 'united states', compare: ['en-plain', 'ar-plain'],
    stop: { excludesZero: true, minPersonas: 20, method: 'normal-mixture' },
  });
});
