import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFineTuneData } from '../../../../src/core/culture/exportFineTuneData';
import { openCultureExperiment } from '../../../../src/core/culture/openCultureExperiment';
import { readText } from '../workspace/sharedData';
import { ARABIC_JSONL } from './cultureData';
import { GERMAN, makeCultureWorkspace, TURKISH } from './cultureWorkspace';

const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;
const ws = makeCultureWorkspace();
const model = { id: 'm', kind: 'openai', baseURL: 'http://127.0.0.1:9/v1' };

test('without a held-out part, the Arabic file is the paper\'s Arabic file (its 4 not-asked records left out)', async () => {
  const exp = await openCultureExperiment(ws.write({ models: [model] }, 'ft.culture.json'));
  const out = exportFineTuneData(exp, { countTokens: words, heldOutFraction: 0 });
  const arabic = out.files.find((f) => f.cultureId === 'arabic')!;
  const paper = readText(ARABIC_JSONL).trim().split('\n').filter((_, i) => ![9, 42, 59, 92].includes(i)).map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(arabic.text.trim().split('\n').map((l) => JSON.parse(l) as unknown), paper);
  assert.deepEqual(arabic.skipped, ['block 1 Q36', 'block 1 Q226', 'block 2 Q36', 'block 2 Q226']);
  assert.ok(out.valid);
});

test('per culture and all cultures (CultureLLM-One); held-out questions in no file; every file validates; estimate', async () => {
  const exp = await openCultureExperiment(ws.write({ models: [model], cultures: [GERMAN, TURKISH] }, 'ft2.culture.json'));
  const out = exportFineTuneData(exp, { countTokens: words, heldOutFraction: 0.2, seed: 7, labels: 'majority', epochs: 2, pricePer1MTraining: 10 });
  assert.deepEqual(out.files.map((f) => f.name), ['german.jsonl', 'turkish.jsonl', 'culturellm-one.jsonl']);
  assert.equal(out.split.heldOut.length, 10);
  assert.equal(out.split.train.length, 40);
  const held = exp.seeds.filter((q) => out.split.heldOut.includes(q.id)).map((q) => q.text.en!);
  for (const f of out.files) {
    assert.deepEqual(f.report.errors, [], f.name);
    for (const line of f.text.trim().split('\n')) for (const t of held) assert.ok(!line.includes(t), `${f.name} leaks a held-out question`);
  }
  const [de, tr, one] = out.files;
  assert.equal(one!.text, de!.text + tr!.text);
  assert.match(de!.text.split('\n')[0]!, /"You are an German chatbot that know German very well\."/);
  // majority labels: the German majority of the first training question.
  const first = JSON.parse(de!.text.split('\n')[0]!) as { messages: Array<{ content: string }> };
  const q = exp.seeds.find((s) => first.messages[1]!.content.includes(s.text.en!))!;
  assert.equal(first.messages[2]!.content, String(exp.truths.find((t) => t.cultureId === 'german')!.questions[q.id]!.majority));
  assert.equal(out.trainingTokens, (de!.report.totalTokens + tr!.report.totalTokens) * 2);
  assert.ok(Math.abs(out.cost! - (out.trainingTokens / 1e6) * 10) < 1e-9);
});
