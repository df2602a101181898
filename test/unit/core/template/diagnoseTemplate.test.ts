import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseTemplate } from '../../../../src/core/template/diagnoseTemplate';

const codes = (src: string, partials: string[] = []) => diagnoseTemplate(src, 't.hbs', { partials }).map((d) => d.code);

test('a valid template with every construct has no diagnostics', () => {
  const src = [
    '{{#system}}You are {{persona.sex}}, {{agePhrase}}.{{/system}}',
    '{{#user}}',
    '{{#if (eq persona.countryKey "egypt")}}محافظة{{else}}ولاية{{/if}} {{persona.region}}',
    '{{#each question.options as |option i|}}{{num (lookup @root.question.options i)}} {{option}} {{@index}} {{../lang}}{{/each}}',
    '{{#with question}}{{text}} {{optionCount}}{{/with}}',
    '{{optionList question.options digits="arabic" style="dot"}} {{> footer}} {{question.options.length}}',
    '{{/user}}',
  ].join('\n');
  assert.deepEqual(diagnoseTemplate(src, 't.hbs', { partials: ['footer'] }), []);
});

test('syntax errors carry line and column', () => {
  const [d] = diagnoseTemplate('line one\n{{#user}}\nQuestion: {{question.text}\n{{/user}}', 'p.hbs');
  assert.equal(d.code, 'template.syntax');
  assert.equal(d.file, 'p.hbs');
  assert.equal(d.line, 3);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /syntax error/);
  const [m] = diagnoseTemplate('a\n{{#if x}}\nb{{/each}}', 'p.hbs');
  assert.equal(m.line, 2);
  assert.match(m.message, /if doesn't match each/);
});

test('an unknown variable is reported at its position with a suggestion', () => {
  const src = '{{#user}}\nHello {{persona.sex}}\n  from {{persona.regoin}}\n{{/user}}';
  const [d] = diagnoseTemplate(src, 'p.hbs');
  assert.equal(d.code, 'template.unknown-variable');
  assert.equal(d.line, 3);
  assert.equal(d.column, 10);
  assert.equal(d.field, 'persona.regoin');
  assert.match(d.message, /did you mean "region"/);
  assert.deepEqual(codes('{{foo}}'), ['template.unknown-variable']);
  assert.deepEqual(codes('{{persona.age.years}}'), ['template.unknown-variable']);
  assert.deepEqual(codes('{{#each question.options}}{{this.x}}{{/each}}'), ['template.unknown-variable']);
  assert.deepEqual(codes('{{#each question.options as |o|}}{{o}}{{/each}}{{o}}'), ['template.unknown-variable']);
});

test('variables follow the given context (extra persona fields)', () => {
  const context = { lang: 'en', persona: { income: 'high' }, question: {} };
  assert.deepEqual(diagnoseTemplate('{{persona.income}}', 't.hbs', { context }), []);
});

test('unknown helpers and partials are errors; message blocks are checked', () => {
  assert.deepEqual(codes('{{optionLst question.options}}'), ['template.unknown-helper']);
  assert.match(diagnoseTemplate('{{optionLst question.options}}', 't.hbs')[0].message, /did you mean "optionList"/);
  assert.deepEqual(codes('{{#if (equals a b)}}x{{/if}}').sort(), ['template.unknown-helper', 'template.unknown-variable', 'template.unknown-variable']);
  assert.deepEqual(codes('{{#repeat}}x{{/repeat}}'), ['template.unknown-helper']);
  assert.deepEqual(codes('{{> persona-block}}', ['question.en']), ['template.unknown-partial']);
  assert.deepEqual(codes('{{> question.en}}', ['question.en']), []);
  assert.deepEqual(codes('{{#user}}{{#system}}x{{/system}}{{/user}}'), ['template.message-block']);
  assert.deepEqual(codes('{{user}}'), ['template.message-block']);
  const outside = diagnoseTemplate('Hello\n{{#user}}x{{/user}}', 't.hbs');
  assert.deepEqual(outside.map((d) => [d.code, d.severity, d.line]), [['template.outside-message', 'warning', 1]]);
  assert.deepEqual(codes('{{question.options}}'), ['template.object-value']);
});
