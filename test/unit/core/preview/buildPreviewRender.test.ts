import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { buildPreviewRender, PaneCache, type PreviewInput } from '../../../../src/core/preview/buildPreviewRender';
import type { ModelOption } from '../../../../src/core/preview/previewModel';
import type { PromptEngine } from '../../../../src/core/preview/promptEngine';
import { loadTokenizer } from '../../../../src/core/run/tokenizer';
import { miniEngine, personas, questions } from './fixture';

const EN = '---system---\nImagine you are a {{persona.marital_status}} {{persona.sex}} from {{persona.region}}, {{persona.country}}. You are {{persona.age}} years of age.\n---user---\nQuestion: {{question.text}}\nOptions:\n{{#each question.options}}({{@index}}) {{this}}\n{{/each}}';
const AR = '---system---\nتخيل أنك {{persona.sex}} {{persona.marital_status}} من محافظة {{persona.region}} في {{persona.country}}. عمرك {{persona.age}} سنة.\n---user---\nالسؤال: {{question.text}}\n';
const model: ModelOption = { id: 'gpt-4o-mini', model: 'gpt-4o-mini', encoding: 'o200k_base', pricePer1kInput: 0.15, pricePer1kOutput: 0.6, maxTokens: 5, priceSource: 'experiment' };

function input(over: Partial<PreviewInput> = {}): PreviewInput {
  return {
    version: 7, base: 'prompts/persona', activeLang: 'en',
    templates: [{ lang: 'en', file: 'prompts/persona.en.hbs', source: EN }, { lang: 'ar', file: 'prompts/persona.ar.hbs', source: AR }],
    persona: personas[0], question: questions[1], selection: { personaId: personas[0].id, questionId: 'Q19', variant: 2, modelId: model.id },
    model, ...over,
  };
}

test('buildPreviewRender: English and Arabic panes for the same real persona, question and variant', () => {
  const r = buildPreviewRender(input(), miniEngine);
  assert.equal(r.version, 7);
  assert.deepEqual(r.panes.map((p) => [p.lang, p.dir, p.file]), [['en', 'ltr', 'prompts/persona.en.hbs'], ['ar', 'rtl', 'prompts/persona.ar.hbs']]);
  const [en, ar] = r.panes;
  assert.deepEqual(en.messages.map((m) => m.role), ['system', 'user']);
  assert.equal(en.messages[0].content, 'Imagine you are a married male from Fayoum, Egypt. You are 46 years of age.');
  assert.match(en.messages[1].content, /^Question: Are you unsure whether you have neighbors who are people of a different race\?/);
  assert.match(en.messages[1].content, /\(2\) Don't know/);
  assert.equal(ar.messages[0].content, 'تخيل أنك رجل متزوج من محافظة الفيوم في مصر. عمرك 46 سنة.');
  assert.equal(ar.messages[1].content, 'السؤال: هل أنت غير متأكد مما إذا كان لديك جيران من جنسيات مختلفة؟');
  assert.equal(en.tokens, null, 'no tokenizer yet → no count');
  assert.ok(r.variables.some((v) => v.path === 'persona.sex' && v.values.en === 'male' && v.values.ar === 'رجل'));
  assert.ok(r.renderMs >= 0);
});

test('buildPreviewRender: token counts and cost per pane once the tokenizer is loaded', async () => {
  const tokenizer = await loadTokenizer('o200k_base');
  const r = buildPreviewRender(input({ tokenizer }), miniEngine);
  for (const p of r.panes) {
    assert.ok(p.tokens !== null && p.tokens > 20, `${p.lang} tokens ${p.tokens}`);
    assert.equal(p.cost, (p.tokens! * 0.15) / 1000 + (5 * 0.6) / 1000);
  }
});

test('buildPreviewRender: a template that fails shows the error in its pane, the other pane still renders', () => {
  const r = buildPreviewRender(input({ templates: [{ lang: 'en', file: 'prompts/persona.en.hbs', source: '---user---\n{{persona.nope}}' }, { lang: 'ar', file: 'prompts/persona.ar.hbs', source: AR }] }), miniEngine);
  assert.match(r.panes[0].error ?? '', /nope/);
  assert.equal(r.panes[0].diagnostics[0].severity, 'error');
  assert.equal(r.panes[1].error, undefined);
  assert.equal(r.panes[1].messages.length, 2);
});

test('buildPreviewRender: an engine that throws an InputError becomes a located diagnostic, never an exception', () => {
  const throwing: PromptEngine = { ...miniEngine, render: () => { throw new InputError('unclosed block', { file: 'prompts/persona.en.hbs', line: 3, column: 5 }); } };
  const r = buildPreviewRender(input(), throwing);
  for (const p of r.panes) {
    assert.match(p.error ?? '', /unclosed block/);
    assert.deepEqual([p.diagnostics[0].line, p.diagnostics[0].column], [3, 5]);
  }
});

test('buildPreviewRender: a missing sibling template says so instead of a blank pane', () => {
  const r = buildPreviewRender(input({ templates: [{ lang: 'en', file: 'prompts/persona.en.hbs', source: EN }, { lang: 'ar', file: 'prompts/persona.ar.hbs', source: null }] }), miniEngine);
  assert.equal(r.panes[1].exists, false);
  assert.match(r.panes[1].error ?? '', /persona\.ar\.hbs does not exist/);
});

test('buildPreviewRender with a PaneCache: an edit to one template re-renders only its pane', () => {
  const calls: string[] = [];
  const counting: PromptEngine = { ...miniEngine, render: (source, ctx, o) => { calls.push(o.file); return miniEngine.render(source, ctx, o); } };
  const cache = new PaneCache();
  const first = buildPreviewRender(input({ cache }), counting);
  assert.deepEqual(calls, ['prompts/persona.en.hbs', 'prompts/persona.ar.hbs']);
  calls.length = 0;
  const edited = buildPreviewRender(input({ cache, version: 8, templates: [{ lang: 'en', file: 'prompts/persona.en.hbs', source: `${EN}\nEDITED` }, { lang: 'ar', file: 'prompts/persona.ar.hbs', source: AR }] }), counting);
  assert.deepEqual(calls, ['prompts/persona.en.hbs'], 'the Arabic pane came from the cache');
  assert.match(edited.panes[0].messages[1].content, /EDITED$/);
  assert.deepEqual(edited.panes[1], first.panes[1]);
  assert.deepEqual(edited.variables, first.variables, 'cached panes still contribute their variables');
  calls.length = 0;
  // Another persona (even a reloaded copy of the same one) or variant misses the cache.
  buildPreviewRender(input({ cache, persona: structuredClone(personas[0]) }), counting);
  buildPreviewRender(input({ cache, selection: { personaId: personas[0].id, questionId: 'Q19', variant: 1, modelId: model.id } }), counting);
  assert.equal(calls.length, 4);
});
