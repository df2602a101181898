import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { diagnoseTemplate } from '../../../../src/core/template/diagnoseTemplate';
import { renderPrompt } from '../../../../src/core/template/renderPrompt';
import { SAMPLE_CONTEXT } from '../../../../src/core/template/sampleContext';
import { readFrontMatter, templateBody } from '../../../../src/core/template/templateFiles';
import { ROOT, readText } from '../workspace/sharedData';

test('front matter declares reasoning; without one a template declares nothing', () => {
  assert.deepEqual(readFrontMatter('---\nreasoning: true\n---\n{{#user}}x{{/user}}', 't.hbs'), { frontMatter: { reasoning: true }, diagnostics: [] });
  assert.deepEqual(readFrontMatter('---\r\n# a comment\r\nreasoning: false\r\n---\r\nx', 't.hbs').frontMatter, { reasoning: false });
  assert.deepEqual(readFrontMatter('{{#user}}---\nreasoning: true\n---{{/user}}', 't.hbs'), { frontMatter: {}, diagnostics: [] }, 'only at the very top');
  assert.deepEqual(readFrontMatter('---\nreasoning: true\nno closing line', 't.hbs').frontMatter, {}, 'unclosed: plain text');
  for (const name of ['anthro.en', 'anthro.ar']) assert.equal(readFrontMatter(readText(path.join(ROOT, 'prompts', `${name}.hbs`)), name).frontMatter.reasoning, true, name);
  for (const name of ['persona.en', 'persona.ar']) assert.equal(readFrontMatter(readText(path.join(ROOT, 'prompts', `${name}.hbs`)), name).frontMatter.reasoning, undefined, name);
});

test('front matter problems are located diagnostics, also in diagnoseTemplate', () => {
  const bad = readFrontMatter('---\nreasoning: yes please\n---\nx', 't.hbs').diagnostics;
  assert.deepEqual(bad.map((d) => [d.severity, d.line, d.field, d.message]), [['error', 2, 'reasoning', 'front matter "reasoning" must be true or false']]);
  const unknown = readFrontMatter('---\nreasoning: true\nstyle: plain\n---\nx', 't.hbs').diagnostics;
  assert.deepEqual(unknown.map((d) => [d.severity, d.line, d.field]), [['warning', 3, 'style']]);
  const yaml = readFrontMatter('---\nreasoning: [\n---\nx', 't.hbs').diagnostics;
  assert.equal(yaml[0]!.severity, 'error');
  assert.match(yaml[0]!.message, /^front matter: /);
  const d = diagnoseTemplate('---\nreasoning: 1\n---\n{{#user}}{{persona.nope}}{{/user}}', 't.hbs');
  assert.deepEqual(d.map((x) => [x.code, x.line]), [['template.front-matter', 2], ['template.unknown-variable', 4]], 'lines below the front matter are unchanged');
});

test('the front matter renders nothing and keeps every line and column of the body', () => {
  const body = '{{#user}}\nHello {{persona.sex}}\n{{/user}}\n';
  const withFm = `---\nreasoning: true\n---\n${body}`;
  assert.equal(templateBody(withFm).split('\n').length, withFm.split('\n').length);
  const ctx = SAMPLE_CONTEXT;
  assert.deepEqual(renderPrompt(withFm, ctx, { file: 't.hbs' }).messages, renderPrompt(body, ctx, { file: 't.hbs' }).messages);
  // A problem below the front matter points at its own line and column.
  const err = renderPrompt('---\nreasoning: true\n---\n{{#user}}\nx {{nope}}\n{{/user}}', ctx, { file: 't.hbs' }).diagnostics.find((x) => x.severity === 'error');
  assert.ok(err);
  assert.deepEqual([err.line, err.column], [5, 5]);
});

test('no source file guesses reasoning from a name (/anthro/ sniffing)', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(ROOT, 'src'));
  walk(path.join(ROOT, 'webview'));
  const sniffing = files.filter((f) => /\/anthro\/i?|test\(\s*['"`].*anthro|includes\(\s*['"`]anthro/i.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(sniffing.map((f) => path.relative(ROOT, f)), []);
});
