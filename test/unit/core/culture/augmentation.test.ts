import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { acceptedParaphrases, acceptPassing, decide, emptyAugmentation, parseAugmentationFile, reviewProgress, serializeAugmentation, undo, type AugmentationFile } from '../../../../src/core/culture/augmentationFile';
import { augmentExperiment, loadAugmentation } from '../../../../src/core/culture/augmentExperiment';
import { applyThreshold, parseParaphrases } from '../../../../src/core/culture/augmentSeeds';
import { cosineSimilarity, createEmbedder } from '../../../../src/core/culture/createEmbedder';
import { expandCultureRequests } from '../../../../src/core/culture/expandCultureRequests';
import { exportFineTuneData } from '../../../../src/core/culture/exportFineTuneData';
import { openCultureExperiment } from '../../../../src/core/culture/openCultureExperiment';
import { InputError } from '../../../../src/core/errors';
import { embedText, FakeOpenAIServer } from '../../../fake-server/FakeOpenAIServer';
import { makeCultureWorkspace, type CultureWorkspace } from './cultureWorkspace';

let server: FakeOpenAIServer;
let ws: CultureWorkspace;
before(async () => {
  server = await new FakeOpenAIServer({ mode: 'scale' }).start();
  ws = makeCultureWorkspace();
});
after(() => server.stop());

const settings = { model: 'm', embeddingModel: 'e', k: 3, tau: 0.8, checkAnswers: false, prompt: 'prompts/paraphrase.en.hbs' };
function sample(): AugmentationFile {
  const a = emptyAugmentation(settings);
  a.candidates = [
    { id: 'Q27#1', questionId: 'Q27', lang: 'en', text: 'How much do you agree that making my parents proud is a main goal?', similarity: 0.91, passed: true, status: 'pending' },
    { id: 'Q27#2', questionId: 'Q27', lang: 'en', text: 'What is your favourite colour?', similarity: 0.12, passed: false, reason: 'similarity 0.120 < τ 0.80', status: 'pending' },
    { id: 'Q28#1', questionId: 'Q28', lang: 'en', text: 'Do children suffer when their mother works for pay?', similarity: 0.79, passed: false, status: 'pending' },
  ];
  return a;
}

test('decisions: accept / edit / reject / reset, each undoable in order; progress; accepted paraphrases use the edit', () => {
  let a = sample();
  a = decide(a, 'Q27#1', { action: 'accept' }, 't1');
  a = decide(a, 'Q28#1', { action: 'accept', edited: 'When a mother works for pay, do her children suffer?' }, 't2');
  a = decide(a, 'Q27#2', { action: 'reject' }, 't3');
  assert.deepEqual(reviewProgress(a), { total: 3, pending: 0, accepted: 2, rejected: 1, passed: 1, edited: 1 });
  assert.deepEqual(acceptedParaphrases(a), { Q27: [{ text: sample().candidates[0]!.text, lang: 'en' }], Q28: [{ text: 'When a mother works for pay, do her children suffer?', lang: 'en' }] });
  assert.equal(a.history.length, 3);
  let u = undo(a);
  assert.equal(u.undone, 'Q27#2');
  assert.equal(u.file.candidates[1]!.status, 'pending');
  u = undo(u.file);
  assert.equal(u.undone, 'Q28#1');
  assert.equal(u.file.candidates[2]!.status, 'pending');
  assert.equal(u.file.candidates[2]!.edited, undefined);
  // Re-editing an accepted candidate, then undoing, restores the earlier edit.
  let b = decide(a, 'Q28#1', { action: 'accept', edited: 'Second wording of the question?' });
  b = undo(b).file;
  assert.equal(b.candidates[2]!.edited, 'When a mother works for pay, do her children suffer?');
  assert.deepEqual(undo(emptyAugmentation(settings)), { file: emptyAugmentation(settings) });
  assert.throws(() => decide(a, 'nope', { action: 'reject' }), RangeError);
  assert.throws(() => decide(a, 'Q27#1', { action: 'accept', edited: '  ' }), /cannot be empty/);
  // The file round-trips, and a broken candidate is located.
  assert.deepEqual(parseAugmentationFile(serializeAugmentation(a), 'a.augment.json'), a);
  const broken = serializeAugmentation(a).replace('"status": "rejected"', '"status": "maybe"');
  assert.throws(() => parseAugmentationFile(broken, 'a.augment.json'), (e: unknown) => e instanceof InputError && e.field === 'status' && e.location.line > 10);
});

test('τ re-applied to stored similarities; accept-passing accepts only passed pending candidates, as "auto"', () => {
  const low = applyThreshold(sample(), 0.75);
  assert.deepEqual(low.candidates.map((c) => c.passed), [true, false, true]);
  assert.equal(low.candidates[2]!.reason, undefined);
  const high = applyThreshold(sample(), 0.95);
  assert.equal(high.candidates[0]!.reason, 'similarity 0.910 < τ 0.95');
  const auto = acceptPassing(decide(low, 'Q28#1', { action: 'reject' }));
  assert.deepEqual(auto.candidates.map((c) => [c.status, c.decidedBy]), [['accepted', 'auto'], ['pending', undefined], ['rejected', 'review']]);
});

test('paraphrase replies: numbering, bullets and quotes stripped; duplicates, the seed and chatter dropped; at most k', () => {
  const reply = 'Here are 4 paraphrases:\n1. "To what extent do you agree X?"\n2) How much do you agree X?\n- How much do you agree X?\n* Do you agree with X?\n3. Would you say X holds?\n4. Fourth wording of X?';
  assert.deepEqual(parseParaphrases(reply, 'Do you agree with X?', 3), ['To what extent do you agree X?', 'How much do you agree X?', 'Would you say X holds?']);
  assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
  assert.ok(Math.abs(cosineSimilarity([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.equal(cosineSimilarity([0, 0], [1, 1]), 0);
});

test('the fake server answers /v1/embeddings through the openai SDK with deterministic vectors', async () => {
  const embed = await createEmbedder({ baseURL: server.baseURL, model: 'fake-embed' }, () => 'sk-e');
  const [a, b, c] = await embed(['Do you agree with Work is a duty towards society?', 'How much do you agree that Work is a duty towards society?', 'What is your favourite colour?']);
  assert.deepEqual(a, embedText('Do you agree with Work is a duty towards society?'));
  assert.ok(cosineSimilarity(a!, b!) > 0.8 && cosineSimilarity(a!, c!) < 0.5, `${cosineSimilarity(a!, b!)} ${cosineSimilarity(a!, c!)}`);
  server.configure({ mode: 'scale', script: () => ({ kind: 'status', status: 401 }) });
  await assert.rejects(embed(['x']), (e: Error & { fatalForRun?: boolean }) => /HTTP 401/.test(e.message) && e.fatalForRun === true);
  server.configure({ mode: 'scale' });
});

test('augment a few seeds: k candidates each, similarity ≥ τ passes, the answer check, saved; accepted ones become variants and fine-tuning records', async () => {
  const augmentation = { file: 'augment/seeds.augment.json', model: { id: 'para', kind: 'openai', baseURL: server.baseURL, model: 'fake-para', maxRetries: 2 }, embeddings: { baseURL: server.baseURL, model: 'fake-embed' }, k: 4, tau: 0.8, checkAnswers: true, checkSamples: 1 };
  const file = ws.write({ models: [{ id: 'm', kind: 'openai', baseURL: server.baseURL }], questions: ['Q27', 'Q28', 'Q30'], samples: 1, augmentation, variants: 'all' }, 'aug.culture.json');
  let exp = await openCultureExperiment(file);
  assert.equal(loadAugmentation(exp).exists, false);
  const result = await augmentExperiment(exp, { keys: () => 'sk-x', questions: ['Q27', 'Q28'] });
  assert.equal(result.added, 8);
  assert.deepEqual(result.failed, []);
  const saved = parseAugmentationFile(fs.readFileSync(path.join(ws.dir, 'augment/seeds.augment.json'), 'utf8'), 'x');
  assert.deepEqual(saved.candidates.map((c) => c.id), ['Q27#1', 'Q27#2', 'Q27#3', 'Q27#4', 'Q28#1', 'Q28#2', 'Q28#3', 'Q28#4']);
  assert.equal(saved.seeds.Q27, exp.seeds[0]!.text.en);
  const colour = saved.candidates.filter((c) => c.text === 'What is your favourite colour?');
  assert.equal(colour.length, 2);
  for (const c of colour) assert.match(c.reason!, /^similarity -?0\.\d+ < τ 0\.80$/);
  for (const c of saved.candidates) {
    assert.ok(c.similarity !== null);
    assert.equal(c.passed, c.similarity! >= 0.8 && (c.answerCheck?.agree ?? false));
    if (c.similarity! >= 0.8) assert.ok(c.answerCheck && c.answerCheck.seed !== null, `${c.id} checked`);
  }
  // A second run skips augmented seeds; --more would ask again.
  const again = await augmentExperiment(exp, { keys: () => 'sk-x', questions: ['Q27'] });
  assert.deepEqual([again.added, again.skipped], [0, ['Q27']]);
  // Accept two (one edited), reject one: the culture experiment asks seed + 2 variants for Q27, fine-tuning gets 2 more records.
  let a = decide(saved, 'Q27#1', { action: 'accept' });
  a = decide(a, 'Q27#2', { action: 'accept', edited: 'Is making your parents proud one of your main goals in life?' });
  a = decide(a, 'Q28#3', { action: 'reject' });
  fs.writeFileSync(path.join(ws.dir, 'augment/seeds.augment.json'), serializeAugmentation(a));
  exp = await openCultureExperiment(file);
  const items = [...expandCultureRequests(exp)].filter((i) => i.condition === 'chinese/m');
  assert.deepEqual(items.map((i) => `${i.questionId}#${i.variant}`), ['Q27#0', 'Q27#1', 'Q27#2', 'Q28#0', 'Q30#0']);
  assert.match(items[2]!.messages[1]!.content, /^请给出从1到4的答案：Is making your parents proud one of your main goals in life\? 1\. Strongly agree/);
  const ft = exportFineTuneData(exp, { countTokens: (t) => t.length, heldOutFraction: 0 });
  const zh = ft.files.find((f) => f.cultureId === 'chinese')!;
  assert.equal(zh.paraphraseRecords, 2);
  assert.ok(zh.text.includes('Is making your parents proud one of your main goals in life?'));
  assert.ok(ft.valid);
});
