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
/** source → (file, partial names, persona fields) → static diagnostics. */
const diagnosisCache = new Map<string, Map<string, Diagnostic[]>>();
/** Partial sources → names and compiled functions; partial objects are treated as immutable. */
const partialCache = new WeakMap<Record<string, string>, { names: string[]; compiled: Record<string, TemplateDelegate> }>();
const NO_PARTIALS: Record<string, string> = {};

function personaFields(persona: Record<string, unknown>): string {
  let key = '';
  for (const k in persona) key += `${k},`;
  return key;
}

let last: { source: string; file: string; names: string[]; persona: object; diagnostics: Diagnostic[] } | undefined;

/** Static diagnostics depend on the source, the partial names and the shape of the persona (extra fields). */
function cachedDiagnosis(source: string, context: PromptContext, file: string, partialNames: string[]): Diagnostic[] {
  // Renders come in runs of the same template for one persona: skip the key building for a repeat.
  if (last && last.source === source && last.file === file && last.names === partialNames && last.persona === context.persona) return last.diagnostics;
  const diagnostics = lookupDiagnosis(source, context, file, partialNames);
  last = { source, file, names: partialNames, persona: context.persona, diagnostics };
  return diagnostics;
}

function lookupDiagnosis(source: string, context: PromptContext, file: string, partialNames: string[]): Diagnostic[] {
  let bySource = diagnosisCache.get(source);
  if (!bySource) {
    bySource = new Map();
    diagnosisCache.set(source, bySource);
    if (diagnosisCache.size > MAX_DIAGNOSIS_ENTRIES) diagnosisCache.delete(diagnosisCache.keys().next().value as string);
  }
  const key = `${file}\u0000${partialNames.join(',')}\u0000${personaFields(context.persona)}`;
  let diagnostics = bySource.get(key);
  if (!diagnostics) {
    diagnostics = diagnoseTemplate(source, file, { partials: partialNames, context });
    bySource.set(key, diagnostics);
  }
  return diagnostics;
}

function compiledPartials(sources: Record<string, string>): { names: string[]; compiled: Record<string, TemplateDelegate> } {
  let entry = partialCache.get(sources);
  if (!entry) {
    const names = Object.keys(sources).sort();
    entry = { names, compiled: Object.fromEntries(names.map((n) => [n, compileTemplate(sources[n])])) };
    partialCache.set(sources, entry);
  }
  return entry;
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

/** Message text without the blank lines a block's own lines leave at its start and end (spaces are kept). */
function trimNewlines(text: string): string {
  // A character scan rather than a regex: this runs once per rendered message (75k times for a full survey).
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) start = i + 1;
    else if (!isBlank(c)) break;
  }
  let end = text.length;
  for (let i = text.length - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) end = i > 0 && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
    else if (!isBlank(c)) break;
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Renders a prompt template into chat messages. `{{#system}}…{{/system}}`, `{{#user}}…{{/user}}` and
 * `{{#assistant}}…{{/assistant}}` blocks become messages in order; a template without blocks is one user message.
 * Leading and trailing blank lines of each message are dropped. Static problems (syntax, unknown variable, helper,
 * partial) and runtime errors come back as diagnostics, never as exceptions.
 */
export function renderPrompt(templateSource: string, context: PromptContext, options: RenderOptions): RenderedPrompt {
  const { names, compiled: partials } = compiledPartials(options.partials ?? NO_PARTIALS);
  const diagnostics = cachedDiagnosis(templateSource, context, options.file, names);
  if (diagnostics.some((d) => d.severity === 'error')) return { messages: [], diagnostics };
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
