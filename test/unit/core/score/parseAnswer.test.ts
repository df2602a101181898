import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnswer, unicodeDigitsToInt } from '../../../../src/core/score/parseAnswer';
import { scoringSettings } from '../../../../src/core/score/scoringSettings';

const paper = scoringSettings('paper');
const strict = scoringSettings('strict');
// Q2 of the paper, English and Arabic.
const en = ['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know"];
const ar = ['مهم جدا', 'مهم إلى حد ما', 'ليس مهما', 'ليس مهما على الإطلاق', 'لا أعرف'];
const ctxEn = { options: en, allOptions: [en, ar], dontKnowIndex: 4 };
const ctxAr = { options: ar, allOptions: [en, ar], dontKnowIndex: 4 };
const p = (text: string | null, ctx = ctxEn, s = paper) => parseAnswer(text, ctx, s);

test('paper rule 1: "(k)" anywhere wins, out of range is invalid without trying other rules', () => {
  assert.deepEqual(p('(3) Not very'), { answer: 3, rule: 'paren' });
  assert.deepEqual(p('I choose (2) because 4'), { answer: 2, rule: 'paren' });
  assert.deepEqual(p('(9) rather'), { answer: null, reason: 'out-of-range' });
  assert.deepEqual(p('(٣) ليس', ctxAr), { answer: 3, rule: 'paren' });
});

test('paper rule 2: the whole reply as a substring of an option, first option wins; empty → option 1 (quirk)', () => {
  assert.deepEqual(p('Rather'), { answer: 2, rule: 'option-text' });
  assert.deepEqual(p('  NOT VERY important '), { answer: 3, rule: 'option-text' });
  assert.deepEqual(p('important'), { answer: 1, rule: 'option-text' });
  assert.deepEqual(p("Don't know"), { answer: 5, rule: 'option-text' });
  assert.deepEqual(p('لا أعرف', ctxAr), { answer: 5, rule: 'option-text' });
  assert.deepEqual(p(''), { answer: 1, rule: 'empty-first-option' });
  assert.deepEqual(p('   '), { answer: 1, rule: 'empty-first-option' });
});

test('paper rules 3 and 4: "(k" then any number in any script, first one; range checked', () => {
  assert.deepEqual(p('I choose option (2'), { answer: 2, rule: 'open-paren' });
  assert.deepEqual(p('3) ليس', ctxAr), { answer: 3, rule: 'number' });
  assert.deepEqual(p('Answer: 2'), { answer: 2, rule: 'number' });
  assert.deepEqual(p('2\n\nThank you for'), { answer: 2, rule: 'number' });
  assert.deepEqual(p('٣', ctxAr), { answer: 3, rule: 'number' });
  assert.deepEqual(p('۴', ctxAr), { answer: 4, rule: 'number' }); // Persian digit four
  assert.deepEqual(p('6'), { answer: null, reason: 'out-of-range' });
  assert.deepEqual(p('0'), { answer: null, reason: 'out-of-range' });
  assert.deepEqual(p('Option Chosen:'), { answer: null, reason: 'no-match' });
  assert.deepEqual(p('الاختي', ctxAr), { answer: null, reason: 'no-match' });
  assert.deepEqual(p(null), { answer: null, reason: 'failed-request' });
});

test('paper profile matches option text in the prompt language only; strict in any language', () => {
  assert.deepEqual(p('Rather important', ctxAr), { answer: null, reason: 'no-match' });
  assert.deepEqual(p('Rather important', ctxAr, strict), { answer: 2, rule: 'option-text' });
});

test('strict profile: empty is unparsed, leading numbers only, exact or unique-prefix option text, DK phrases', () => {
  assert.deepEqual(p('', ctxEn, strict), { answer: null, reason: 'empty' });
  assert.deepEqual(p('2.', ctxEn, strict), { answer: 2, rule: 'number' });
  assert.deepEqual(p('2) Rather important', ctxEn, strict), { answer: 2, rule: 'number' });
  assert.deepEqual(p('(2) Rather', ctxEn, strict), { answer: 2, rule: 'paren' });
  assert.deepEqual(p('Answer: 2', ctxEn, strict), { answer: null, reason: 'no-match' });
  assert.deepEqual(p('Rather', ctxEn, strict), { answer: 2, rule: 'option-text' });
  assert.deepEqual(p('important', ctxEn, strict), { answer: null, reason: 'no-match' }); // not a prefix of one option
  assert.deepEqual(p('Not', ctxEn, strict), { answer: null, reason: 'no-match' }); // prefix of two options
  assert.deepEqual(p('I do not know', ctxEn, strict), { answer: null, reason: 'no-match' });
  assert.deepEqual(p('do not know', ctxEn, strict), { answer: 5, rule: 'option-text' });
  assert.deepEqual(p('لا ادري', ctxAr, strict), { answer: 5, rule: 'option-text' });
});

test('anthropological replies: last non-empty line, then the last in-range "(k)"', () => {
  const ctx = { ...ctxEn, reasoning: true };
  const reasoning = 'As a married woman from Cairo (1) family matters, 3 friends...\nSo overall:\n\n(2) Rather important\n';
  assert.deepEqual(p(reasoning, ctx), { answer: 2, rule: 'last-line' });
  assert.deepEqual(p('Friends matter (3) to me a lot.\nI pick (2) in the end, not (7).\nThanks for asking', ctx), { answer: 2, rule: 'last-paren' });
  assert.deepEqual(p('Reasoning with 12 points.\nMy answer is 3', ctx), { answer: 3, rule: 'last-line' });
  // Without the reasoning flag the whole reply is parsed: its first number wins.
  assert.deepEqual(p('Reasoning with 2 points.\nMy answer is 3'), { answer: 2, rule: 'number' });
  assert.deepEqual(p('no answer here\nnone', ctx), { answer: null, reason: 'no-match' });
});

test('Unicode digits to integers', () => {
  assert.equal(unicodeDigitsToInt('٠١٢٣٤٥٦٧٨٩'), 123456789);
  assert.equal(unicodeDigitsToInt('۱۲'), 12);
  assert.equal(unicodeDigitsToInt('४२'), 42); // Devanagari
  assert.equal(unicodeDigitsToInt('99999999999999'), 1e9);
});
