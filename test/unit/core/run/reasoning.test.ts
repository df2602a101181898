import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { createAnswerParser } from '../../../../src/core/run/createAnswerParser';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { parseExperiment } from '../../../../src/core/run/parseExperiment';
import { scoringConditions } from '../../../../src/core/score/runScoringInput';
import { makeRunWorkspace, type RunWorkspace } from './runWorkspace';

let ws: RunWorkspace;
before(async () => {
  ws = await makeRunWorkspace(['Q2'], 1);
});

const REPLY = 'As an anthropologist I weigh (1) family and (3) friends.\nSo:\n(2)';
const item = (condition: string) => ({ condition, options: ['Very important', 'Rather important', 'Not very important', 'Not at all important'] });

test('a condition declares "reasoning": true; scoring and the write-time parse read the last line', async () => {
  const file = ws.write({ conditions: [
    { id: 'plain', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt35-recorded' },
    { id: 'thinks', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt35-recorded', reasoning: true },
  ] }, 'declared.experiment.json');
  const { spec } = (await openExperiment(file, createTemplateRenderer)).plan;
  assert.deepEqual(spec.conditions.map((c) => c.reasoning), [undefined, true]);
  const parse = createAnswerParser(spec);
  assert.equal(parse(REPLY, item('plain')), 1, 'no declaration: the whole reply, first (k)');
  assert.equal(parse(REPLY, item('thinks')), 2);
  assert.deepEqual(scoringConditions(spec).map((c) => c.reasoning), [false, true]);
});

test("a template's front matter declares it for every condition using it; a condition's own value wins", async () => {
  const file = ws.write({ conditions: [
    { id: 'anthro', template: 'prompts/anthro.en.hbs', lang: 'en', model: 'gpt35-recorded' },
    { id: 'anthro-off', template: 'prompts/anthro.en.hbs', lang: 'en', model: 'gpt35-recorded', reasoning: false },
    { id: 'plain', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt35-recorded' },
  ] }, 'front.experiment.json');
  const { spec } = (await openExperiment(file, createTemplateRenderer)).plan;
  assert.deepEqual(spec.conditions.map((c) => c.reasoning), [true, false, undefined]);
  // The name does not matter: a template called anything, declaring reasoning, is a reasoning template.
  fs.writeFileSync(path.join(ws.dir, 'prompts/thinking.en.hbs'), `---\nreasoning: true\n---\n${fs.readFileSync(path.join(ws.dir, 'prompts/persona.en.hbs'), 'utf8')}`);
  fs.copyFileSync(path.join(ws.dir, 'prompts/anthro.en.hbs'), path.join(ws.dir, 'prompts/anthro-copy.en.hbs'));
  fs.writeFileSync(path.join(ws.dir, 'prompts/anthro-copy.en.hbs'), fs.readFileSync(path.join(ws.dir, 'prompts/anthro.en.hbs'), 'utf8').replace('reasoning: true', 'reasoning: false'));
  const named = ws.write({ conditions: [
    { id: 'a', template: 'prompts/thinking.en.hbs', lang: 'en', model: 'gpt35-recorded' },
    { id: 'b', template: 'prompts/anthro-copy.en.hbs', lang: 'en', model: 'gpt35-recorded' },
  ] }, 'named.experiment.json');
  const s2 = (await openExperiment(named, createTemplateRenderer)).plan.spec;
  assert.deepEqual(s2.conditions.map((c) => c.reasoning), [true, undefined]);
});

test('"reasoning" must be true or false (located); a bad front matter stops the experiment at the template line', async () => {
  const text = JSON.stringify({ name: 'e', survey: 's', personas: 'p', models: [{ id: 'm', kind: 'replay', completions: 'r' }], conditions: [{ id: 'c', template: 't.hbs', lang: 'en', model: 'm', reasoning: 'yes' }] }, null, 2);
  assert.throws(() => parseExperiment(text, 'x.experiment.json'), (e: unknown) => e instanceof InputError && e.field === 'reasoning' && text.split('\n')[e.location.line - 1]!.includes('"reasoning": "yes"'));
  fs.writeFileSync(path.join(ws.dir, 'prompts/broken.en.hbs'), '---\nreasoning: sometimes\n---\n{{#user}}x{{/user}}\n');
  const file = ws.write({ conditions: [{ id: 'c', template: 'prompts/broken.en.hbs', lang: 'en', model: 'gpt35-recorded' }] }, 'broken.experiment.json');
  await assert.rejects(openExperiment(file, createTemplateRenderer), (e: unknown) => e instanceof InputError && e.location.line === 2 && /broken\.en\.hbs/.test(e.location.file) && /must be true or false/.test(e.message));
});
