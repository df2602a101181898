// Real WVS personas and questions (see test/fixtures/preview/wvs-sample.json) and a minimal Handlebars engine
// for view-model tests that do not depend on the template feature.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Persona, Question } from '../../../../src/core/model';
import type { PromptEngine } from '../../../../src/core/preview/promptEngine';

export const ROOT = path.resolve(__dirname, '../../../../..');
const sample = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/preview/wvs-sample.json'), 'utf8')) as { personas: Persona[]; questions: Question[] };
export const personas: Persona[] = sample.personas;
export const questions: Question[] = sample.questions;

/** `---system---` / `---user---` separators split a template into chat messages. */
export const miniEngine: PromptEngine = {
  buildContext(persona, question, variant, lang) {
    return { persona: persona.values[lang], question: { id: question.id, text: question.variants[lang][variant], options: question.options[lang] } };
  },
  render(source, context, { file }) {
    let text: string;
    try {
      text = Handlebars.compile(source, { strict: true, noEscape: true })(context);
    } catch (e) {
      return { messages: [], diagnostics: [{ file, line: 1, column: 1, severity: 'error', message: (e as Error).message, code: 'template.error' }] };
    }
    const messages = text.split(/^---(system|user)---\n/m).slice(1).reduce<Array<{ role: 'system' | 'user'; content: string }>>((acc, part, i, all) => {
      if (i % 2 === 0) acc.push({ role: part as 'system' | 'user', content: all[i + 1].trim() });
      return acc;
    }, []);
    return { messages, diagnostics: [] };
  },
};
