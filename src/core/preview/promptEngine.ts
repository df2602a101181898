import type { ChatMessage, Diagnostic, Lang, Persona, Question } from '../model';

/**
 * What the preview needs from the template engine (src/core/template/): the variables a template receives
 * and the rendering into chat messages. Injected so the view model is tested on its own and the host can
 * pass the real engine.
 */
export interface PromptEngine {
  buildContext(persona: Persona, question: Question, variant: number, lang: Lang): object;
  render(source: string, context: object, options: { file: string; partials?: Record<string, string> }): { messages: ChatMessage[]; diagnostics: Diagnostic[] };
}
