import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countChatTokens, encodingForModel, loadTokenizer } from '../../../../src/core/run/tokenizer';
import { estimateCost } from '../../../../src/core/run/estimateCost';
import type { ModelOption } from '../../../../src/core/preview/previewModel';

test('encodingForModel: cl100k for GPT-3.5/GPT-4, o200k for GPT-4o and later and unknown names', () => {
  assert.equal(encodingForModel('gpt-3.5-turbo-1106'), 'cl100k_base');
  assert.equal(encodingForModel('gpt-4'), 'cl100k_base');
  assert.equal(encodingForModel('gpt-4-turbo'), 'cl100k_base');
  assert.equal(encodingForModel('gpt-4o-mini'), 'o200k_base');
  assert.equal(encodingForModel('gpt-4.1'), 'o200k_base');
  assert.equal(encodingForModel('o3-mini'), 'o200k_base');
  assert.equal(encodingForModel('my-local-llama'), 'o200k_base');
  assert.equal(encodingForModel(undefined), 'o200k_base');
});

test('countChatTokens: real BPE counts plus the chat framing', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const cl100k = await loadTokenizer('cl100k_base');
  assert.equal(o200k.count('hello world'), 2);
  const msgs = [{ role: 'system' as const, content: 'hello world' }, { role: 'user' as const, content: 'hello world' }];
  // 3 priming + 2 × (3 framing + 1 role + 2 content)
  assert.equal(countChatTokens(msgs, o200k), 3 + 2 * (3 + 1 + 2));
  // Arabic costs far fewer tokens with o200k than with cl100k (why the encoding matters for the AR pane).
  const ar = 'تخيل أنك رجل متزوج من محافظة الفيوم في مصر. عمرك 46 سنة وقد درست حتى مستوى التعليم العالي.';
  assert.ok(o200k.count(ar) < cl100k.count(ar), `${o200k.count(ar)} < ${cl100k.count(ar)}`);
  assert.strictEqual(await loadTokenizer('o200k_base'), o200k, 'loaded once');
});

test('estimateCost: input at the input price plus the bounded output', () => {
  const model: ModelOption = { id: 'm', encoding: 'o200k_base', pricePer1kInput: 0.15, pricePer1kOutput: 0.6, maxTokens: 5, priceSource: 'experiment' };
  assert.equal(estimateCost(1000, model), 0.15 + 0.003);
  assert.equal(estimateCost(1000, model, 5), 0.15 + 0.015);
  assert.equal(estimateCost(1000, { ...model, pricePer1kOutput: null }), 0.15);
  assert.equal(estimateCost(1000, { ...model, pricePer1kInput: null }), null);
  assert.equal(estimateCost(1000, null), null);
});
