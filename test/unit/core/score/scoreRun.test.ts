import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import type { ExperimentSpec, ResponseRecord, RunManifest } from '../../../../src/core/experiment';
import { parsePersonas } from '../../../../src/core/persona/parsePersonas';
import { indexRecordedCompletions } from '../../../../src/core/recorded/indexRecordedCompletions';
import { loadRecordedCompletions } from '../../../../src/core/recorded/loadRecordedCompletions';
import { readRunDirectory } from '../../../../src/core/score/readRunDirectory';
import { recordedScoringInput } from '../../../../src/core/score/recordedScoringInput';
import { runScoringInput } from '../../../../src/core/score/runScoringInput';
import { scoreResponses } from '../../../../src/core/score/scoreResponses';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';
import { parseSurvey } from '../../../../src/core/survey/parseSurvey';
import { ROOT, readText } from '../workspace/sharedData';

const EXAMPLE = path.join(ROOT, 'examples/wvs-egypt-us');
const EXPERIMENT = path.join(EXAMPLE, 'egypt-en-vs-ar.experiment.json');

/**
 * Writes a run directory as the run engine would, replaying the example's recorded completions for its Egypt
 * personas through the recorded index (the replay model's lookup), one JSONL line per sample.
 */
async function writeReplayRun(): Promise<{ dir: string; lines: string[] }> {
  const spec = JSON.parse(readText(EXPERIMENT)) as ExperimentSpec;
  const personas = parsePersonas(readText(path.join(EXAMPLE, spec.personas)), spec.personas).filter((p) => p.country === 'egypt');
  const survey = parseSurvey(readText(path.join(EXAMPLE, spec.survey)), spec.survey);
  const index = indexRecordedCompletions((await loadRecordedCompletions(path.join(EXAMPLE, 'recorded'))).records);
  const lines: string[] = [];
  let t = 0;
  for (const c of spec.conditions) {
    for (const p of personas) {
      for (const q of survey.questions) {
        for (const variant of spec.variants ?? [0, 1, 2, 3]) {
          const replies = index.get(c.lang, p.values[c.lang]!, q.id, variant);
          assert.ok(replies, `recorded ${c.lang} ${p.id} ${q.id} ${variant}`);
          replies.forEach((text, sample) => {
            const r: ResponseRecord = { hash: `${c.id}-${p.id}-${q.id}-${variant}-${sample}`, condition: c.id, model: c.model, lang: c.lang, personaId: p.id, questionId: q.id, variant, sample, text, cached: true, t: t++ };
            lines.push(JSON.stringify(r));
          });
        }
      }
    }
  }
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'score-run-'));
  const dir = path.join(ws, '.alignment/runs/replay-1');
  fs.mkdirSync(dir, { recursive: true });
  const manifest: RunManifest = { runId: 'replay-1', experimentFile: EXPERIMENT, experiment: spec, createdAt: new Date(0).toISOString(), plannedRequests: lines.length, recorded: true, status: 'completed' };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'responses.jsonl'), `${lines.join('\n')}\n`);
  return { dir, lines };
}

test('scoring a run directory equals scoring the same recorded completions directly', async () => {
  const { dir, lines } = await writeReplayRun();
  const run = readRunDirectory(dir);
  assert.equal(run.responses.length, lines.length);
  assert.equal(run.tornLastLine, false);
  const input = await runScoringInput(run);
  assert.deepEqual(input.compare, [['en-plain', 'ar-plain']]);
  assert.equal(input.twins!.length, 50);
  const fromRun = scoreResponses(input, scoringSettings('paper', { bootstrapResamples: 100, permutationResamples: 100 }));

  // The same answers read as recorded completions, matched to the same personas by their demographics.
  const spec = run.manifest.experiment;
  const personas = parsePersonas(readText(path.join(EXAMPLE, spec.personas)), spec.personas);
  const egypt = personas.filter((p) => p.country === 'egypt');
  const rec = recordedScoringInput((await loadRecordedCompletions(path.join(EXAMPLE, 'recorded'))).records, egypt, { model: 'replay-gpt35' });
  const direct = scoreResponses({
    questions: input.questions, conditions: rec.conditions, items: rec.items, personas: egypt,
    twins: personas.filter((p) => p.country === 'united states'),
  }, scoringSettings('paper', { bootstrapResamples: 0, permutationResamples: 0 }));
  for (const [runId, recId] of [['en-plain', 'en'], ['ar-plain', 'ar']]) {
    const a = fromRun.conditions.find((c) => c.condition === runId)!;
    const b = direct.conditions.find((c) => c.condition === recId)!;
    assert.equal(a.scores.items, b.scores.items);
    assert.ok(a.scores.items > 3000, `items ${a.scores.items}`);
    assert.ok(Math.abs(a.scores.soft - b.scores.soft) < 1e-12);
    assert.ok(Math.abs(a.scores.hard - b.scores.hard) < 1e-12);
    assert.equal(a.recorded, true);
  }
  const delta = fromRun.deltas.find((d) => d.metric === 'soft')!;
  assert.equal(`${delta.a}→${delta.b}`, 'en-plain→ar-plain');
  assert.ok(delta.overall.delta > 0, 'Arabic above English on the 50-persona subset too');
  fs.rmSync(path.resolve(dir, '../../..'), { recursive: true, force: true });
});

test('a torn last line is ignored; duplicates (resume) count once; a corrupt line elsewhere names its line', async () => {
  const { dir, lines } = await writeReplayRun();
  const file = path.join(dir, 'responses.jsonl');
  fs.writeFileSync(file, `${lines.slice(0, 10).join('\n')}\n${lines[3]}\n${lines[10]!.slice(0, 25)}`);
  const run = readRunDirectory(dir);
  assert.equal(run.responses.length, 10);
  assert.equal(run.duplicates, 1);
  assert.equal(run.tornLastLine, true);

  fs.writeFileSync(file, `${lines[0]}\n{"hash": "x", oops\n${lines[1]}\n`);
  assert.throws(() => readRunDirectory(dir), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.location.file === file);
  fs.writeFileSync(file, `${lines[0]}\n${JSON.stringify({ hash: 'y', condition: 'en-plain', personaId: 'egypt-0001', variant: 0, sample: 0, text: '2', t: 0 })}\n`);
  assert.throws(() => readRunDirectory(dir), (e: unknown) => e instanceof InputError && e.location.line === 2 && e.field === 'questionId');
  fs.rmSync(path.join(dir, 'manifest.json'));
  assert.throws(() => readRunDirectory(dir), /not a run directory/);
  fs.rmSync(path.resolve(dir, '../../..'), { recursive: true, force: true });
});
