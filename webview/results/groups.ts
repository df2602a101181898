// Groups tab: alignment per demographic group (and per theme) for each condition, and the paired delta.
import type { Chart } from 'chart.js';
import { h } from '../common/dom';
import type { GroupBreakdown, ResultsView } from '../../src/core/results/types';
import { deltaChart, scoresChart } from './charts';
import { ci, pts, signedPts } from './format';
import { chartTheme } from './theme';
import { exportButtons, labelledSelect, sectionHeader } from './widgets';

let charts: Chart[] = [];

export function destroyCharts(): void {
  for (const c of charts) c.destroy();
  charts = [];
}

export function renderGroups(view: ResultsView, field: string, onField: (f: string) => void): HTMLElement {
  destroyCharts();
  const b = view.breakdowns.find((x) => x.field === field) ?? view.breakdowns[0];
  const label = (id: string) => view.conditions.find((c) => c.id === id)?.label ?? id;
  const deltaLabel = view.pair ? `${label(view.pair[1])} − ${label(view.pair[0])}` : '';
  const height = `${Math.max(160, 48 + b.groups.length * (16 + 10 * view.conditions.length))}px`;
  const scoresCanvas = h('canvas', { id: 'chart-scores', role: 'img', 'aria-label': `Soft alignment by ${b.label.toLowerCase()} per condition; the table below lists the values.` });
  const deltaCanvas = h('canvas', { id: 'chart-delta', role: 'img', 'aria-label': `Change in soft alignment (${deltaLabel}) by ${b.label.toLowerCase()}; the table below lists the values.` });
  const scoresBox = h('div', { class: 'chart-box' }, scoresCanvas);
  scoresBox.style.height = height;
  const deltaBox = h('div', { class: 'chart-box' }, deltaCanvas);
  deltaBox.style.height = `${Math.max(120, 48 + b.groups.length * 22)}px`;

  const el = h('div', { class: 'groups' },
    h('div', { class: 'toolbar' },
      labelledSelect('group-field', 'Group by', view.breakdowns.map((x) => [x.field, x.label]), b.field, onField),
      exportButtons('groups', 'all group tables')),
    sectionHeader('h2', `Soft alignment by ${b.label.toLowerCase()}`, 'groups-title'),
    view.breakdownCIs === false ? h('p', { class: 'muted small', role: 'status' }, 'Computing confidence intervals…') : null,
    scoresBox,
    view.pair ? sectionHeader('h3', `Change ${deltaLabel} by ${b.label.toLowerCase()}`, 'groups-delta-title') : null,
    view.pair ? deltaBox : null,
    groupTable(view, b));
  // Charts need their canvas in the document to size themselves.
  requestAnimationFrame(() => {
    if (!scoresCanvas.isConnected) return;
    const theme = chartTheme();
    charts.push(scoresChart(scoresCanvas, b, view.conditions, theme));
    if (view.pair) charts.push(deltaChart(deltaCanvas, b, deltaLabel, theme));
    el.setAttribute('data-charts', 'ready');
  });
  return el;
}

function groupTable(view: ResultsView, b: GroupBreakdown): HTMLElement {
  // Raw sign-flip p-values beside their multiplicity-adjusted values (this table is one family).
  const tests = view.pair !== null && b.groups.some((g) => g.test);
  const p = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x < 0.001 ? '< 0.001' : x.toFixed(3));
  const m = view.multiplicity;
  return h('details', { class: 'group-table', open: b.groups.length <= 8 },
    h('summary', {}, `Values (${b.groups.length} groups)`),
    h('table', { class: 'data', id: 'groups-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, b.label),
        h('th', { scope: 'col', class: 'num' }, b.field === 'theme' ? 'Personas' : 'Personas'),
        ...view.conditions.map((c) => h('th', { scope: 'col', class: 'num' }, c.label)),
        view.pair ? h('th', { scope: 'col', class: 'num' }, 'Δ') : null,
        tests ? h('th', { scope: 'col', class: 'num', title: 'Two-sided sign-flip permutation test of Δ' }, 'p') : null,
        tests ? h('th', { scope: 'col', class: 'num', title: m?.holm ?? 'Holm step-down adjusted p' }, 'p (Holm)') : null,
        tests ? h('th', { scope: 'col', class: 'num', title: m?.bh ?? 'Benjamini–Hochberg q-value' }, 'q (BH)') : null)),
      h('tbody', {}, ...b.groups.map((g) => h('tr', {},
        h('th', { scope: 'row' }, g.value),
        h('td', { class: 'num' }, String(g.personas)),
        ...view.conditions.map((c) => h('td', { class: 'num' }, pts(g.perCondition[c.id]?.mean), ' ', h('span', { class: 'muted small' }, ci(g.perCondition[c.id])))),
        view.pair ? h('td', { class: `num ${(g.delta?.mean ?? 0) >= 0 ? 'gain' : 'loss'}` }, signedPts(g.delta?.mean), ' ', h('span', { class: 'muted small' }, ci(g.delta, true))) : null,
        tests ? h('td', { class: 'num' }, p(g.test?.p)) : null,
        tests ? h('td', { class: 'num', 'data-col': 'p-holm' }, p(g.test?.pHolm)) : null,
        tests ? h('td', { class: 'num', 'data-col': 'q-bh' }, p(g.test?.qBH)) : null)))),
    tests && m ? h('p', { class: 'muted small', id: 'multiplicity-note' }, `${b.groups.length} tests in this table: p (Holm) = ${m.holm}; q (BH) = ${m.bh}. Use them, not the raw p, to call a group's change significant.`) : null);
}
