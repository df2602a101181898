// Our shipped templates must produce exactly the paper's prompts. The expected text is built here independently:
// the paper's YAML templates filled Python-style ({name}) with the persona values recorded in the paper's own
// completion files and the question texts of the raw dumps.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Survey } from '../../../../src/core/model';
import { loadPaperSurvey } from '../../../../src/core/survey/loadPaperSurvey';
import { buildPromptContext } from '../../../../src/core/template/buildPromptContext';
import { loadPartials } from '../../../../src/core/template/templateFiles';
import { renderPrompt } from '../../../../src/core/template/renderPrompt';
import { importCountry } from '../persona/wvsFixture';
import { ROOT, SELECTED, WVS, readText, recorded } from '../workspace/sharedData';

// The anthro file puts `|-` on the line after its key, which PyYAML accepts and the yaml package does not.
const yamlOf = (name: string) => parseYaml(readText(path.join(WVS, name)).replace(/:\n[ \t]+\|-\n/g, ': |-\n'));
const paperEn = yamlOf('wvs_template.en.yml');
const paperAr = yamlOf('wvs_template.ar.yml');
const paperAnthro = yamlOf('wvs_template_anthro_framework.yml');
const dumps = { en: JSON.parse(readText(path.join(WVS, 'wvs_questions_dump.en.json'))), ar: JSON.parse(readText(path.join(WVS, 'wvs_questions_dump.ar.json'))) };

/** Python's str.format with named fields only (all the paper uses). */
const format = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in values)) throw new Error(`missing ${k}`);
    return String(values[k]);
  });

function paperPrompt(lang: 'en' | 'ar', persona: Record<string, string | number>, qid: string, variant: number, opts: { us?: boolean; anthro?: boolean } = {}): string {
  const yml = lang === 'en' ? paperEn : paperAr;
  const values = yml.template_values;
  const personaTemplate = opts.anthro ? paperAnthro.template_values.prompt : values.prompt_variants[opts.us && lang === 'ar' ? 1 : 0];
  const q = dumps[lang][qid];
  const prompt = format(yml.template[0], {
    prompt: format(personaTemplate, persona),
    question_header: values.question_header,
    question: q.questions[variant],
    options_header: values.options_header,
    options: q.options.map((o: string, i: number) => `(${i + 1}) ${o}`).join('\n'),
  });
  return opts.anthro ? `${paperAnthro.template_values.anthro_prompt}\n\n${prompt}` : prompt;
}

let survey: Survey;
let partials: Record<string, string>;
const templates = Object.fromEntries(['persona.en', 'persona.ar', 'anthro.en', 'anthro.ar'].map((n) => [n, readText(path.join(ROOT, 'prompts', `${n}.hbs`))]));
const egypt = importCountry('eg');
const us = importCountry('us');

before(async () => {
  survey = await loadPaperSurvey(WVS);
  partials = await loadPartials(path.join(ROOT, 'prompts', 'persona.en.hbs'));
});

function render(name: string, lang: 'en' | 'ar', persona: (typeof egypt)[number], qid: string, variant: number) {
  const question = survey.questions.find((q) => q.id === qid)!;
  const out = renderPrompt(templates[name], buildPromptContext(persona, question, variant, lang), { file: `prompts/${name}.hbs`, partials });
  assert.deepEqual(out.diagnostics, []);
  assert.equal(out.messages.length, 1);
  assert.equal(out.messages[0].role, 'user');
  return out.messages[0].content;
}

for (const lang of ['en', 'ar'] as const) {
  test(`persona.${lang}.hbs equals the paper's ${lang} prompt for all 303 Egypt respondents × 31 questions × 4 variants`, () => {
    let compared = 0;
    for (const qid of SELECTED) {
      const items = recorded(lang, qid);
      items.forEach((item, i) => {
        const persona = egypt[Math.floor(i / 4)];
        const expected = paperPrompt(lang, item.persona, qid, item.question.variant);
        assert.equal(render(`persona.${lang}`, lang, persona, qid, item.question.variant), expected, `${persona.id} ${qid} v${item.question.variant}`);
        compared++;
      });
    }
    assert.equal(compared, 303 * 31 * 4);
  });
}

test('persona.ar.hbs uses the paper\'s US variant ("ولاية") for US respondents; persona.en.hbs the same text for both', () => {
  for (const persona of us.slice(0, 40)) {
    for (const qid of ['Q2', 'Q171', 'Q239']) {
      assert.equal(render('persona.ar', 'ar', persona, qid, 1), paperPrompt('ar', persona.values.ar, qid, 1, { us: true }));
      assert.equal(render('persona.en', 'en', persona, qid, 2), paperPrompt('en', persona.values.en, qid, 2));
    }
  }
});

test('anthro.en.hbs equals the paper\'s anthropological prompt (framework, blank line, prompt, question)', () => {
  for (const persona of egypt.slice(0, 30)) {
    for (const qid of SELECTED) assert.equal(render('anthro.en', 'en', persona, qid, 3), paperPrompt('en', persona.values.en, qid, 3, { anthro: true }));
  }
});

test('anthro.ar.hbs renders a complete Arabic prompt ending with the paper\'s Arabic question block', () => {
  const text = render('anthro.ar', 'ar', egypt[0], 'Q2', 0);
  assert.ok(text.startsWith('فيما يلي إطار مقتبس من أدوات مناهج البحث الأنثروبولوجي'));
  assert.ok(text.includes('تخيل أنك رجل متزوج من محافظة الفيوم في مصر.'));
  assert.ok(text.endsWith('السؤال: ما مدى أهمية الأصدقاء في الحياة؟\nالاختيارات:\n(1) مهم جدا\n(2) مهم إلى حد ما\n(3) ليس مهما\n(4) ليس مهما على الإطلاق\n(5) لا أعرف'));
  assert.ok(!/[{}]/.test(text));
});
