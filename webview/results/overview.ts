// Overview tab: the headline delta and the per-condition scores with CIs, baselines and coverage.
import { h } from '../common/dom';
import type { ResultsView } from '../../src/core/results/types';
import { ci, langAttrs, percent, pts, pValue, signedPts } from './format';
import { exportButtons, sectionHeader } from './widgets';
import { call, ctx } from './context';
import { notify } from './notify';

const labelOf = (view: ResultsView, id: string) => view.conditions.find((c) => c.id === id)?.label ?? id;

/** Why a stop rule ended the run early, what it decided on, and "Continue Past Stop" (resume asking every persona). */
function stopBanner(view: ResultsView): HTMLElement | null {
  const st = view.stop;
  if (!st) return null;
  const iv = st.interval ? ` Confidence sequence then: [${signedPts(st.interval[0], 2)}, ${signedPts(st.interval[1], 2)}] points (${st.method.split(':')[0]}, α = ${st.alpha}).` : '';
  const done = `${st.personas} of ${st.personasPlanned} personas, ${st.requests.toLocaleString('en-US')} requests${st.cost ? `, $${st.cost.toFixed(4)}` : ''}`;
  if (st.continuedAt) {
    return h('p', { class: 'muted small', id: 'stop-banner' }, `This run was stopped early at ${st.at} (${st.rule}: ${st.reason}) and continued past the stop at ${st.continuedAt}.`);
  }
  return h('div', { class: 'notice info', id: 'stop-banner', role: 'status' },
    h('strong', {}, `Stopped early (${st.rule}): `), `${st.reason}.`, ` ${done}; the personas asked are a random subsample (seed ${st.seed}).${iv}`,
    ctx.standalone ? null : h('div', {}, h('button', { type: 'button', class: 'secondary small', id: 'continue-past-stop', onclick: () => void call('continuePastStop', {}).catch((e: unknown) => notify('error', e instanceof Error ? e.message : String(e))) }, 'Continue Past Stop')));
}

export function renderOverview(view: ResultsView): HTMLElement {
  const h2 = view.headline;
  const headline = h2
    ? h('section', { class: 'headline', id: 'headline', 'aria-labelledby': 'headline-title' },
      h('div', { class: 'headline-label', id: 'headline-title' }, `Soft alignment: ${labelOf(view, h2.b)} − ${labelOf(view, h2.a)}`),
      h('div', { class: `headline-value ${(h2.soft.mean ?? 0) >= 0 ? 'gain' : 'loss'}`, id: 'headline-delta' }, `${signedPts(h2.soft.mean, 2)} pts`),
      h('div', { class: 'headline-detail' }, `95% CI ${ci(h2.soft, true)} · ${pValue(h2.p)} · hard ${signedPts(h2.hard.mean, 2)} ${ci(h2.hard, true)}`),
      h('div', { class: 'headline-detail' }, `${h2.gained} personas gain, ${h2.lost} lose, ${h2.unchanged} unchanged · paired on ${h2.soft.items} items of ${h2.soft.n} personas`))
    : h('p', { class: 'muted', id: 'headline' }, 'Only one condition in this run: no delta to show.');

  const rows = view.overview.map((o) => {
    const cov = o.coverage;
    return h('tr', { 'data-condition': o.condition.id },
      h('th', { scope: 'row' }, h('span', langAttrs(o.condition.lang), o.condition.label), h('div', { class: 'muted small' }, `${o.condition.id} · ${o.condition.model} · ${o.condition.lang}`)),
      h('td', { class: 'num' }, pts(o.soft.mean), h('div', { class: 'muted small' }, ci(o.soft))),
      h('td', { class: 'num' }, pts(o.hard.mean), h('div', { class: 'muted small' }, ci(o.hard))),
      h('td', { class: 'num' }, pts(o.softNorm), h('div', { class: 'muted small' }, pts(o.hardNorm))),
      h('td', { class: 'num' }, pts(o.rSoft), h('div', { class: 'muted small' }, pts(o.rHard))),
      h('td', { class: 'num' }, `${cov.scored} / ${cov.items}`, h('div', { class: 'muted small' }, percent(cov.scored, cov.items))),
      h('td', { class: 'small' }, `${cov.unparsed} unparsed`, h('br'), `${cov.noSurveyAnswer} no survey answer`, h('br'), `${cov.sameAnswer} same-answer filter`,
        cov.notCommon ? h('span', {}, h('br'), `${cov.notCommon} not common to all conditions`) : null, cov.noResponse ? h('span', {}, h('br'), `${cov.noResponse} no response`) : null),
    );
  });
  const s = view.settings;
  const settings = s
    ? h('p', { class: 'muted small', id: 'scoring-settings' },
      `Scoring profile: ${s.profile} · tie-break ${s.tieBreak} (seed ${s.seed}) · same-answer filter ${s.sameAnswerFilter ? 'on' : 'off'} · common items ${s.commonItems ? 'on' : 'off'} · skipped ${s.skipQuestions.join(', ') || 'none'} · ${s.bootstrapResamples} resamples, ${s.permutationResamples} sign flips`)
    : null;
  const r = view.read;
  const quarantine = r && (r.quarantined.length || r.tornLastLine || r.duplicates)
    ? h('div', { class: r.quarantined.length ? 'notice warning' : 'muted small', id: 'read-report', role: r.quarantined.length ? 'alert' : null },
      r.quarantined.length ? `${r.quarantined.length} unreadable line${r.quarantined.length === 1 ? '' : 's'} of responses.jsonl quarantined (not scored): ` : '',
      r.quarantined.slice(0, 10).map((q) => `line ${q.line} (${q.reason})`).join('; '), r.quarantined.length > 10 ? ' …' : '',
      r.tornLastLine ? ' A torn last line (interrupted run) was ignored.' : '',
      r.duplicates ? ` ${r.duplicates} duplicate record${r.duplicates === 1 ? '' : 's'} dropped (first wins).` : '')
    : null;
  return h('div', { class: 'overview' },
    quarantine,
    stopBanner(view),
    headline,
    settings,
    sectionHeader('h2', 'Scores per condition', 'overview-title', exportButtons('overview', 'the overview table'), view.headline ? exportButtons('headline', 'the headline delta') : null),
    h('table', { class: 'data', id: 'overview-table', 'aria-labelledby': 'overview-title' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Condition'),
        h('th', { scope: 'col', class: 'num' }, 'Soft', h('div', { class: 'muted small' }, '95% CI')),
        h('th', { scope: 'col', class: 'num' }, 'Hard', h('div', { class: 'muted small' }, '95% CI')),
        h('th', { scope: 'col', class: 'num' }, 'Normalised', h('div', { class: 'muted small' }, 'soft / hard')),
        h('th', { scope: 'col', class: 'num' }, 'Random', h('div', { class: 'muted small' }, 'soft / hard')),
        h('th', { scope: 'col', class: 'num' }, 'Scored items'),
        h('th', { scope: 'col' }, 'Not scored'))),
      h('tbody', {}, ...rows)),
    h('p', { class: 'muted small' }, 'Scores × 100. Soft: 1 − |model − respondent| / (K′ − 1) on ordinal questions, exact match otherwise; hard: exact match. ',
      'Normalised = (score − random) / (1 − random). CIs: 95% percentile bootstrap over personas; p: paired sign-flip test (the same numbers as alignment-studio score).',
      view.samples ? ` ${view.samples} samples per item, majority vote.` : ''),
  );
}
