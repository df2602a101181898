import { InputError } from '../errors';
import type { Diagnostic, Lang, Persona, Question } from '../model';
import { countChatTokens, type Tokenizer } from '../run/tokenizer';
import { directionOf } from '../template/textDirection';
import { estimateCost } from '../run/estimateCost';
import { flattenVariables } from './flattenVariables';
import type { ModelOption, PreviewPane, PreviewRender, ResolvedSelection } from './previewModel';
import type { PromptEngine } from './promptEngine';

/** One language's template text; `source: null` when the file does not exist. */
export interface TemplateSource {
  lang: Lang;
  file: string;
  source: string | null;
}

export interface PreviewInput {
  version: number;
  base: string;
  activeLang: Lang;
  /** In pane order (English first, then Arabic, then any other language). */
  templates: TemplateSource[];
  partials?: Record<string, string>;
  persona: Persona;
  question: Question;
  selection: ResolvedSelection;
  model: ModelOption | null;
  /** Absent while the encoding loads: token counts and costs are then null. */
  tokenizer?: Tokenizer;
  /** Samples per request for the output-cost bound (n with `useN`). */
  outputSamples?: number;
  /** Remembers panes between renders: an edit to one template re-renders only its own pane. */
  cache?: PaneCache;
}

/** Rendered panes (and their template contexts) by everything they depend on. */
export class PaneCache {
  private readonly entries = new Map<string, { pane: PreviewPane; context: unknown }>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  constructor(private readonly maxEntries = 32) {}

  /** A stable number per object: personas/questions reloaded from disk are new objects, so never stale. */
  idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }

  get(key: string): { pane: PreviewPane; context: unknown } | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: { pane: PreviewPane; context: unknown }): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * Renders every pane of a template pair for one persona, question and variant: the chat messages as sent,
 * the diagnostics, tokens and cost of each pane, and the variables table. Never throws for a broken
 * template: the pane carries the error instead, so the preview is never blank.
 */
export function buildPreviewRender(input: PreviewInput, engine: PromptEngine, now: () => number = () => performance.now()): PreviewRender {
  const t0 = now();
  const contexts: Record<Lang, unknown> = {};
  const panes = input.templates.map((t): PreviewPane => {
    const key = input.cache && paneKey(input, t, input.cache);
    const hit = key !== undefined ? input.cache!.get(key) : undefined;
    if (hit) {
      if (hit.context !== undefined) contexts[t.lang] = hit.context;
      return hit.pane;
    }
    const pane = renderPane(input, t, engine, contexts);
    if (key !== undefined) input.cache!.set(key, { pane, context: contexts[t.lang] });
    return pane;
  });
  return {
    version: input.version,
    base: input.base,
    activeLang: input.activeLang,
    selection: input.selection,
    panes,
    variables: flattenVariables(contexts),
    model: input.model,
    renderMs: now() - t0,
  };
}

function paneKey(input: PreviewInput, t: TemplateSource, cache: PaneCache): string {
  const m = input.model;
  const partials = Object.entries(input.partials ?? {}).map(([k, v]) => `${k}\u0001${v}`).join('\u0002');
  return [t.lang, t.file, t.source ?? '\u0000missing', partials, cache.idOf(input.persona), cache.idOf(input.question), input.selection.variant,
    m ? `${m.id}|${m.pricePer1kInput}|${m.pricePer1kOutput}|${m.maxTokens}` : '', input.tokenizer?.encoding ?? '', input.outputSamples ?? 1].join('\u0003');
}

/** One pane from scratch: context, render, diagnostics, tokens and cost. */
function renderPane(input: PreviewInput, t: TemplateSource, engine: PromptEngine, contexts: Record<Lang, unknown>): PreviewPane {
  const pane: PreviewPane = { lang: t.lang, dir: directionOf(t.lang), file: t.file, exists: t.source !== null, messages: [], diagnostics: [], tokens: null, cost: null };
  if (t.source === null) {
    pane.error = `${t.file} does not exist: create it to preview this language.`;
    return pane;
  }
  try {
    const context = engine.buildContext(input.persona, input.question, input.selection.variant, t.lang);
    contexts[t.lang] = context;
    const out = engine.render(t.source, context, { file: t.file, partials: input.partials });
    pane.messages = out.messages;
    pane.diagnostics = out.diagnostics;
    const errors = out.diagnostics.filter((d) => d.severity === 'error');
    if (!out.messages.length && errors.length) pane.error = errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n');
  } catch (e) {
    pane.error = e instanceof Error ? e.message : String(e);
    pane.diagnostics = [diagnosticOf(e, t.file)];
  }
  if (input.tokenizer && pane.messages.length) {
    pane.tokens = countChatTokens(pane.messages, input.tokenizer);
    pane.cost = estimateCost(pane.tokens, input.model, input.outputSamples ?? 1);
  }
  return pane;
}

/** A thrown error as a diagnostic: at its InputError location when it has one, else at the top of the file. */
function diagnosticOf(e: unknown, file: string): Diagnostic {
  if (e instanceof InputError) return { ...e.location, severity: 'error', message: e.message, code: 'preview.render-failed', field: e.field };
  return { file, line: 1, column: 1, severity: 'error', message: e instanceof Error ? e.message : String(e), code: 'preview.render-failed' };
}
