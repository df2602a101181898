// Results webview: overview, per-demographic charts, per-persona delta table with drill-down, run comparison,
// exports. Data arrives from the host (`results` after the ready handshake); the same bundle runs inside the
// exported HTML report, where a shim stands in for the host (see src/core/results/renderHtmlReport.ts).
import { connect, getState, post } from '../common/bridge';
import { h, replaceChildren } from '../common/dom';
import type { PersistedPanelState, ResultsLiveMessage, ResultsPaintedMessage, ResultsPanelState, ResultsRunSummary } from '../../src/shared/protocol';
import type { ResultsView, RunComparison } from '../../src/core/results/types';
import { call, ctx, exportTable, saveState } from './context';
import { renderOverview } from './overview';
import { destroyCharts, renderGroups } from './groups';
import { renderPersonaTable } from './personaTable';
import { renderDrillDown, renderPersonaCells } from './personaDetail';
import type { DetailOptions } from './personaDetail';
import { renderCompare } from './compare';
import { leaveLive, renderLive } from './live';
import { clearNotices, notify } from './notify';
import { labelledSelect } from './widgets';
import { onThemeChange } from './theme';
import css from './results.css';

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const TABS: Array<[id: string, label: string]> = [['overview', 'Overview'], ['groups', 'Groups'], ['personas', 'Personas'], ['compare', 'Compare runs']];
const app = document.getElementById('app')!;
const restored = getState<PersistedPanelState>();
if (restored?.kind === 'results' && restored.data && typeof restored.data === 'object') ctx.state = { ...(restored.data as ResultsPanelState) };

replaceChildren(app, h('h1', { id: 'title' }, 'Alignment Results'), h('div', { id: 'notices', 'aria-live': 'polite' }), h('p', { class: 'muted', id: 'status' }, 'Loading results…'));

function tab(): string {
  return TABS.some(([id]) => id === ctx.state.tab) ? ctx.state.tab! : 'overview';
}

/** Re-renders the whole panel from ctx (cheap: charts and the virtual table only build what is visible). */
function render(): void {
  const view = ctx.view;
  if (!view) return;
  destroyCharts();
  const current = tab();
  const pairPicker = view.pair && view.conditions.length > 1 && !ctx.standalone ? h('div', { class: 'pair', role: 'group', 'aria-label': 'Headline comparison' },
    labelledSelect('pair-b', 'Compare', view.conditions.map((c) => [c.id, c.label]), view.pair[1], (v) => void setPair([view.pair![0], v])),
    h('span', { class: 'minus', 'aria-hidden': 'true' }, '−'),
    labelledSelect('pair-a', 'against', view.conditions.map((c) => [c.id, c.label]), view.pair[0], (v) => void setPair([v, view.pair![1]]))) : null;
  const runPicker = !ctx.standalone && ctx.runs.length > 1 ? labelledSelect('run-picker', 'Run', ctx.runs.map((r): [string, string] => [r.uri, r.label]), ctx.runUri ?? '',
    (v) => void call('openRun', { uri: v }).catch((e: unknown) => notify('error', errText(e)))) : null;

  const header = h('header', { class: 'results-header' },
    h('div', { class: 'title-row' },
      h('h1', { id: 'title' }, 'Alignment Results'),
      h('span', { class: 'run-name', id: 'run-name' }, `${view.experimentName} · ${view.runId}`),
      view.recorded ? h('span', { class: 'badge', title: 'Answers replayed from recorded completions' }, 'recorded') : null),
    h('div', { class: 'toolbar wrap' }, runPicker, pairPicker,
      h('span', { class: 'spacer-flex' }),
      h('button', { type: 'button', id: 'export-html', onclick: () => void doExport('html') }, ctx.standalone ? 'Download data (JSON)' : 'Export HTML report'),
      ctx.standalone ? null : h('button', { type: 'button', class: 'secondary', id: 'export-json', onclick: () => void doExport('json') }, 'Export JSON')));

  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Results views' }, ...TABS.map(([id, text]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-selected': id === current ? 'true' : 'false', 'aria-controls': 'tabpanel', tabindex: id === current ? 0 : -1,
    onclick: () => { saveState({ tab: id }); render(); },
    onkeydown: (e: Event) => {
      const k = (e as KeyboardEvent).key;
      const i = TABS.findIndex(([t]) => t === current);
      const next = k === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : k === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : null;
      if (next) { saveState({ tab: next[0] }); render(); document.getElementById(`tab-${next[0]}`)?.focus(); }
    },
  }, text)));

  const panel = h('div', { role: 'tabpanel', id: 'tabpanel', 'aria-labelledby': `tab-${current}`, 'data-tab': current });
  if (current === 'overview') panel.append(renderOverview(view));
  else if (current === 'groups') panel.append(renderGroups(view, ctx.state.field ?? 'sex', (f) => { saveState({ field: f }); render(); }));
  else if (current === 'personas') renderPersonas(panel, view);
  else panel.append(renderCompare(view, ctx.runs, ctx.runUri, ctx.comparison, ctx.state.compareUri, (uri) => void compareWith(uri), ctx.standalone));

  replaceChildren(app, header, h('div', { id: 'notices', 'aria-live': 'polite' }), tablist, panel);
  app.setAttribute('aria-busy', 'false');
  document.title = `Results — ${view.experimentName}`;
  const painted: ResultsPaintedMessage = {
    type: 'results/painted', kind: 'results', runUri: ctx.runUri ?? '', records: view.responses ?? 0,
    delta: document.getElementById('headline-delta')?.textContent ?? '', stop: view.stop ? `${view.stop.rule}: ${view.stop.reason}` : null,
  };
  if (!ctx.standalone) requestAnimationFrame(() => post(painted));
}

function renderPersonas(panel: HTMLElement, view: ResultsView): void {
  const s = ctx.state;
  panel.append(renderPersonaTable(view, {
    query: { search: s.search, sortKey: s.sortKey, sortDir: s.sortDir, filters: s.filters, deltaSign: s.deltaSign },
    selected: s.personaId,
    onQuery: (q, rerender) => {
      saveState({ search: q.search, sortKey: q.sortKey, sortDir: q.sortDir, filters: q.filters, deltaSign: q.deltaSign });
      if (rerender) render();
    },
    onSelect: (id) => { saveState({ personaId: id, questionId: undefined }); render(); },
  }));
  const detail = h('div', { id: 'detail-slot', 'aria-live': 'polite' });
  panel.append(detail);
  if (s.personaId) void showPersona(detail, view, s.personaId, s.questionId);
}

async function showPersona(slot: HTMLElement, view: ResultsView, personaId: string, questionId?: string, reveal = false): Promise<void> {
  const opts: DetailOptions = {
    onCell: (q) => { saveState({ questionId: q }); void showPersona(slot, view, personaId, q, true); },
    onOpenTemplate: (condition, line) => void call('openTemplate', { condition, line }).catch((e: unknown) => notify('error', errText(e))),
    onClose: () => { saveState(questionId ? { questionId: undefined } : { personaId: undefined, questionId: undefined }); render(); },
  };
  try {
    const cells = await call('personaCells', { personaId });
    const parts: HTMLElement[] = [renderPersonaCells(view, personaId, cells, questionId, opts)];
    if (questionId) {
      const d = await call('drill', { personaId, questionId }, 30000);
      parts.push(renderDrillDown(d, view, opts));
    }
    replaceChildren(slot, ...parts);
    // Only a click reveals the drill-down; a restore or re-render keeps the user's scroll position.
    if (questionId && reveal) document.getElementById('drill')?.scrollIntoView({ block: 'start' });
  } catch (e) {
    replaceChildren(slot, h('p', { class: 'notice warning' }, errText(e)));
  }
}

async function setPair(pair: [string, string]): Promise<void> {
  if (pair[0] === pair[1]) return notify('warning', 'Pick two different conditions to compare.');
  try {
    if (ctx.standalone) return notify('info', 'The exported report keeps the pair it was exported with.');
    ctx.view = await call('setPair', { pair });
    saveState({ pair });
    render();
  } catch (e) {
    notify('error', errText(e));
  }
}

async function compareWith(uri: string): Promise<void> {
  try {
    saveState({ compareUri: uri });
    ctx.comparison = await call('compare', { beforeUri: uri }, 120000);
    render();
  } catch (e) {
    notify('error', errText(e));
  }
}

async function doExport(format: 'json' | 'html'): Promise<void> {
  try {
    const file = await exportTable(ctx.standalone ? 'json' : format);
    if (file) notify('info', `Saved ${file}`);
  } catch (e) {
    notify('error', errText(e));
  }
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

connect((m) => {
  if (m.type === 'live' && m.live && typeof m.live === 'object' && typeof m.runUri === 'string') {
    // A run in progress: the live view until its results arrive.
    ctx.view = null;
    ctx.runUri = m.runUri;
    destroyCharts();
    if (renderLive(app, m as unknown as ResultsLiveMessage)) document.title = `Live — ${String(m.experimentName)}`;
    return;
  }
  if (m.type === 'results' && m.view && typeof m.view === 'object') {
    leaveLive();
    const next = m.view as ResultsView;
    // The full view (with group CIs) following the quick first one: swap it in without disturbing the user.
    if (ctx.view && ctx.view.breakdownCIs === false && next.runId === ctx.view.runId && m.runUri === ctx.runUri) {
      ctx.view = next;
      if (tab() === 'groups') render();
      return;
    }
    const prevRun = ctx.runUri;
    ctx.view = m.view as ResultsView;
    ctx.comparison = (m.comparison as RunComparison | null | undefined) ?? null;
    ctx.standalone = m.standalone === true;
    ctx.runUri = typeof m.runUri === 'string' ? m.runUri : undefined;
    if (prevRun && prevRun !== ctx.runUri) saveState({ personaId: undefined, questionId: undefined, compareUri: undefined });
    saveState({ runUri: ctx.runUri, pair: ctx.view.pair ?? undefined });
    clearNotices();
    render();
    if (ctx.state.compareUri && !ctx.comparison && !ctx.standalone) void compareWith(ctx.state.compareUri);
  } else if (m.type === 'runs' && Array.isArray(m.runs)) {
    ctx.runs = m.runs as ResultsRunSummary[];
    if (ctx.view) render();
    else {
      const status = document.getElementById('status');
      if (status) status.textContent = ctx.runs.length ? 'Choose a run to open.' : 'No runs yet. Run an experiment to see results here.';
      app.setAttribute('aria-busy', 'false');
    }
  } else if (m.type === 'loading' && typeof m.label === 'string') {
    const status = document.getElementById('status');
    if (status) status.textContent = `Loading ${m.label}…`;
    else notify('info', `Loading ${m.label}…`);
  } else if (m.type === 'notice' && typeof m.text === 'string') {
    notify(m.level === 'error' || m.level === 'warning' ? m.level : 'info', m.text);
    app.setAttribute('aria-busy', 'false');
  }
});

onThemeChange(() => { if (ctx.view && tab() === 'groups') render(); });
