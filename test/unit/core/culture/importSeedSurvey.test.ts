import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChatJsonl, parseSeedMessage, seedUserMessage } from '../../../../src/core/culture/importSeedSurvey';
import { loadSeedSurvey } from '../../../../src/core/culture/loadCultureLLMData';
import { InputError } from '../../../../src/core/errors';
import { readText } from '../workspace/sharedData';
import { COUNTRY_FILES, ENGLISH_JSONL, WVS } from './cultureData';

const seeds = loadSeedSurvey(ENGLISH_JSONL, COUNTRY_FILES[0]!, WVS);

test('50 seed questions with their scales, in the column order of the country tables', () => {
  assert.equal(seeds.length, 50);
  assert.equal(seeds[0]!.id, 'Q27');
  assert.equal(seeds[49]!.id, 'Q233');
  const scales = new Map<string, number>();
  for (const q of seeds) scales.set(`${q.min}-${q.max}`, (scales.get(`${q.min}-${q.max}`) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(scales), { '1-4': 28, '1-5': 9, '0-2': 8, '1-10': 5 });
  const q122 = seeds.find((q) => q.id === 'Q122')!;
  assert.deepEqual(q122.options.en, [{ code: 2, label: 'Agree' }, { code: 1, label: 'Hard to say' }, { code: 0, label: 'Disagree' }]);
  const q158 = seeds.find((q) => q.id === 'Q158')!;
  assert.deepEqual(q158.options.en.map((o) => o.code), [1, 10], 'only the ends are labelled');
  assert.equal(q158.text.en, 'Do you agree with Science and technology are making our lives healthier, easier, and more comfortable.?');
});

test('the misprinted Q31 options ("2. agree 4. Disagree") get their positional codes; the message still prints verbatim', () => {
  const q31 = seeds.find((q) => q.id === 'Q31')!;
  assert.deepEqual(q31.options.en.map((o) => o.code), [1, 2, 3, 4]);
  assert.deepEqual(q31.printedCodes, [1, 2, 4, 4]);
});

test('every seed prints back exactly as the paper user message', () => {
  const records = parseChatJsonl(readText(ENGLISH_JSONL), ENGLISH_JSONL);
  seeds.forEach((q, i) => assert.equal(seedUserMessage(q), records[i]!.messages[1]!.content, q.id));
});

test('Arabic text and options where the AlKhamissi et al. dump has the question with matching labels (11 of 50)', () => {
  const ar = seeds.filter((q) => q.text.ar);
  assert.deepEqual(ar.map((q) => q.id), ['Q123', 'Q124', 'Q126', 'Q127', 'Q158', 'Q160', 'Q162', 'Q169', 'Q224', 'Q225', 'Q229']);
  const q124 = seeds.find((q) => q.id === 'Q124')!;
  assert.deepEqual(q124.options.ar, [{ code: 2, label: 'أوافق' }, { code: 1, label: 'من الصعب القول' }, { code: 0, label: 'لا أوافق' }]);
  assert.match(seedUserMessage(q124, 'ar'), /^Give me the answer from 0 to 2: .*أوافق.* You can only choose one option\.$/);
});

test('malformed seed messages are located errors', () => {
  assert.throws(() => parseSeedMessage('What? 1. a 2. b. You can only choose one option.', { file: 'f.jsonl', line: 7 }), (e: unknown) => e instanceof InputError && e.location.line === 7 && /Give me the answer/.test(e.message));
  assert.throws(() => parseSeedMessage('Give me the answer from 1 to 4: Why? You can only choose one option.', { file: 'f.jsonl', line: 2 }), /f\.jsonl:2:1: no numbered options/);
  assert.throws(() => parseChatJsonl('{"messages": []}\n{oops\n', 'g.jsonl'), /g\.jsonl:2:1: not valid JSON/);
});
