import { readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import type { ConditionSpec } from '../experiment';
import { buildPromptContext } from '../template/buildPromptContext';
import { loadPartials } from '../template/templateFiles';
import { renderPrompt } from '../template/renderPrompt';
import type { PromptRenderer } from './expandRequests';
import type { RendererFactory } from './openExperiment';

/**
 * The renderer of real runs: each condition's Handlebars template (with the partials of its folder's
 * `partials/`) rendered with the template core. A template error stops the run before any request, as an
 * InputError at the template's line and column.
 */
export const createTemplateRenderer: RendererFactory = async (spec, resolve, _questions, _personas, { root }) => {
  const templates = new Map<string, { file: string; source: string; partials: Record<string, string> }>();
  for (const [i, c] of spec.conditions.entries()) {
    const file = resolve(c.template, ['conditions', i, 'template']);
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch {
      throw new InputError(`template not found: ${c.template}`, { file, line: 1, column: 1 }, 'template');
    }
    templates.set(c.id, { file, source, partials: await loadPartials(file, { root }) });
  }
  const render: PromptRenderer = (condition: ConditionSpec, persona, question, variant) => {
    const t = templates.get(condition.id)!;
    const r = renderPrompt(t.source, buildPromptContext(persona, question, variant, condition.lang), { file: t.file, partials: t.partials });
    const error = r.diagnostics.find((d) => d.severity === 'error');
    if (error) throw new InputError(error.message, { file: error.file, line: error.line, column: error.column }, error.field);
    return r.messages;
  };
  return render;
};
