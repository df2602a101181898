// Culture dashboard webview: cultures × metrics (chart + table), drill-down to a question's distributions, base vs
// tuned paired deltas per culture, exports. Data comes from the host (`culture/report` after the ready handshake);
// the same bundle runs inside the exported HTML report, where a shim stands in for the host.
import type { Chart } from 'chart.js';
import { connect, getState, request, setState } from '../common/bridge';
import { h, replaceChildren } from '../common/dom';
import type { CulturePanelState, CultureRequests, CultureRunSummary, CultureSideRef, PersistedPanelState } from '../../src/shared/protocol';
import type { CultureComparison, CultureReport } from '../../src/core/culture/cultureReportTypes';
import type { CultureMetric, CultureScore, Interval as MeanInterval } from '../../src/core/culture/scoreCulture';
import { cultureReportTables } from '../../src/core/culture/cultureReportTables';
import { tableToCsv, tableToJson } from '../../src/core/results/resultsTables';
import { chartTheme, onThemeChange } from '../results/theme';
import { notify, clearNotices } from '../results/notify';
import { labelledSelect, sectionHeader } from '../results/widgets';
import { deltaChart, distributionChart, scoreChart, type Interval, type Series } from './charts';
import resultsCss from '../results/results.css';
import css from './culture.css';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`${resultsCss}\n${css}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const METRICS: Array<[CultureMetric, string]> = [['jsd', '1 − JSD'], ['wasserstein', '1 − W1'], ['accuracy', 'Accuracy']];
const TABS: Array<[NonNullable<CulturePanelState['tab']>, string]> = [['overview', 'Overview'], ['questions', 'Questions'], ['compare', 'Compare models']];

interface Ctx {
  report: CultureReport | null;
  runs: CultureRunSummary[];
  runUri?: string;
  standalone: boolean;
  comparison: CultureComparison | null;
  state: CulturePanelState;
}
const ctx: Ctx = { report: null, runs: [], standalone: false, comparison: null, state: {} };
const restored = getState<PersistedPanelState>();
if (restored?.kind === 'culture' && restored.data && typeof restored.data === 'object') ctx.state = { ...(restored.data as CulturePanelState) };
let charts: Chart[] = [];
const app = document.getElementById('app')!;
replaceChildren(app, h('h1', {}, 'Culture Dashboard'), h('div', { id: 'notices', 'aria-live': 'polite' }), h('p', { class: 'muted', id: 'status' }, 'Loading…'));

function save(patch: Partial<CulturePanelState>): void {
  Object.assign(ctx.state, patch);
  setState({ kind: 'culture', version: 1, data: ctx.state });
}
const call = <M extends keyof CultureRequests>(m: M, p: CultureRequests[M]['params'], timeoutMs?: number): Promise<CultureRequests[M]['result']> => request(m, p, timeoutMs);
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : (x * 100).toFixed(1));
const signed = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`);
const ciText = (i: MeanInterval, sign = false): string => (sign ? `[${signed(i.low)}, ${signed(i.high)}]` : `[${pct(i.low)}, ${pct(i.high)}]`);
const toInterval = (i: MeanInterval | undefined): Interval => (i && Number.isFinite(i.low) ? [i.low * 100, i.high * 100] : null);
const metricLabel = (m: CultureMetric): string => METRICS.find(([k]) => k === m)![1];

interface Side { model: string; template: string; label: string }
function sidesOf(r: CultureReport): Side[] {
  const seen = new Map<string, Side>();
  for (const c of r.conditions) {
    const key = `${c.model}\u0000${c.pattern}`;
    if (!seen.has(key)) seen.set(key, { model: c.model, template: c.pattern, label: r.templates.length > 1 ? `${c.model} · ${c.pattern.replace(/^.*\//, '')}` : c.model });
  }
  return [...seen.values()];
}
function scoreOf(r: CultureReport, side: Side, culture: string): CultureScore | undefined {
  const ids = new Set(r.conditions.filter((c) => c.model === side.model && c.pattern === side.template && c.cultureId === culture).map((c) => c.id));
  return r.scores.find((s) => ids.has(s.condition));
}
const cultureName = (r: CultureReport, id: string): string => r.cultures.find((c) => c.id === id)?.name ?? id;

async function exportTable(format: 'csv' | 'json' | 'html', table?: string): Promise<void> {
  try {
    if (!ctx.standalone) {
      const file = await call('export', { format, table }, 120000);
      if (file) notify('info', `Saved ${file}`);
      return;
    }
    const r = ctx.report!;
    const tables = cultureReportTables({ ...r, comparison: ctx.comparison ?? r.comparison });
    const pick = tables.find((t) => t.name === table);
    const text = pick ? (format === 'csv' ? tableToCsv(pick) : tableToJson(pick)) : JSON.stringify({ report: r, tables }, null, 2);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
    a.download = `${r.runId}${pick ? `.${pick.name}` : ''}.${pick && format === 'csv' ? 'csv' : 'json'}`;
    a.click();
  } catch (e) {
    notify('error', errText(e));
  }
}
function exportButtons(table: string): HTMLElement {
  const b = (f: 'csv' | 'json') => h('button', { class: 'secondary small', type: 'button', 'data-export': `${table}.${f}`, 'aria-label': `Export the ${table} table as ${f.toUpperCase()}`, onclick: () => void exportTable(f, table) }, f.toUpperCase());
  return h('span', { class: 'export-buttons', role: 'group', 'aria-label': `Export ${table}` }, h('span', { class: 'muted small' }, `${table}:`), b('csv'), b('json'));
}

function destroyCharts(): void {
  for (const c of charts) c.destroy();
  charts = [];
}
function afterPaint(el: HTMLElement, draw: () => void): void {
  requestAnimationFrame(() => {
    if (!el.isConnected) return;
    draw();
    el.setAttribute('data-charts', 'ready');
  });
}

function render(): void {
  const r = ctx.report;
  if (!r) return;
  destroyCharts();
  const tab = TABS.some(([t]) => t === ctx.state.tab) ? ctx.state.tab! : 'overview';
  const runPicker = !ctx.standalone && ctx.runs.length > 1
    ? labelledSelect('run-picker', 'Run', ctx.runs.map((x): [string, string] => [x.uri, x.label]), ctx.runUri ?? '', (v) => void call('openRun', { uri: v }).catch((e: unknown) => notify('error', errText(e))))
    : null;
  const header = h('header', { class: 'results-header' },
    h('div', { class: 'title-row' },
      h('h1', { id: 'title' }, 'Culture Dashboard'),
      h('span', { class: 'run-name', id: 'run-name' }, `${r.experimentName} · ${r.runId}`),
      r.recorded ? h('span', { class: 'badge', title: 'Answers replayed from recorded (or simulated) models' }, 'recorded') : null),
    h('div', { class: 'toolbar wrap' }, runPicker,
      labelledSelect('metric-select', 'Metric', METRICS, ctx.state.metric ?? 'jsd', (v) => { save({ metric: v as CultureMetric }); render(); }),
      h('span', { class: 'spacer-flex' }),
      h('button', { type: 'button', id: 'export-html', onclick: () => void exportTable(ctx.standalone ? 'json' : 'html') }, ctx.standalone ? 'Download data (JSON)' : 'Export HTML report'),
      ctx.standalone ? null : h('button', { type: 'button', class: 'secondary', id: 'export-json', onclick: () => void exportTable('json') }, 'Export JSON')));
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Culture dashboard views' }, ...TABS.map(([id, text]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-selected': id === tab ? 'true' : 'false', 'aria-controls': 'tabpanel', tabindex: id === tab ? 0 : -1,
    onclick: () => { save({ tab: id }); render(); },
    onkeydown: (e: Event) => {
      const k = (e as KeyboardEvent).key;
      const i = TABS.findIndex(([t]) => t === tab);
      const next = k === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : k === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
      if (next) { save({ tab: next[0] }); render(); document.getElementById(`tab-${next[0]}`)?.focus(); }
    },
  }, text)));
  const panel = h('div', { role: 'tabpanel', id: 'tabpanel', 'aria-labelledby': `tab-${tab}`, 'data-tab': tab });
  if (tab === 'overview') panel.append(overview(r));
  else if (tab === 'questions') panel.append(questions(r));
  else panel.append(compare(r));
  replaceChildren(app, header, h('div', { id: 'notices', 'aria-live': 'polite' }), tablist, panel);
  app.setAttribute('aria-busy', 'false');
  document.title = `Culture — ${r.experimentName}`;
}

function overview(r: CultureReport): HTMLElement {
  const metric = ctx.state.metric ?? 'jsd';
  const sides = sidesOf(r);
  const cultures = r.cultures.map((c) => c.id);
  const series: Series[] = sides.map((s, i) => ({
    label: s.label, colour: i,
    values: cultures.map((c) => { const x = scoreOf(r, s, c); return x ? x.summary[metric].mean * 100 : null; }),
    ci: cultures.map((c) => toInterval(scoreOf(r, s, c)?.summary[metric])),
  }));
  series.push({ label: 'random baseline', colour: 'muted', values: cultures.map((c) => { const x = sides.map((s) => scoreOf(r, s, c)).find(Boolean); return x ? x.random[metric].mean * 100 : null; }) });
  const canvas = h('canvas', { id: 'culture-chart', role: 'img', 'aria-label': `${metricLabel(metric)} per culture and model with confidence intervals; the table below lists the values.` });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = `${Math.max(180, 60 + cultures.length * (14 + 12 * series.length))}px`;
  const rows = r.scores.map((s) => {
    const c = r.conditions.find((x) => x.id === s.condition)!;
    const side = sides.find((x) => x.model === c.model && x.template === c.pattern)!;
    return h('tr', { 'data-condition': s.condition },
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link culture-name', 'data-culture': s.cultureId, onclick: () => { save({ tab: 'questions', culture: s.cultureId, questionId: undefined }); render(); } }, cultureName(r, s.cultureId)),
        h('div', { class: 'muted small' }, (r.cultures.find((x) => x.id === s.cultureId)?.countries ?? []).map((x) => `${x.country} (${x.respondents})`).join(', '))),
      h('td', {}, side.label),
      ...METRICS.map(([m]) => h('td', { class: 'num' }, pct(s.summary[m].mean), h('div', { class: 'muted small' }, ciText(s.summary[m])))),
      h('td', { class: 'num' }, pct(s.random.accuracy.mean), h('div', { class: 'muted small' }, `${pct(s.random.jsd.mean)} / ${pct(s.random.wasserstein.mean)}`)),
      h('td', { class: 'num' }, String(s.questions.length), s.skipped.length ? h('div', { class: 'muted small' }, `${s.skipped.length} skipped`) : null),
      h('td', { class: 'num' }, `${s.unparsed} / ${s.samples}`));
  });
  const el = h('div', { class: 'overview' },
    sectionHeader('h2', `${metricLabel(metric)} per culture`, 'chart-title'),
    box,
    sectionHeader('h2', 'Scores per culture and model', 'summary-title', exportButtons('summary'), exportButtons('questions')),
    h('table', { class: 'data', id: 'summary-table', 'aria-labelledby': 'summary-title' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Culture'), h('th', { scope: 'col' }, 'Model'),
        ...METRICS.map(([, l]) => h('th', { scope: 'col', class: 'num' }, l, h('div', { class: 'muted small' }, `${Math.round(r.settings.level * 100)}% CI`))),
        h('th', { scope: 'col', class: 'num' }, 'Random', h('div', { class: 'muted small' }, 'acc · JSD / W1')),
        h('th', { scope: 'col', class: 'num' }, 'Questions'), h('th', { scope: 'col', class: 'num' }, 'Unparsed'))),
      h('tbody', {}, ...rows)),
    h('p', { class: 'muted small' }, `Scores × 100 per question, averaged over questions: 1 − Jensen–Shannon distance and 1 − Wasserstein-1 / (K − 1) between the model's sampled answer distribution and the culture's (WVS respondents), and accuracy = share of samples equal to the culture's majority answer (CultureLLM's metric). CIs: percentile bootstrap over questions (${r.settings.resamples} resamples, seed ${r.settings.seed}). Random: a model answering uniformly. ${r.samples} samples per question.`,
      r.heldOut ? ` Held-out questions only (${r.heldOut.length}).` : '', r.failed ? ` ${r.failed} failed requests are not scored.` : ''));
  afterPaint(el, () => charts.push(scoreChart(canvas, cultures.map((c) => cultureName(r, c)), series, metricLabel(metric), chartTheme())));
  return el;
}

function questions(r: CultureReport): HTMLElement {
  const metric = ctx.state.metric ?? 'jsd';
  const culture = r.cultures.some((c) => c.id === ctx.state.culture) ? ctx.state.culture! : r.cultures[0]!.id;
  const sides = sidesOf(r);
  const scores = sides.map((s) => scoreOf(r, s, culture));
  const seedById = new Map(r.seeds.map((q) => [q.id, q]));
  const ids = r.seeds.map((q) => q.id).filter((id) => scores.some((s) => s?.questions.some((q) => q.questionId === id)));
  const sort = ctx.state.sortKey ?? 'order';
  const key = (id: string): number => scores[0]?.questions.find((q) => q.questionId === id)?.scores[metric] ?? -1;
  const ordered = sort === 'order' ? ids : [...ids].sort((a, b) => (sort === 'worst' ? key(a) - key(b) : key(b) - key(a)));
  const selected = ids.includes(ctx.state.questionId ?? '') ? ctx.state.questionId : undefined;
  const rows = ordered.map((id) => {
    const q = seedById.get(id)!;
    const first = scores.find((s) => s?.questions.some((x) => x.questionId === id))!.questions.find((x) => x.questionId === id)!;
    return h('tr', { 'data-question': id, class: id === selected ? 'selected' : null, tabindex: 0, 'aria-selected': id === selected ? 'true' : 'false',
      onclick: () => { save({ questionId: id }); render(); document.getElementById('question-detail')?.scrollIntoView({ block: 'start' }); },
      onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === 'Enter') { save({ questionId: id }); render(); } } },
    h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', 'data-open': id }, id)),
    h('td', { class: 'question-text', title: q.text }, q.text),
    h('td', { class: 'num' }, String(first.cultureMajority)),
    ...scores.map((s) => {
      const x = s?.questions.find((y) => y.questionId === id);
      return h('td', { class: 'num' }, x ? pct(x.scores[metric]) : '—', x ? h('div', { class: 'muted small' }, `majority ${x.modelMajority}`) : null);
    }));
  });
  const skipped = scores[0]?.skipped ?? [];
  const el = h('div', { class: 'questions' },
    h('div', { class: 'toolbar wrap' },
      labelledSelect('culture-select', 'Culture', r.cultures.map((c): [string, string] => [c.id, c.name]), culture, (v) => { save({ culture: v, questionId: undefined }); render(); }),
      labelledSelect('question-sort', 'Order', [['order', 'Survey order'], ['worst', `Lowest ${metricLabel(metric)} first`], ['best', `Highest ${metricLabel(metric)} first`]], sort, (v) => { save({ sortKey: v }); render(); })),
    sectionHeader('h2', `${cultureName(r, culture)}: ${metricLabel(metric)} per question`, 'questions-title', exportButtons('questions')),
    h('table', { class: 'data', id: 'question-table', 'aria-labelledby': 'questions-title' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Question'), h('th', { scope: 'col' }, 'Text'), h('th', { scope: 'col', class: 'num' }, 'Culture majority'),
        ...sides.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)))),
      h('tbody', {}, ...rows)),
    skipped.length ? h('p', { class: 'skipped', id: 'skipped' }, `Not scored for ${cultureName(r, culture)}: ${skipped.map((k) => `${k.questionId} (${k.reason === 'no-culture-answers' ? 'not asked there' : 'no parsable reply'})`).join(', ')}`) : null,
    selected ? detail(r, culture, selected, sides, scores) : null);
  return el;
}

function detail(r: CultureReport, culture: string, id: string, sides: Side[], scores: Array<CultureScore | undefined>): HTMLElement {
  const q = r.seeds.find((x) => x.id === id)!;
  const codes = Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i);
  const label = (code: number): string => { const p = q.scale.find((s) => s.code === code); return p ? `${code} ${p.label}` : String(code); };
  const perSide = scores.map((s) => s?.questions.find((x) => x.questionId === id));
  const cultureDist = perSide.find(Boolean)!.culture;
  const series: Series[] = [{ label: `${cultureName(r, culture)} (WVS)`, colour: 'muted', values: cultureDist.map((p) => p * 100) },
    ...sides.map((s, i) => ({ label: s.label, colour: i, values: (perSide[i]?.model ?? codes.map(() => null)).map((p) => (p === null ? null : p * 100)) }))];
  const canvas = h('canvas', { id: 'distribution-chart', role: 'img', 'aria-label': `Answer distributions of ${id}: the culture's and each model's; the table below lists the values.` });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = '260px';
  const el = h('section', { class: 'question-detail', id: 'question-detail', 'aria-labelledby': 'detail-title' },
    h('div', { class: 'section-header' }, h('h3', { id: 'detail-title' }, `${id}: ${q.text}`),
      h('span', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', id: 'close-detail', onclick: () => { save({ questionId: undefined }); render(); } }, 'Close'))),
    h('p', { class: 'scale' }, `Scale ${q.min}–${q.max}: ${q.scale.map((s) => `${s.code} = ${s.label}`).join(', ')}`),
    box,
    h('table', { class: 'data', id: 'distribution-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Answer'), h('th', { scope: 'col', class: 'num' }, `${cultureName(r, culture)} (WVS)`), ...sides.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)))),
      h('tbody', {}, ...codes.map((code, i) => h('tr', {}, h('th', { scope: 'row' }, label(code)), h('td', { class: 'num' }, `${pct(cultureDist[i])}%`),
        ...perSide.map((x) => h('td', { class: 'num' }, x ? `${pct(x.model[i])}%` : '—'))))),
      h('tfoot', {}, ...METRICS.map(([m, l]) => h('tr', {}, h('th', { scope: 'row' }, l), h('td', { class: 'num muted' }, `random ${pct(perSide.find(Boolean)!.random[m])}`),
        ...perSide.map((x) => h('td', { class: 'num' }, x ? pct(x.scores[m]) : '—')))))),
    h('p', { class: 'muted small' }, `Culture: ${perSide.find(Boolean)!.cultureMajority} is the majority answer. Models: ${perSide.map((x, i) => (x ? `${sides[i]!.label} ${x.valid} valid, ${x.unparsed} unparsed` : '')).filter(Boolean).join(' · ')}.`));
  afterPaint(el, () => charts.push(distributionChart(canvas, codes.map(label), series, chartTheme())));
  return el;
}

function sideKey(s: CultureSideRef): string {
  return JSON.stringify([s.runUri, s.model, s.template]);
}

function compare(r: CultureReport): HTMLElement {
  const metric = ctx.state.metric ?? 'jsd';
  const runs = ctx.standalone || ctx.runs.length === 0 ? [{ uri: ctx.runUri ?? '', label: r.runId, models: [], templates: [] } as unknown as CultureRunSummary] : ctx.runs;
  const options: Array<[string, string, CultureSideRef]> = [];
  for (const run of runs) {
    const isCurrent = run.uri === (ctx.runUri ?? '');
    const sides = isCurrent ? sidesOf(r).map((s) => ({ model: s.model, template: s.template })) : run.models.flatMap((m) => run.templates.map((t) => ({ model: m, template: t })));
    for (const s of sides) {
      const ref: CultureSideRef = { runUri: run.uri, model: s.model, template: s.template };
      options.push([sideKey(ref), `${s.model}${run.templates.length > 1 || (isCurrent && r.templates.length > 1) ? ` · ${s.template.replace(/^.*\//, '')}` : ''} — ${isCurrent ? 'this run' : run.label}`, ref]);
    }
  }
  const current = ctx.comparison ?? r.comparison;
  const a = ctx.state.compareA ?? (current ? { runUri: ctx.runUri ?? '', model: current.a.model, template: current.a.template } : options[0]?.[2]);
  const b = ctx.state.compareB ?? (current ? { runUri: ctx.runUri ?? '', model: current.b.model, template: current.b.template } : options[1]?.[2]);
  const pick = (which: 'compareA' | 'compareB') => (v: string) => {
    const ref = options.find(([k]) => k === v)?.[2];
    if (!ref) return;
    save({ [which]: ref });
    const na = which === 'compareA' ? ref : a;
    const nb = which === 'compareB' ? ref : b;
    if (!na || !nb || sideKey(na) === sideKey(nb)) return notify('warning', 'Pick two different models to compare.');
    if (ctx.standalone) return notify('info', 'The exported report keeps the comparison it was exported with.');
    void call('compare', { a: na, b: nb }, 60000).then((c) => { ctx.comparison = c; render(); }, (e: unknown) => notify('error', errText(e)));
  };
  const el = h('div', { class: 'compare' },
    h('div', { class: 'toolbar wrap' },
      labelledSelect('compare-b', 'Compare', options.map(([k, l]) => [k, l]), b ? sideKey(b) : '', pick('compareB')),
      h('span', { class: 'minus', 'aria-hidden': 'true' }, '−'),
      labelledSelect('compare-a', 'against', options.map(([k, l]) => [k, l]), a ? sideKey(a) : '', pick('compareA'))));
  if (!current) {
    el.append(h('p', { class: 'muted', id: 'compare-empty' }, options.length < 2 ? 'This run has one model only: run another (e.g. the fine-tuned one) to compare.' : 'Pick the two models to compare.'));
    return el;
  }
  const cultures = [...new Set(current.deltas.map((d) => d.cultureId))];
  const byMetric = (c: string, m: CultureMetric) => current.deltas.find((d) => d.cultureId === c && d.metric === m);
  const label = `${current.b.model} − ${current.a.model}: ${metricLabel(metric)}`;
  const canvas = h('canvas', { id: 'delta-chart', role: 'img', 'aria-label': `${label} per culture with confidence intervals; the table below lists the values.` });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = `${Math.max(160, 50 + cultures.length * 30)}px`;
  el.append(
    sectionHeader('h2', `${current.b.model} − ${current.a.model} per culture (paired over questions)`, 'compare-title', exportButtons('deltas')),
    box,
    h('table', { class: 'data', id: 'delta-table', 'aria-labelledby': 'compare-title' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Culture'), h('th', { scope: 'col', class: 'num' }, 'Questions'), ...METRICS.map(([, l]) => h('th', { scope: 'col', class: 'num' }, `Δ ${l}`, h('div', { class: 'muted small' }, `${Math.round(r.settings.level * 100)}% CI`))))),
      h('tbody', {}, ...cultures.map((c) => h('tr', { 'data-culture': c }, h('th', { scope: 'row' }, cultureName(r, c)), h('td', { class: 'num' }, String(byMetric(c, 'jsd')?.questions ?? 0)),
        ...METRICS.map(([m]) => { const d = byMetric(c, m)!.delta; return h('td', { class: `num ${d.low > 0 ? 'gain' : d.high < 0 ? 'loss' : ''}` }, signed(d.mean), h('div', { class: 'muted small' }, ciText(d, true))); }))))),
    h('p', { class: 'muted small' }, 'Per culture: the mean over the questions both scored of (b − a), with a percentile bootstrap CI over questions; green: the CI lies above 0 (b closer to the culture), red: below.'));
  afterPaint(el, () => charts.push(deltaChart(canvas, cultures.map((c) => cultureName(r, c)), cultures.map((c) => (byMetric(c, metric)?.delta.mean ?? 0) * 100), cultures.map((c) => toInterval(byMetric(c, metric)?.delta)), label, chartTheme())));
  return el;
}

connect((m) => {
  if (m.type === 'culture/report' && m.report && typeof m.report === 'object') {
    const prev = ctx.runUri;
    ctx.report = m.report as CultureReport;
    ctx.standalone = m.standalone === true;
    ctx.runUri = typeof m.runUri === 'string' ? m.runUri : undefined;
    ctx.comparison = null;
    if (prev && prev !== ctx.runUri) save({ questionId: undefined, compareA: undefined, compareB: undefined });
    save({ runUri: ctx.runUri });
    clearNotices();
    render();
    const { compareA, compareB } = ctx.state;
    if (compareA && compareB && !ctx.standalone) void call('compare', { a: compareA, b: compareB }, 60000).then((c) => { ctx.comparison = c; render(); }, () => undefined);
  } else if (m.type === 'culture/runs' && Array.isArray(m.runs)) {
    ctx.runs = m.runs as CultureRunSummary[];
    if (ctx.report) render();
    else {
      const status = document.getElementById('status');
      if (status) status.textContent = ctx.runs.length ? 'Choose a culture run to open.' : 'No culture runs yet: run a culture experiment (Alignment Studio: Evaluate Cultures).';
      app.setAttribute('aria-busy', 'false');
    }
  } else if (m.type === 'culture/loading' && typeof m.label === 'string') {
    const status = document.getElementById('status');
    if (status) status.textContent = `Loading ${m.label}…`;
  } else if (m.type === 'notice' && typeof m.text === 'string') {
    notify(m.level === 'error' || m.level === 'warning' ? m.level : 'info', m.text);
    app.setAttribute('aria-busy', 'false');
  }
});

onThemeChange(() => { if (ctx.report) render(); });
