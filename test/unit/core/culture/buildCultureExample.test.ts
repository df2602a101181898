import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildCultureExample } from '../../../../src/core/culture/buildCultureExample';
import { openCultureExperiment } from '../../../../src/core/culture/openCultureExperiment';
import { executeCultureRun, prepareCultureRun } from '../../../../src/core/culture/runCultureExperiment';
import { scoreCultureRun } from '../../../../src/core/culture/scoreCultureRun';
import { DATA, ROOT } from '../workspace/sharedData';

const EXAMPLE = path.join(ROOT, 'examples/culturellm');
const files = buildCultureExample({ dataDir: DATA, promptsDir: path.join(ROOT, 'prompts') });

test('regenerating the CultureLLM example gives exactly the committed files; under 2 MB', () => {
  for (const [rel, text] of files) {
    const onDisk = path.join(EXAMPLE, rel);
    assert.ok(fs.existsSync(onDisk), `${rel} is missing: run node scripts/make-culture-example.mjs`);
    assert.equal(fs.readFileSync(onDisk, 'utf8'), text, `${rel} differs: run node scripts/make-culture-example.mjs`);
  }
  assert.ok([...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0) < 2e6);
});

test('the offline experiment runs end to end from the example folder: six cultures, both models, the comparison', async () => {
  const exp = await openCultureExperiment(path.join(EXAMPLE, 'cultures.culture.json'));
  assert.deepEqual(exp.spec.cultures.map((c) => c.id), ['arabic', 'chinese', 'english', 'german', 'turkish', 'egyptian']);
  assert.deepEqual(exp.truths.map((t) => t.respondents), [2403, 3036, 303, 1528, 2415, 303]);
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-clm-'));
  const prepared = prepareCultureRun(exp, { runsDir });
  assert.equal(prepared.estimate.samples, 6 * 2 * 50 * 20);
  assert.equal(prepared.estimate.recordedRequests, 12000);
  const { runDir, summary } = await executeCultureRun(prepared, { keys: () => undefined, flushIntervalMs: 20 });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.failed, 0);
  const report = scoreCultureRun(runDir);
  assert.equal(report.scores.length, 12);
  assert.ok(report.scores.every((s) => s.unparsed > 0 && s.unparsed < s.samples * 0.03), 'about 1 in 100 replies is a refusal');
  const acc = (culture: string) => report.comparison!.deltas.find((d) => d.cultureId === culture && d.metric === 'jsd')!.delta;
  // The simulation moves the non-Western cultures most (see the README: simulated, not real models).
  for (const c of ['arabic', 'chinese', 'egyptian']) assert.ok(acc(c).low > 0, `${c} ${JSON.stringify(acc(c))}`);
  assert.ok(acc('english').low < 0 && acc('english').high > 0, 'no change for English');
  const held = await openCultureExperiment(path.join(EXAMPLE, 'heldout.culture.json'));
  assert.equal(held.questions.length, 10);
  await openCultureExperiment(path.join(EXAMPLE, 'live.culture.json'));
});
