import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { ChatMessage } from '../../../../src/core/model';
import { buildDrillDown } from '../../../../src/core/results/buildDrillDown';
import { loadRunResults } from '../../../../src/core/results/loadRunResults';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../../src/core/run/executeRun';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { prepareRun } from '../../../../src/core/run/prepareRun';
import { readResponses } from '../../../../src/core/run/readRun';
import { requestHash, requestHashBase } from '../../../../src/core/run/requestHash';
import { makeRunWorkspace, type RunWorkspace } from '../run/runWorkspace';

let ws: RunWorkspace;
before(async () => {
  ws = await makeRunWorkspace(['Q2', 'Q42'], 3);
  // A partial named `.handlebars` and a template with front matter: every reader must follow the same conventions.
  const prompts = path.join(ws.dir, 'prompts');
  fs.renameSync(path.join(prompts, 'partials/question.en.hbs'), path.join(prompts, 'partials/question.en.handlebars'));
  // (Its wording differs from persona.en.hbs: identical prompts would share request hashes.)
  fs.writeFileSync(path.join(prompts, 'styled.en.hbs'), `---\nreasoning: false\n---\n${fs.readFileSync(path.join(prompts, 'persona.en.hbs'), 'utf8').replace('Imagine', 'Picture')}`);
});

test('the drill-down re-renders exactly the prompt the run sent (request hashes equal), .handlebars partials included', async () => {
  const file = ws.write({ conditions: [
    { id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'gpt35-recorded' },
    { id: 'styled', template: 'prompts/styled.en.hbs', lang: 'en', model: 'gpt35-recorded' },
    { id: 'ar', template: 'prompts/persona.ar.hbs', lang: 'ar', model: 'gpt35-recorded' },
  ] }, 'drill.experiment.json');
  const opened = await openExperiment(file, createTemplateRenderer);
  const prepared = prepareRun(opened, { runsDir: path.join(ws.dir, '.alignment', 'runs'), resume: 'never' });
  const { runDir } = await executeRun(prepared, { keys: () => undefined, workspaceDir: ws.dir });
  const records = [...readResponses(path.join(runDir, 'responses.jsonl'))];
  assert.ok(records.length > 0);
  const run = await loadRunResults(runDir);
  const model = run.manifest.experiment.models[0]!;
  let checked = 0;
  for (const personaId of new Set(records.map((r) => r.personaId))) {
    for (const questionId of ['Q2', 'Q42']) {
      const d = buildDrillDown(run, personaId, questionId);
      for (const c of d.conditions) {
        for (const v of c.variants) {
          assert.ok(v.prompt, `${c.condition} ${personaId} ${questionId} v${v.variant}: the drill-down rendered a prompt`);
          const base = requestHashBase(model, v.prompt as ChatMessage[]);
          for (const s of v.samples) {
            const rec = records.find((r) => r.condition === c.condition && r.personaId === personaId && r.questionId === questionId && r.variant === v.variant && r.sample === s.sample)!;
            assert.equal(requestHash(base, s.sample), rec.hash, `${c.condition} ${personaId} ${questionId} v${v.variant} s${s.sample}`);
            checked++;
          }
        }
      }
    }
  }
  assert.equal(checked, records.length, 'every sample of the run checked');
  // The partial is really used: the English prompt holds the question block it lays out.
  const first = buildDrillDown(run, records[0]!.personaId, 'Q2').conditions[0]!.variants[0]!.prompt!;
  assert.match(first.map((m) => m.content).join('\n'), /\(1\) Very important/);
});
