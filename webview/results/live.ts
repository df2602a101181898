// Live view of a run in progress: scores per condition, the headline delta converging with its anytime-valid
// confidence sequence (and the fixed-n bootstrap CI), coverage, and the stop reason once a stop rule holds.
// Snapshots arrive a few times a second; the view is built once per run and updated in place (no flicker, no
// chart rebuild), then replaced by the full results when the run ends.
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { h, replaceChildren } from '../common/dom';
import { post } from '../common/bridge';
import type { ResultsLiveMessage, ResultsPaintedMessage } from '../../src/shared/protocol';
import { pts, signedPts } from './format';
import { chartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip, Legend);

interface LiveDom {
  runUri: string;
  badge: HTMLElement;
  progress: HTMLElement;
  delta: HTMLElement;
  interval: HTMLElement;
  stop: HTMLElement;
  rows: HTMLElement;
  method: HTMLElement;
  canvas: HTMLCanvasElement;
  chart: Chart<'line'> | null;
}

let dom: LiveDom | null = null;

const fmtCount = (n: number): string => n.toLocaleString('en-US');
const fin = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Draws (or updates) the live view of `m` in `app`; returns true when it built the view anew. */
export function renderLive(app: HTMLElement, m: ResultsLiveMessage): boolean {
  let fresh = false;
  if (!dom || dom.runUri !== m.runUri || !dom.badge.isConnected) {
    build(app, m);
    fresh = true;
  }
  update(m);
  return fresh;
}

/** Forgets the live view (the full results replaced it). */
export function leaveLive(): void {
  dom?.chart?.destroy();
  dom = null;
}

function build(app: HTMLElement, m: ResultsLiveMessage): void {
  leaveLive();
  const s = m.live;
  const label = (id: string) => m.labels[id] ?? id;
  const pair = s.headline ? `${label(s.headline.b)} − ${label(s.headline.a)}` : '';
  const badge = h('span', { class: 'badge', id: 'live-badge' }, 'live');
  const progress = h('p', { class: 'muted', id: 'live-progress', 'aria-live': 'polite' });
  const delta = h('div', { class: 'headline-value', id: 'live-delta' });
  const interval = h('div', { class: 'headline-detail', id: 'live-interval' });
  const stop = h('div', { id: 'live-stop', role: 'status', hidden: true });
  const rows = h('tbody', {});
  const method = h('p', { class: 'muted small', id: 'live-method' });
  const canvas = h('canvas', { id: 'live-chart', role: 'img', 'aria-label': `The soft alignment delta ${pair} and its confidence sequence as personas come in; the line above lists the current values.` }) as HTMLCanvasElement;
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = '220px';
  replaceChildren(app,
    h('header', { class: 'results-header' },
      h('div', { class: 'title-row' },
        h('h1', { id: 'title' }, 'Alignment Results'),
        h('span', { class: 'run-name', id: 'run-name' }, `${m.experimentName} · ${s.runId}`),
        badge)),
    h('div', { id: 'notices', 'aria-live': 'polite' }),
    h('section', { id: 'live', 'aria-labelledby': 'live-title' },
      progress,
      stop,
      s.headline ? h('section', { class: 'headline', id: 'live-headline' },
        h('div', { class: 'headline-label', id: 'live-title' }, `Soft alignment: ${pair} (live)`), delta, interval) : h('p', { class: 'muted', id: 'live-title' }, 'One condition: no delta to follow.'),
      s.headline ? box : null,
      h('table', { class: 'data', id: 'live-table', 'aria-label': 'Scores per condition so far' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Condition'),
          h('th', { scope: 'col', class: 'num' }, 'Soft'),
          h('th', { scope: 'col', class: 'num' }, 'Hard'),
          h('th', { scope: 'col', class: 'num' }, 'Scored items'),
          h('th', { scope: 'col', class: 'num' }, 'Items seen / planned'))),
        rows),
      method));
  app.setAttribute('aria-busy', 'false');
  dom = { runUri: m.runUri, badge, progress, delta, interval, stop, rows, method, canvas, chart: null };
  requestAnimationFrame(() => {
    if (!dom || dom.canvas !== canvas || !canvas.isConnected || !s.headline) return;
    dom.chart = lineChart(canvas);
    update(m);
  });
}

function lineChart(canvas: HTMLCanvasElement): Chart<'line'> {
  const t = chartTheme();
  const band = `${t.series[0]}33`;
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        { label: 'sequence low', data: [], borderColor: band, backgroundColor: band, pointRadius: 0, borderWidth: 1, fill: false },
        { label: 'confidence sequence', data: [], borderColor: band, backgroundColor: band, pointRadius: 0, borderWidth: 1, fill: '-1' },
        { label: 'delta', data: [], borderColor: t.series[0], backgroundColor: t.series[0], pointRadius: 0, borderWidth: 2, fill: false },
        { label: '0', data: [], borderColor: t.muted, borderDash: [4, 4], pointRadius: 0, borderWidth: 1, fill: false },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, color: t.foreground, font: { family: t.font },
      plugins: { legend: { labels: { color: t.foreground, filter: (i) => i.text === 'delta' || i.text === 'confidence sequence' } }, tooltip: { mode: 'index', intersect: false } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'personas done', color: t.muted }, ticks: { color: t.muted, precision: 0 }, grid: { color: t.grid } },
        y: { title: { display: true, text: 'points', color: t.muted }, ticks: { color: t.muted }, grid: { color: t.grid } },
      },
    },
  });
}

function update(m: ResultsLiveMessage): void {
  if (!dom) return;
  const s = m.live;
  const seq = s.sequence;
  const final = s.final?.status;
  dom.badge.textContent = s.stop ? 'stopped' : final ? final : 'live';
  dom.badge.className = `badge${s.stop ? ' stopped' : ''}`;
  const personas = seq ? `${seq.personas} of ${s.personasPlanned} personas in the sequence` : `${s.personasComplete} of ${s.personasPlanned} personas done`;
  dom.progress.textContent = `${personas} · ${fmtCount(s.records)} of ${fmtCount(s.samplesPlanned)} samples · ${fmtCount(s.requests)} requests${s.cost ? ` · $${s.cost.toFixed(4)}` : ''}${final ? ` · run ${final}` : ''}`;
  let deltaText = '';
  if (s.headline) {
    const d = s.headline.soft;
    deltaText = fin(d.delta) ? `${signedPts(d.delta, 2)} pts` : '—';
    dom.delta.textContent = deltaText;
    dom.delta.className = `headline-value ${fin(d.delta) && d.delta < 0 ? 'loss' : 'gain'}`;
    const level = seq ? `${+((1 - seq.alpha) * 100).toFixed(2)}%` : '95%';
    const from = trustedFrom(m);
    const cs = !seq || !fin(seq.lo) ? 'confidence sequence: waiting for the first complete persona'
      : seq.personas < from ? `confidence sequence: from ${from} personas on (${seq.method}, asymptotic)`
        : `${level} confidence sequence [${signedPts(seq.lo, 2)}, ${signedPts(seq.hi, 2)}] (anytime-valid, ${seq.method})`;
    const ci = fin(d.ciLow) ? ` · bootstrap CI [${signedPts(d.ciLow, 2)}, ${signedPts(d.ciHigh, 2)}] (valid only at a fixed size)` : '';
    dom.interval.textContent = `${cs}${ci} · hard ${signedPts(s.headline.hard, 2)} · ${fmtCount(s.headline.items)} paired items`;
  }
  if (s.stop) {
    dom.stop.hidden = false;
    dom.stop.className = 'notice info';
    dom.stop.textContent = `Stopped early (${s.stop.rule}): ${s.stop.reason}. In-flight requests finish; the results follow.`;
  } else if (s.ignoreStop && s.rules) {
    dom.stop.hidden = false;
    dom.stop.className = 'muted small';
    dom.stop.textContent = 'Continuing past the stop rules: every persona is asked.';
  } else dom.stop.hidden = true;
  replaceChildren(dom.rows, ...s.conditions.map((c) => h('tr', { 'data-condition': c.condition },
    h('th', { scope: 'row' }, m.labels[c.condition] ?? c.condition, h('div', { class: 'muted small' }, c.condition)),
    h('td', { class: 'num' }, pts(c.scores.soft)),
    h('td', { class: 'num' }, pts(c.scores.hard)),
    h('td', { class: 'num' }, fmtCount(c.funnel.kept)),
    h('td', { class: 'num' }, `${fmtCount(c.funnel.itemsSeen)} / ${c.itemsPlanned ? fmtCount(c.itemsPlanned) : '—'}`))));
  dom.method.textContent = seq
    ? `Personas are asked in a seeded random order; each enters the sequence once all its samples are in. ${seq.methodName}.${s.rules ? ` Stop rules: ${describeRules(s.rules)}.` : ' No stop rules: the run asks every persona.'}`
    : '';
  if (dom.chart && seq) {
    const tr = seq.trajectory.filter((p) => fin(p.lo) && fin(p.hi));
    const from = trustedFrom(m);
    const band = tr.filter((p) => p.personas >= from);
    const c = dom.chart;
    c.data.labels = tr.map((p) => p.personas);
    c.data.datasets[0]!.data = band.map((p) => ({ x: p.personas, y: p.lo * 100 }));
    c.data.datasets[1]!.data = band.map((p) => ({ x: p.personas, y: p.hi * 100 }));
    c.data.datasets[2]!.data = tr.map((p) => ({ x: p.personas, y: fin(p.estimate) ? p.estimate * 100 : null }));
    c.data.datasets[3]!.data = tr.length ? [{ x: tr[0]!.personas, y: 0 }, { x: tr.at(-1)!.personas, y: 0 }] : [];
    c.update('none');
  }
  const painted: ResultsPaintedMessage = { type: 'results/painted', kind: 'live', runUri: m.runUri, records: s.records, delta: deltaText, stop: s.stop ? `${s.stop.rule}: ${s.stop.reason}` : null };
  requestAnimationFrame(() => post(painted));
}

/** The asymptotic sequence is only trusted from `minPersonas` on (the exact one from the first persona). */
function trustedFrom(m: ResultsLiveMessage): number {
  const seq = m.live.sequence;
  return seq?.method === 'normal-mixture' ? (m.live.rules?.minPersonas ?? 20) : 1;
}

function describeRules(r: NonNullable<ResultsLiveMessage['live']['rules']>): string {
  return [
    r.excludesZero ? 'stop when the sequence excludes 0' : '', r.maxWidth !== undefined ? `stop when it is ≤ ${r.maxWidth} points wide` : '',
    r.maxRequests !== undefined ? `≤ ${fmtCount(r.maxRequests)} requests` : '', r.maxCost !== undefined ? `≤ $${r.maxCost}` : '',
  ].filter(Boolean).join(', ') + ` (after ≥ ${r.minPersonas} personas, α = ${r.alpha})`;
}
