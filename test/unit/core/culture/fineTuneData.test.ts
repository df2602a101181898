import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFineTuneRecords, splitHeldOut, toJsonl } from '../../../../src/core/culture/fineTuneData';
import { loadCountryTable, loadSeedSurvey } from '../../../../src/core/culture/loadCultureLLMData';
import { paperFineTuneLabel } from '../../../../src/core/culture/paperFineTuneLabel';
import { validateFineTuneJsonl } from '../../../../src/core/culture/validateFineTuneJsonl';
import { readText } from '../workspace/sharedData';
import { ARABIC_JSONL, COUNTRY_FILES, ENGLISH_JSONL, WVS } from './cultureData';

const seeds = loadSeedSurvey(ENGLISH_JSONL, COUNTRY_FILES[0]!, WVS);
const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;
const labelsOf = (file: string): Record<string, number | null> => {
  const t = loadCountryTable(file);
  return Object.fromEntries(t.questions.map((q) => [q, paperFineTuneLabel(t, q)]));
};

test('rebuilds the paper Arabic file from the Iraq and Jordan tables: identical except the 4 not-asked records', () => {
  const { records, skipped } = buildFineTuneRecords(seeds, [{ labels: labelsOf(COUNTRY_FILES[0]!) }, { labels: labelsOf(COUNTRY_FILES[1]!) }], { cultureName: 'Arabic' });
  assert.deepEqual(skipped, ['block 1 Q36', 'block 1 Q226', 'block 2 Q36', 'block 2 Q226']);
  const paper = readText(ARABIC_JSONL).trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const kept = paper.filter((_, i) => ![7 + 2, 42, 50 + 9, 50 + 42].includes(i));
  assert.equal(records.length, 96);
  assert.deepEqual(records, kept);
});

test('the paper files validate; a broken file gives located errors', () => {
  for (const f of [ARABIC_JSONL, ENGLISH_JSONL]) {
    const r = validateFineTuneJsonl(readText(f), f, { countTokens: words, pricePer1MTraining: 8, epochs: 3 });
    assert.deepEqual(r.errors, [], f);
    assert.equal(r.records, 100);
    assert.equal(r.tokens.length, 100);
    assert.equal(r.trainingTokens, r.totalTokens * 3);
    assert.ok(r.cost! > 0);
  }
  const bad = [
    '{"messages":[{"role":"system","content":"s"},{"role":"user","content":"Give me the answer from 1 to 4: Q? 1. a 2. b 3. c 4. d. You can only choose one option."},{"role":"assistant","content":"7"}]}',
    '{"messages":[{"role":"user","content":"hi"},{"role":"bot","content":"x"}]}',
    'not json',
    '{"messages":[{"role":"assistant","content":"1"},{"role":"user","content":"q"}]}',
    '{"messages":[{"role":"user","content":""},{"role":"assistant","content":"1"},{"role":"assistant","content":"2"}]}',
  ].join('\n');
  const r = validateFineTuneJsonl(bad, 'bad.jsonl', { countTokens: words });
  const at = r.errors.map((e) => `${e.line}:${e.field}`);
  assert.deepEqual(at, ['1:messages[2].content', '2:messages[1].role', '2:messages', '3:', '4:messages', '5:messages[0].content', '5:messages']);
  assert.match(r.errors[0]!.message, /answer "7" is not one number from 1 to 4/);
  assert.equal(validateFineTuneJsonl(bad, 'bad.jsonl', { countTokens: words, maxTokensPerRecord: 20 }).errors.filter((e) => /tokens/.test(e.message)).length, 1);
});

test('held-out split is seeded, disjoint and complete; training records leave the held-out questions out', () => {
  const ids = seeds.map((q) => q.id);
  const a = splitHeldOut(ids, 0.2, 3);
  assert.deepEqual(a, splitHeldOut(ids, 0.2, 3));
  assert.notDeepEqual(a.heldOut, splitHeldOut(ids, 0.2, 4).heldOut);
  assert.equal(a.heldOut.length, 10);
  assert.deepEqual([...a.train, ...a.heldOut].sort(), [...ids].sort());
  const { records } = buildFineTuneRecords(seeds, [{ labels: labelsOf(COUNTRY_FILES[2]!) }], { cultureName: 'Chinese', questions: new Set(a.train) });
  const heldTexts = seeds.filter((q) => a.heldOut.includes(q.id)).map((q) => q.text.en!);
  for (const r of records) for (const t of heldTexts) assert.ok(!r.messages[1]!.content.includes(t));
  assert.throws(() => splitHeldOut(ids, 1), RangeError);
});

test('paraphrases become extra records with the seed label; the output is valid JSONL', () => {
  const q27 = seeds.slice(0, 1);
  const { records } = buildFineTuneRecords(q27, [{ labels: { Q27: 1 } }], { cultureName: 'German', paraphrases: { Q27: ['Do you agree that making my parents proud has been a main goal of my life?'] } });
  assert.equal(records.length, 2);
  assert.equal(records[1]!.messages[1]!.content, 'Give me the answer from 1 to 4: Do you agree that making my parents proud has been a main goal of my life? 1. Strongly agree 2. agree 3. Disagree 4. Strongly disagree. You can only choose one option.');
  assert.equal(records[1]!.messages[2]!.content, '1');
  assert.deepEqual(validateFineTuneJsonl(toJsonl(records), 'x.jsonl', { countTokens: words }).errors, []);
});
