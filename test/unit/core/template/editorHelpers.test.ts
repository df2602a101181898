import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expressionAtCursor } from '../../../../src/core/template/expressionAtCursor';
import { lookupPath } from '../../../../src/core/template/lookupPath';
import { SAMPLE_CONTEXT } from '../../../../src/core/template/sampleContext';
import { schemaPaths, templateSchema } from '../../../../src/core/template/templateSchema';
import { templateLanguage } from '../../../../src/core/template/templateFiles';

test('expressionAtCursor: inside {{ }} only, with the sigil and the path being typed', () => {
  assert.deepEqual(expressionAtCursor('Hello {{persona.re'), { sigil: '', path: 'persona.re', head: true });
  assert.deepEqual(expressionAtCursor('{{#if (eq persona.c'), { sigil: '#', path: 'persona.c', head: false });
  assert.deepEqual(expressionAtCursor('{{> ques'), { sigil: '>', path: 'ques', head: true });
  assert.deepEqual(expressionAtCursor('{{/us'), { sigil: '/', path: 'us', head: true });
  assert.deepEqual(expressionAtCursor('{{~opt'), { sigil: '', path: 'opt', head: true });
  assert.equal(expressionAtCursor('{{persona.sex}} and '), undefined);
  assert.equal(expressionAtCursor('plain text'), undefined);
  assert.equal(expressionAtCursor('{{!-- a comment '), undefined);
});

test('templateLanguage from file names', () => {
  assert.equal(templateLanguage('/w/prompts/persona.ar.hbs'), 'ar');
  assert.equal(templateLanguage('anthro.EN.handlebars'), 'en');
  assert.equal(templateLanguage('prompts/partials/question.en.hbs'), 'en');
  assert.equal(templateLanguage('persona.hbs'), undefined);
});

test('lookupPath and schemaPaths over the sample context', () => {
  assert.equal(lookupPath(SAMPLE_CONTEXT, 'persona.region'), 'Fayoum');
  assert.equal(lookupPath(SAMPLE_CONTEXT, '@root.question.options.4'), "Don't know");
  assert.equal(lookupPath(SAMPLE_CONTEXT, 'this.lang'), 'en');
  assert.equal(lookupPath(SAMPLE_CONTEXT, 'persona.nope'), undefined);
  assert.equal(lookupPath(SAMPLE_CONTEXT, 'persona.age.x'), undefined);
  assert.equal(lookupPath(SAMPLE_CONTEXT, 'persona.toString'), undefined);
  const paths = schemaPaths(templateSchema(SAMPLE_CONTEXT));
  assert.ok(paths.some((p) => p.path === 'persona.age' && p.type === 'number'));
  assert.ok(paths.some((p) => p.path === 'question.options' && p.type === 'list'));
  assert.ok(paths.some((p) => p.path === 'persona' && p.type === 'object'));
});
