// Compare tab: this run (after) against another run (before), per condition and per persona.
import { h } from '../common/dom';
import type { ResultsView, RunComparison } from '../../src/core/results/types';
import type { ResultsRunSummary } from '../../src/shared/protocol';
import { ci, pts, pValue, signedPts } from './format';
import { exportButtons, labelledSelect, sectionHeader } from './widgets';

export function renderCompare(view: ResultsView, runs: ResultsRunSummary[], currentUri: string | undefined, cmp: RunComparison | null, beforeUri: string | undefined,
  onPick: (uri: string) => void, standalone: boolean): HTMLElement {
  const others = runs.filter((r) => r.uri !== currentUri);
  const picker = standalone ? null : others.length
    ? labelledSelect('compare-run', 'Compare with (before)', [['', 'Choose a run…'], ...others.map((r): [string, string] => [r.uri, `${r.label} — ${r.experimentName} (${r.createdAt.slice(0, 16).replace('T', ' ')})`])], beforeUri ?? '', (v) => v && onPick(v))
    : h('p', { class: 'muted' }, 'No other run in this workspace to compare with. Run the experiment again (e.g. after editing a template) to compare.');
  if (!cmp) return h('div', { class: 'compare' }, sectionHeader('h2', 'Compare runs', 'compare-title'), picker);
  const topMovers = [...cmp.personas].map((p) => ({ ...p, mean: mean(Object.values(p.delta)) })).filter((p) => p.mean !== null).sort((a, b) => Math.abs(b.mean!) - Math.abs(a.mean!)).slice(0, 20);
  return h('div', { class: 'compare' },
    sectionHeader('h2', 'Compare runs', 'compare-title', exportButtons('comparison', 'the comparison')),
    picker,
    h('p', {}, `Before: ${cmp.before.runId} (${cmp.before.createdAt.slice(0, 16).replace('T', ' ')}) → after: ${cmp.after.runId} (${cmp.after.createdAt.slice(0, 16).replace('T', ' ')})`),
    h('table', { class: 'data', id: 'compare-table' },
      h('thead', {}, h('tr', {}, ...['Condition', 'Before', 'After', 'Δ after − before', '95% CI', 'p', 'Personas gain / lose'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
      h('tbody', {}, ...cmp.conditions.map((c) => h('tr', {},
        h('th', { scope: 'row' }, view.conditions.find((x) => x.id === c.condition)?.label ?? c.condition),
        h('td', { class: 'num' }, pts(c.before.mean)), h('td', { class: 'num' }, pts(c.after.mean)),
        h('td', { class: `num ${(c.delta.soft.mean ?? 0) >= 0 ? 'gain' : 'loss'}` }, signedPts(c.delta.soft.mean, 2)),
        h('td', { class: 'num muted' }, ci(c.delta.soft, true)), h('td', { class: 'num muted' }, pValue(c.delta.p)),
        h('td', { class: 'num' }, `${c.delta.gained} / ${c.delta.lost}`))))),
    cmp.unmatched.length ? h('p', { class: 'muted small' }, `Not in both runs: ${cmp.unmatched.join(', ')}`) : null,
    h('h3', {}, 'Personas that moved most'),
    h('table', { class: 'data', id: 'compare-personas' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Persona'), ...cmp.conditions.map((c) => h('th', { scope: 'col', class: 'num' }, `Δ ${c.condition}`)))),
      h('tbody', {}, ...topMovers.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.id),
        ...cmp.conditions.map((c) => h('td', { class: `num ${(p.delta[c.condition] ?? 0) >= 0 ? 'gain' : 'loss'}` }, signedPts(p.delta[c.condition]))))))));
}

function mean(xs: Array<number | null>): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}
