import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templatePair } from '../../../../src/core/template/templateFiles';
import { directionOf } from '../../../../src/core/template/textDirection';

test('templatePair pairs x.en.hbs with x.ar.hbs in the same folder', () => {
  const p = templatePair('prompts/persona.en.hbs');
  assert.ok(p);
  assert.equal(p.base, 'prompts/persona');
  assert.equal(p.lang, 'en');
  assert.equal(p.fileFor('ar'), 'prompts/persona.ar.hbs');
  assert.equal(templatePair('a/b/anthro.AR.hbs')?.fileFor('en'), 'a/b/anthro.en.hbs');
  assert.equal(templatePair('x/persona.pt-br.handlebars')?.lang, 'pt-br');
});

test('templatePair: a template without a language part is not a pair', () => {
  assert.equal(templatePair('prompts/options.hbs'), undefined);
  assert.equal(templatePair('prompts/persona.en.txt'), undefined);
});

test('directionOf: Arabic (and other RTL scripts) are right-to-left', () => {
  assert.equal(directionOf('ar'), 'rtl');
  assert.equal(directionOf('ar-EG'), 'rtl');
  assert.equal(directionOf('fa'), 'rtl');
  assert.equal(directionOf('en'), 'ltr');
  assert.equal(directionOf('arn'), 'ltr'); // Mapudungun, not Arabic
});
