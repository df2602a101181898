import type { TemplateDelegate } from 'handlebars';
import type { ChatMessage, Diagnostic } from '../model';
import { compileTemplate } from './compileTemplate';
import { diagnoseTemplate } from './diagnoseTemplate';
import type { PromptContext } from './PromptContext';

export interface RenderOptions {
  /** Template file, for diagnostics. */
  file: string;
  /** Partial name → source (`prompts/partials/<name>.hbs`). */
  partials?: Record<string, string>;
}

export interface RenderedPrompt {
  /** The chat messages; empty when the template has errors. */
  messages: ChatMessage[];
  diagnostics: Diagnostic[];
}

const MAX_DIAGNOSIS_ENTRIES = 256;
const diagnosisCache = new Map<string, Diagnostic[]>();

/** Static diagnostics depend on the source, the partial names and the shape of the persona (extra fields). */
function cachedDiagnosis(source: string, context: PromptContext, options: RenderOptions, partialNames: string[]): Diagnostic[] {
  const key = `${options.file}\u0000${partialNames.join(',')}\u0000${Object.keys(context.persona).join(',')}\u0000${source}`;
  let diagnostics = diagnosisCache.get(key);
  if (!diagnostics) {
    diagnostics = diagnoseTemplate(source, options.file, { partials: partialNames, context });
    diagnosisCache.set(key, diagnostics);
    if (diagnosisCache.size > MAX_DIAGNOSIS_ENTRIES) diagnosisCache.delete(diagnosisCache.keys().next().value as string);
  }
  return diagnostics;
}

/** Message text without the blank lines a block's own lines leave at its start and end (spaces are kept). */
function trimNewlines(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/(?:\r?\n[ \t]*)+$/, '');
}

/**
 * Renders a prompt template into chat messages. `{{#system}}…{{/system}}`, `{{#user}}…{{/user}}` and
 * `{{#assistant}}…{{/assistant}}` blocks become messages in order; a template without blocks is one user message.
 * Leading and trailing blank lines of each message are dropped. Static problems (syntax, unknown variable, helper,
 * partial) and runtime errors come back as diagnostics, never as exceptions.
 */
export function renderPrompt(templateSource: string, context: PromptContext, options: RenderOptions): RenderedPrompt {
  const partialSources = options.partials ?? {};
  const partialNames = Object.keys(partialSources).sort();
  const diagnostics = cachedDiagnosis(templateSource, context, options, partialNames);
  if (diagnostics.some((d) => d.severity === 'error')) return { messages: [], diagnostics };
  const partials: Record<string, TemplateDelegate> = {};
  for (const name of partialNames) partials[name] = compileTemplate(partialSources[name]);
  const messages: ChatMessage[] = [];
  let output: string;
  try {
    output = compileTemplate(templateSource)(context, { data: { messages }, partials });
  } catch (e) {
    const err = e as Error & { lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
    const runtime: Diagnostic = {
      file: options.file,
      line: err.lineNumber ?? 1,
      column: (err.column ?? 0) + 1,
      severity: 'error',
      code: 'template.render',
      message: err.message.replace(/ - \d+:\d+$/, '').replace(' in [object Object]', ''),
    };
    return { messages: [], diagnostics: [...diagnostics, runtime] };
  }
  const result = messages.length > 0 ? messages : [{ role: 'user' as const, content: output }];
  return { messages: result.map((m) => ({ role: m.role, content: trimNewlines(m.content) })), diagnostics };
}
