import { InputError } from '../errors';
import type { ChatMessage } from '../model';
import type { PromptContext } from '../template/PromptContext';
import { renderPrompt } from '../template/renderPrompt';
import type { CultureTemplateContext } from './cultureTemplateContext';

/**
 * Renders a culture template with the template core (strict variables checked against the culture context's shape,
 * the prompt helpers, partials, `{{#system}}`/`{{#user}}` blocks). A template problem is an InputError at its line.
 */
export function renderCulturePrompt(source: string, context: CultureTemplateContext, file: string, partials: Record<string, string> = {}): ChatMessage[] {
  // renderPrompt checks variables against the context it is given, whatever its shape: the culture context is
  // not a persona context, hence the cast.
  const r = renderPrompt(source, context as unknown as PromptContext, { file, partials });
  const error = r.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new InputError(error.message, { file: error.file, line: error.line, column: error.column }, error.field);
  return r.messages;
}
