import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentSpec } from '../../../../src/core/experiment';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { executeRun } from '../../../../src/core/run/executeRun';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { prepareRun } from '../../../../src/core/run/prepareRun';
import { readRun } from '../../../../src/core/run/readRun';
import { experimentScoringSettings, runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { ROOT } from '../workspace/sharedData';

test('a run\'s scores do not depend on the order its answers were written in (live runs finish out of order, batch outputs come in any order)', async () => {
  // The example's recorded GPT-3.5 answers for 8 Egypt respondents, EN vs AR compared (paired deltas with per-persona bootstraps).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-order-'));
  fs.cpSync(path.join(ROOT, 'examples/wvs-egypt-us'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.alignment${path.sep}`) });
  const base = JSON.parse(fs.readFileSync(path.join(dir, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as ExperimentSpec;
  const file = path.join(dir, 'order.experiment.json');
  fs.writeFileSync(file, JSON.stringify({ ...base, personaFilter: { countries: ['egypt'], limit: 8 }, questions: ['Q19', 'Q42', 'Q62', 'Q142', 'Q199'], scoring: { ...base.scoring, sameAnswerFilter: false } }));
  const exp = await openExperiment(file, createTemplateRenderer);
  const { runDir } = await executeRun(prepareRun(exp, { runsDir: path.join(dir, '.alignment/runs'), resume: 'never' }), { keys: () => undefined, workspaceDir: dir });
  const shuffled = path.join(path.dirname(runDir), `${path.basename(runDir)}-shuffled`);
  fs.cpSync(runDir, shuffled, { recursive: true });
  const lines = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean);
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  fs.writeFileSync(path.join(shuffled, 'responses.jsonl'), `${lines.join('\n')}\n`);
  const score = async (dir: string): Promise<unknown> => {
    const { source: _source, ...rest } = scoreResponses((await runScoringInput(readRun(dir))).input, experimentScoringSettings(exp.plan.spec));
    return rest;
  };
  const [a, b] = [await score(runDir), await score(shuffled)];
  assert.ok(((a as { deltas: { personas: unknown[] }[] }).deltas[0]?.personas.length ?? 0) > 0, 'per-persona deltas are computed');
  assert.deepEqual(b, a);
});
