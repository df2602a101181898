import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Persona, Question } from '../../../../src/core/model';
import { buildPromptContext, PromptContextError } from '../../../../src/core/template/buildPromptContext';
import { compileTemplate } from '../../../../src/core/template/compileTemplate';
import { formatDigits } from '../../../../src/core/template/digits';
import { renderPrompt } from '../../../../src/core/template/renderPrompt';
import { importCountry } from '../persona/wvsFixture';

const [persona] = importCountry('eg');
const question: Question = {
  id: 'Q2', theme: 'SOCIAL VALUES', description: { en: 'Important in life: Friends' }, scale: 'ordinal', dontKnowIndex: 4,
  options: { en: ['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know"], ar: ['مهم جدا', 'مهم إلى حد ما', 'ليس مهما', 'ليس مهما على الإطلاق', 'لا أعرف'] },
  variants: { en: ['How important are friends in life?', 'v2'], ar: ['ما مدى أهمية الأصدقاء في الحياة؟', 'v2'] },
};
const en = buildPromptContext(persona, question, 0, 'en');
const ar = buildPromptContext(persona, question, 0, 'ar');
const render = (src: string, ctx = en, partials?: Record<string, string>) => renderPrompt(src, ctx, { file: 't.hbs', partials });

test('buildPromptContext gives the persona in the prompt language and the selected variant', () => {
  assert.equal(en.persona.sex, 'male');
  assert.equal(ar.persona.sex, 'رجل');
  assert.equal(ar.dir, 'rtl');
  assert.equal(en.dir, 'ltr');
  assert.equal(en.persona.countryKey, 'egypt');
  assert.equal(en.persona.id, 'egypt-0001');
  assert.equal(buildPromptContext(persona, question, 1, 'en').question.text, 'v2');
  assert.equal(en.question.hasDontKnow, true);
  assert.equal(en.question.optionCount, 5);
  assert.equal(ar.question.description, 'Important in life: Friends'); // falls back to English
  assert.throws(() => buildPromptContext(persona, question, 4, 'en'), PromptContextError);
  assert.throws(() => buildPromptContext(persona, question, 0, 'fr'), (e: unknown) => e instanceof PromptContextError && e.field === 'values.fr');
  const noAr: Question = { ...question, variants: { en: question.variants.en } };
  assert.throws(() => buildPromptContext(persona, noAr, 0, 'ar'), (e: unknown) => e instanceof PromptContextError && e.field === 'Q2.variants.ar');
});

test('system / user / assistant blocks become messages in order; blank edge lines dropped, spaces kept', () => {
  const out = render('{{#system}}\nYou are a {{persona.sex}}. \n{{/system}}\n{{#user}}\n{{question.text}}\n\n{{/user}}\n{{#assistant}}(1){{/assistant}}\n');
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.messages, [
    { role: 'system', content: 'You are a male. ' },
    { role: 'user', content: 'How important are friends in life?' },
    { role: 'assistant', content: '(1)' },
  ]);
});

test('a template without blocks is one user message; no HTML escaping', () => {
  const out = render('{{question.options.[4]}} & <b>\n');
  assert.deepEqual(out.messages, [{ role: 'user', content: "Don't know & <b>" }]);
});

test('helpers: option lists with Western or Arabic-Indic digits, scale text, age phrasing, numbers', () => {
  assert.equal(render('{{optionList}}').messages[0].content, "(1) Very important\n(2) Rather important\n(3) Not very important\n(4) Not at all important\n(5) Don't know");
  assert.equal(render('{{optionList digits="arabic" style="dot"}}', ar).messages[0].content.split('\n')[0], '١. مهم جدا');
  assert.equal(render('{{optionList question.options style="dash" start=0}}').messages[0].content.split('\n')[1], '1 - Rather important');
  assert.equal(render('{{scaleText}}').messages[0].content, 'To indicate your opinion, use a 10-point scale where “1” means “Very important” and “10” means “Don\'t know”.');
  assert.equal(render('{{scaleText}}', ar).messages[0].content, 'للتعبير عن رأيك، استخدم مقياسًا من 10 نقاط حيث تشير ”1“ إلى مهم جدا وتشير ”10“ إلى لا أعرف.');
  assert.equal(render('{{agePhrase}}').messages[0].content, '46 years old');
  assert.equal(render('{{agePhrase}}', ar).messages[0].content, '46 سنة');
  assert.equal(render('{{agePhrase 5}}|{{agePhrase 2}}|{{agePhrase 46 digits="arabic"}}', ar).messages[0].content, '5 سنوات|سنتان|٤٦ سنة');
  assert.equal(render('{{num persona.age digits="arabic"}} {{optionCount}} {{upper persona.sex}} {{capitalize persona.education}}').messages[0].content, '٤٦ 5 MALE Higher');
  assert.equal(formatDigits(2024, 'arabic'), '٢٠٢٤');
});

test('partials render with the same context', () => {
  const out = render('{{#user}}\n{{> q}}\n{{/user}}', en, { q: 'Q: {{question.text}}\n{{optionList}}\n' });
  assert.ok(out.messages[0].content.startsWith('Q: How important are friends in life?\n(1) Very important'));
});

test('errors come back as diagnostics, never exceptions', () => {
  const bad = render('{{#user}}\n{{persona.nope}}\n{{/user}}');
  assert.deepEqual(bad.messages, []);
  assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.line]), [['template.unknown-variable', 2]]);
  const runtime = render('{{optionList digits="roman"}}');
  assert.deepEqual(runtime.messages, []);
  assert.equal(runtime.diagnostics[0].code, 'template.render');
  assert.match(runtime.diagnostics[0].message, /digits must be/);
  assert.equal(render('{{#user}}{{question.text}').diagnostics[0].code, 'template.syntax');
});

test('compiled templates are cached by source', () => {
  assert.equal(compileTemplate('{{persona.sex}} x'), compileTemplate('{{persona.sex}} x'));
  assert.notEqual(compileTemplate('{{persona.sex}} x'), compileTemplate('{{persona.sex}} y'));
});

test('personas with extra fields can use them', () => {
  const p: Persona = { ...persona, values: { en: { ...persona.values.en, income: 'medium' } } };
  assert.equal(render('{{persona.income}}', buildPromptContext(p, question, 0, 'en')).messages[0].content, 'medium');
});
