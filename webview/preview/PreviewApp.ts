import { filterPersonas } from '../../src/core/preview/filterPersonas';
import { formatCost, formatExperimentEstimate, formatTokens } from '../../src/core/preview/formatEstimate';
import type { ExperimentEstimate, PaneMode, PersonaOption, PreviewCatalog, PreviewPane, PreviewRender } from '../../src/core/preview/previewModel';
import { stepIndex } from '../../src/core/preview/stepIndex';
import type { Diagnostic } from '../../src/core/model';
import type { PersistedPanelState, PreviewFromWebview, PreviewPersistedData } from '../../src/shared/protocol';
import { isObject } from '../../src/shared/protocol';
import { h, replaceChildren } from '../common/dom';
import type { CheckboxElement, CollapsibleElement, SelectElement, TextfieldElement } from './elements';
import { SyncScroll } from './syncScroll';

/** At most this many personas are put in the picker at once (search narrows the rest). */
const MAX_PICKER_PERSONAS = 400;

export interface PreviewHost {
  post(message: PreviewFromWebview): void;
  save(state: PersistedPanelState): void;
}

/**
 * The preview webview: pickers, EN/AR panes, diagnostics, variables and estimates. Builds its DOM once and
 * updates it in place, so focus and scroll positions survive every render.
 */
export class PreviewApp {
  private catalog: PreviewCatalog | null = null;
  private render: PreviewRender | null = null;
  private shownVersion = 0;
  private filtered: PersonaOption[] = [];
  private readonly state: PreviewPersistedData;
  private readonly sync: SyncScroll;
  private readonly bodies = new Map<string, HTMLElement>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly el = {
    template: h('span', { class: 'template-name', id: 'template' }, 'No template'),
    modeButtons: new Map<PaneMode, HTMLElement>(),
    syncScroll: h('vscode-checkbox', { id: 'sync-scroll', label: 'Sync scroll' }) as CheckboxElement,
    model: h('vscode-single-select', { id: 'model-select', 'aria-label': 'Model for the token and cost estimate' }) as SelectElement,
    run: h('vscode-button', { id: 'run', secondary: true, title: 'Run this persona and question through the experiment model' }, 'Run for persona'),
    search: h('vscode-textfield', { id: 'persona-search', placeholder: 'Search personas: cairo, sex:female, age:34…', 'aria-label': 'Search personas by any field' }) as TextfieldElement,
    persona: h('vscode-single-select', { id: 'persona-select', 'aria-label': 'Persona' }) as SelectElement,
    personaCount: h('span', { id: 'persona-count', class: 'muted', 'aria-live': 'polite' }),
    question: h('vscode-single-select', { id: 'question-select', 'aria-label': 'Question' }) as SelectElement,
    variant: h('vscode-single-select', { id: 'variant-select', 'aria-label': 'Paraphrase variant' }) as SelectElement,
    summary: h('div', { id: 'summary', class: 'summary', 'aria-live': 'polite' }),
    estimate: h('div', { id: 'estimate', class: 'muted' }),
    diagnostics: h('ul', { id: 'diagnostics', class: 'diagnostics', 'aria-label': 'Problems' }),
    variables: h('vscode-collapsible', { id: 'variables' }) as CollapsibleElement,
    varsTable: h('table', { id: 'vars', class: 'vars' }),
    panes: h('div', { id: 'panes', class: 'panes mode-both' }),
    status: h('p', { id: 'status', class: 'muted empty' }, 'Open a prompt template (.hbs) to preview it.'),
  };

  constructor(private readonly app: HTMLElement, private readonly host: PreviewHost, restored: unknown) {
    this.state = restoredData(restored);
    this.sync = new SyncScroll((src) => this.rememberScroll(src));
    this.sync.enabled = this.state.syncScroll;
    this.build();
  }

  /** A host message (already known to be an object with a string `type`). */
  onMessage(m: Record<string, unknown> & { type: string }): void {
    switch (m.type) {
      case 'preview/catalog':
        if (isObject(m.catalog) && Array.isArray(m.catalog.personas)) this.setCatalog(m.catalog as unknown as PreviewCatalog);
        break;
      case 'preview/render':
        if (isObject(m.render) && Number.isInteger(m.render.version) && Array.isArray(m.render.panes)) this.showRender(m.render as unknown as PreviewRender);
        break;
      case 'preview/estimate':
        this.el.estimate.textContent = isEstimate(m.estimate)
          ? `Whole experiment (${m.estimate.experimentFile}): ${formatExperimentEstimate(m.estimate)}`
          : typeof m.error === 'string' ? `Whole experiment: ${m.error}` : '';
        break;
      case 'preview/empty':
        this.showEmpty(typeof m.reason === 'string' ? m.reason : 'Nothing to preview.');
        break;
      case 'notice':
        this.showNotice(String(m.level), String(m.text));
        break;
    }
  }

  private build(): void {
    const { el } = this;
    const modes: Array<[PaneMode, string]> = [['both', 'EN + AR'], ['en', 'EN'], ['ar', 'AR']];
    const modeGroup = h('span', { class: 'group mode', role: 'group', 'aria-label': 'Panes' });
    for (const [mode, label] of modes) {
      const b = h('vscode-button', { id: `mode-${mode}`, secondary: true, 'aria-pressed': 'false', onclick: () => this.setMode(mode) }, label);
      el.modeButtons.set(mode, b);
      modeGroup.appendChild(b);
    }
    el.syncScroll.checked = this.state.syncScroll;
    el.syncScroll.addEventListener('change', () => {
      this.state.syncScroll = el.syncScroll.checked;
      this.sync.enabled = this.state.syncScroll;
      this.persist();
    });
    el.model.addEventListener('change', () => this.select({ modelId: el.model.value }));
    el.run.addEventListener('click', () => this.host.post({ type: 'preview/runForPersona' }));
    el.search.value = this.state.query;
    el.search.addEventListener('input', () => this.onSearch());
    el.persona.addEventListener('change', () => this.select({ personaId: el.persona.value }));
    el.question.addEventListener('change', () => this.select({ questionId: el.question.value, variant: this.state.selection.variant }));
    el.variant.addEventListener('change', () => this.select({ variant: Number(el.variant.value) }));
    el.variables.heading = 'Variables';
    el.variables.description = 'every value the templates receive';
    el.variables.appendChild(el.varsTable);

    const step = (id: string, label: string, onClick: () => void) => h('vscode-button', { id, secondary: true, 'aria-label': label, title: label, onclick: onClick }, id.endsWith('prev') ? '‹' : '›');
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Preview controls' },
      el.template, modeGroup, el.syncScroll,
      h('span', { class: 'group' }, h('label', { for: 'model-select' }, 'Model'), el.model), el.run);
    const pickers = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Persona, question and variant' },
      h('span', { class: 'group' }, h('label', { for: 'persona-search' }, 'Persona'), el.search,
        step('persona-prev', 'Previous persona', () => this.stepPersona(-1)), el.persona, step('persona-next', 'Next persona', () => this.stepPersona(1)), el.personaCount),
      h('span', { class: 'group' }, h('label', { for: 'question-select' }, 'Question'),
        step('question-prev', 'Previous question', () => this.stepQuestion(-1)), el.question, step('question-next', 'Next question', () => this.stepQuestion(1))),
      h('span', { class: 'group' }, h('label', { for: 'variant-select' }, 'Variant'),
        step('variant-prev', 'Previous variant', () => this.stepVariant(-1)), el.variant, step('variant-next', 'Next variant', () => this.stepVariant(1))));
    const top = h('div', { class: 'top' }, el.summary, el.estimate, el.diagnostics, el.variables);
    replaceChildren(this.app, toolbar, pickers, top, el.status, el.panes);
    this.applyMode();
  }

  private setCatalog(catalog: PreviewCatalog): void {
    this.catalog = catalog;
    this.el.model.options = catalog.models.map((m) => ({ label: m.id, value: m.id, description: `${m.encoding}${m.pricePer1kInput !== null ? ` · $${m.pricePer1kInput}/1k in` : ''}` }));
    this.el.question.options = catalog.questions.map((q) => ({ label: q.label, value: q.id, description: q.theme }));
    this.refilter(false);
    this.syncPickers();
  }

  private showRender(render: PreviewRender): void {
    if (render.version <= this.shownVersion) return; // stale: a newer render is already shown
    this.shownVersion = render.version;
    document.body.dataset.firstRenderAt ??= String(Date.now());
    const baseChanged = this.render?.base !== render.base;
    this.render = render;
    this.state.template = render.panes.find((p) => p.lang === render.activeLang)?.file ?? render.panes[0]?.file;
    this.state.selection = { ...render.selection, modelId: render.selection.modelId ?? undefined };
    this.el.status.hidden = true;
    this.el.panes.hidden = false;
    this.el.template.textContent = `${render.base}.{${render.panes.map((p) => p.lang).join(',')}}.hbs`;
    this.syncPickers();
    this.drawPanes(render, baseChanged);
    this.drawSummary(render);
    this.drawDiagnostics(render.panes.flatMap((p) => p.diagnostics));
    this.drawVariables(render);
    this.app.setAttribute('aria-busy', 'false');
    this.persist();
    requestAnimationFrame(() => {
      const at = Date.now();
      document.body.dataset.renderVersion = String(render.version);
      document.body.dataset.paintedAt = String(at);
      document.body.dataset.editAt = String(render.timing?.editAt ?? '');
      document.body.dataset.postedAt = String(render.timing?.postedAt ?? '');
      this.host.post({ type: 'preview/painted', version: render.version, at });
    });
  }

  private drawPanes(render: PreviewRender, baseChanged: boolean): void {
    const saved = baseChanged ? this.state.scroll[render.base] ?? 0 : undefined;
    const keep = new Set<string>();
    for (const pane of render.panes) {
      keep.add(pane.lang);
      let body = this.bodies.get(pane.lang);
      if (!body) {
        body = h('div', { class: 'pane-body', id: `pane-body-${pane.lang}`, tabindex: 0, role: 'region', 'aria-label': `${pane.lang.toUpperCase()} rendering` });
        this.bodies.set(pane.lang, body);
        this.sync.attach(body, () => [...this.bodies.values()]);
        this.el.panes.appendChild(h('article', { class: 'pane', id: `pane-${pane.lang}`, lang: pane.lang, dir: pane.dir }, h('header', { class: 'pane-header' }), body));
      }
      const article = body.parentElement!;
      article.setAttribute('lang', pane.lang);
      article.setAttribute('dir', pane.dir);
      const top = body.scrollTop; // replacing the children must not move the reader
      replaceChildren(article.querySelector('.pane-header')!, ...paneHeader(pane));
      replaceChildren(body, ...paneBody(pane));
      body.scrollTop = saved ?? top;
    }
    for (const [lang, body] of this.bodies) {
      if (keep.has(lang)) continue;
      body.parentElement?.remove();
      this.bodies.delete(lang);
    }
  }

  private drawSummary(render: PreviewRender): void {
    const model = render.model;
    replaceChildren(this.el.summary,
      ...render.panes.map((p) => h('span', { id: `summary-${p.lang}` }, h('strong', {}, p.lang.toUpperCase()),
        p.messages.length ? ` ${formatTokens(p.tokens)} · ${formatCost(p.cost)}` : ' not rendered (see the error)')),
      h('span', {}, model ? `per request, ${model.id} (${model.encoding}${model.priceSource === 'settings' ? ', price from settings' : model.priceSource === 'experiment' ? ', price from the experiment' : ', no price set'})` : 'no model'),
      h('span', { id: 'render-ms' }, `rendered in ${render.renderMs.toFixed(1)} ms`));
  }

  private drawDiagnostics(diags: Diagnostic[]): void {
    replaceChildren(this.el.diagnostics, ...diags.map((d) => h('li', {},
      h('button', { class: 'diag', type: 'button', title: 'Go to the template line', onclick: () => this.host.post({ type: 'preview/openSource', file: d.file, line: d.line, column: d.column }) },
        h('span', { class: `sev-${d.severity}` }, d.severity), h('span', { class: 'loc' }, `${d.file}:${d.line}:${d.column}`), h('span', { dir: 'auto' }, d.message)))));
  }

  private drawVariables(render: PreviewRender): void {
    const langs = render.panes.map((p) => p.lang);
    this.el.variables.description = `${render.variables.length} values the templates receive`;
    replaceChildren(this.el.varsTable,
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Variable'), ...langs.map((l) => h('th', { scope: 'col', lang: l }, l.toUpperCase())), h('th', { scope: 'col' }, 'Type'))),
      h('tbody', {}, ...render.variables.map((v) => h('tr', {},
        h('td', { class: 'path' }, v.path),
        ...langs.map((l) => h('td', { lang: l, dir: 'auto' }, h('bdi', {}, v.values[l] ?? ''))),
        h('td', { class: 'type' }, v.type)))));
  }

  private showEmpty(reason: string): void {
    this.el.status.textContent = reason;
    this.el.status.hidden = false;
    this.el.panes.hidden = true;
    this.app.setAttribute('aria-busy', 'false');
  }

  private showNotice(level: string, text: string): void {
    const bar = h('div', { class: `notice ${level === 'error' ? 'error' : level === 'warning' ? 'warning' : ''}`, role: 'alert' }, text);
    this.app.insertBefore(bar, this.app.firstChild);
    setTimeout(() => bar.remove(), 8000);
  }

  // ---- pickers -------------------------------------------------------------------------------------------

  private select(change: PreviewPersistedData['selection']): void {
    this.state.selection = { ...this.state.selection, ...change };
    this.persist();
    this.host.post({ type: 'preview/select', selection: this.state.selection });
  }

  private onSearch(): void {
    this.state.query = this.el.search.value;
    this.refilter(true);
  }

  /** Applies the search to the persona picker; moves the selection to the first match if it fell out. */
  private refilter(moveSelection: boolean): void {
    if (!this.catalog) return;
    this.filtered = filterPersonas(this.catalog.personas, this.state.query);
    const shown = this.filtered.slice(0, MAX_PICKER_PERSONAS);
    this.el.persona.options = shown.map((p) => ({ label: `${p.id} — ${p.label}`, value: p.id }));
    const total = this.catalog.personas.length;
    this.el.personaCount.textContent = this.filtered.length === total ? `${total} personas` : `${this.filtered.length} of ${total}`;
    if (moveSelection && this.filtered.length && !this.filtered.some((p) => p.id === this.state.selection.personaId)) {
      this.select({ personaId: this.filtered[0].id });
    }
    this.syncPickers();
  }

  private stepPersona(delta: number): void {
    const list = this.filtered.length ? this.filtered : this.catalog?.personas ?? [];
    const i = stepIndex(list.findIndex((p) => p.id === this.state.selection.personaId), delta, list.length);
    if (i >= 0) this.select({ personaId: list[i].id });
  }

  private stepQuestion(delta: number): void {
    const list = this.catalog?.questions ?? [];
    const i = stepIndex(list.findIndex((q) => q.id === this.state.selection.questionId), delta, list.length);
    if (i >= 0) this.select({ questionId: list[i].id });
  }

  private stepVariant(delta: number): void {
    const n = this.variantCount();
    const i = stepIndex(this.state.selection.variant ?? 0, delta, n);
    if (i >= 0) this.select({ variant: i });
  }

  private variantCount(): number {
    return this.catalog?.questions.find((q) => q.id === this.state.selection.questionId)?.variants ?? 0;
  }

  /** Puts the current selection into the pickers (without firing their change events back at us). */
  private syncPickers(): void {
    const s = this.state.selection;
    if (s.personaId && this.el.persona.value !== s.personaId && this.filtered.some((p) => p.id === s.personaId)) this.el.persona.value = s.personaId;
    if (s.questionId && this.el.question.value !== s.questionId) this.el.question.value = s.questionId;
    const n = this.variantCount();
    const question = this.catalog?.questions.find((q) => q.id === s.questionId);
    if (this.el.variant.options.length !== n || this.el.variant.dataset.question !== question?.id) {
      this.el.variant.dataset.question = question?.id ?? '';
      this.el.variant.options = Array.from({ length: n }, (_, i) => ({ label: `${i + 1} of ${n}`, value: String(i) }));
    }
    if (s.variant !== undefined && this.el.variant.value !== String(s.variant)) this.el.variant.value = String(s.variant);
    if (s.modelId && this.el.model.value !== s.modelId) this.el.model.value = s.modelId;
  }

  private setMode(mode: PaneMode): void {
    this.state.mode = mode;
    this.applyMode();
    this.persist();
  }

  private applyMode(): void {
    this.el.panes.className = `panes mode-${this.state.mode}`;
    for (const [m, b] of this.el.modeButtons) {
      b.setAttribute('aria-pressed', String(m === this.state.mode));
      if (m === this.state.mode) b.removeAttribute('secondary');
      else b.setAttribute('secondary', '');
    }
  }

  private rememberScroll(src: HTMLElement): void {
    if (!this.render) return;
    this.state.scroll[this.render.base] = src.scrollTop;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), 200);
  }

  private persist(): void {
    this.host.save({ kind: 'preview', version: 1, data: this.state });
  }
}

function paneHeader(p: PreviewPane): Node[] {
  const errors = p.diagnostics.filter((d) => d.severity === 'error').length;
  return [
    h('span', { class: 'lang' }, p.lang),
    h('span', { class: 'file', dir: 'ltr' }, p.file),
    errors ? h('span', { class: 'sev-error', dir: 'ltr' }, `${errors} error${errors > 1 ? 's' : ''}`) : null,
    // English text inside an RTL pane: its own LTR run, or "163 tokens · $0.01" reads backwards.
    h('span', { class: 'cost', id: `tokens-${p.lang}`, dir: 'ltr' }, p.messages.length ? `${formatTokens(p.tokens)} · ${formatCost(p.cost)}` : ''),
  ].filter((n): n is HTMLElement => n !== null);
}

function paneBody(p: PreviewPane): Node[] {
  const nodes: Node[] = [];
  if (p.error) nodes.push(h('pre', { class: 'pane-error', role: 'alert' }, p.error));
  for (const m of p.messages) {
    nodes.push(h('section', { class: `msg msg-${m.role}`, 'aria-label': `${m.role} message` },
      h('div', { class: 'role', dir: 'ltr' }, m.role),
      h('pre', { class: 'content', dir: 'auto' }, m.content)));
  }
  if (!p.error && !p.messages.length) nodes.push(h('p', { class: 'muted' }, 'The template rendered no messages.'));
  return nodes;
}

function isEstimate(v: unknown): v is ExperimentEstimate {
  return isObject(v) && typeof v.experimentFile === 'string' && typeof v.exact === 'boolean' && (v.cost === null || typeof v.cost === 'number')
    && ['requests', 'items', 'inputTokens', 'outputTokensMax', 'sampledItems', 'failedItems'].every((k) => typeof v[k] === 'number');
}

function restoredData(restored: unknown): PreviewPersistedData {
  const fallback: PreviewPersistedData = { selection: {}, mode: 'both', syncScroll: true, query: '', scroll: {} };
  if (!isObject(restored) || restored.kind !== 'preview' || !isObject(restored.data)) return fallback;
  const d = restored.data;
  return {
    template: typeof d.template === 'string' ? d.template : undefined,
    selection: isObject(d.selection) ? {
      personaId: typeof d.selection.personaId === 'string' ? d.selection.personaId : undefined,
      questionId: typeof d.selection.questionId === 'string' ? d.selection.questionId : undefined,
      variant: Number.isInteger(d.selection.variant) ? d.selection.variant as number : undefined,
      modelId: typeof d.selection.modelId === 'string' ? d.selection.modelId : undefined,
    } : {},
    mode: d.mode === 'en' || d.mode === 'ar' ? d.mode : 'both',
    syncScroll: d.syncScroll !== false,
    query: typeof d.query === 'string' ? d.query : '',
    scroll: isObject(d.scroll) ? Object.fromEntries(Object.entries(d.scroll).filter((e): e is [string, number] => typeof e[1] === 'number')) : {},
  };
}
