import type { PromptContext } from '../template/PromptContext';
import { buildPromptContext } from '../template/buildPromptContext';
import { renderPrompt } from '../template/renderPrompt';
import type { PromptEngine } from './promptEngine';

/** The real template engine (src/core/template/) as the preview uses it. */
export const templatePromptEngine: PromptEngine = {
  buildContext: buildPromptContext,
  render: (source, context, options) => renderPrompt(source, context as PromptContext, options),
};
