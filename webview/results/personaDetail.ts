// Drill-down: one persona's question × condition grid, then one cell's prompts, raw replies, parses and votes
// next to the respondent's real answer, with a link to the template line.
import { h } from '../common/dom';
import type { DrillDown, PersonaQuestionCell, ResultsView } from '../../src/core/results/types';
import { langAttrs, pts } from './format';

export interface DetailOptions {
  onCell(questionId: string): void;
  onOpenTemplate(condition: string, line: number): void;
  onClose(): void;
}

export function renderPersonaCells(view: ResultsView, personaId: string, cells: PersonaQuestionCell[], selectedQ: string | undefined, o: DetailOptions): HTMLElement {
  const row = view.personas.find((p) => p.id === personaId);
  const fields = row ? view.fields.map((f) => `${f.label}: ${f.key === 'age' && row.age !== undefined ? row.age : row.fields[f.key] ?? '—'}`).join(' · ') : '';
  return h('section', { class: 'persona-detail', id: 'persona-detail', 'aria-labelledby': 'persona-detail-title' },
    h('div', { class: 'section-header' }, h('h2', { id: 'persona-detail-title' }, `Persona ${personaId}`),
      h('span', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', onclick: o.onClose, 'aria-label': 'Close persona' }, 'Close'))),
    h('p', { class: 'muted' }, fields),
    h('p', { class: 'muted small' }, 'Soft alignment × 100 per question (mean over paraphrase variants). Select a cell for the prompts and raw answers.'),
    h('table', { class: 'data cells', id: 'persona-cells' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Question'), h('th', { scope: 'col' }, 'Theme'), h('th', { scope: 'col', class: 'num' }, 'Real answer'),
        ...view.conditions.map((c) => h('th', { scope: 'col', class: 'num' }, c.label)))),
      h('tbody', {}, ...cells.map((cell) => h('tr', { class: cell.questionId === selectedQ ? 'selected' : '' },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', 'data-question': cell.questionId, onclick: () => o.onCell(cell.questionId) }, cell.questionId)),
        h('td', { class: 'muted small' }, cell.theme),
        h('td', { class: 'num' }, cell.surveyAnswer === null ? '—' : `(${cell.surveyAnswer})`),
        ...view.conditions.map((c) => {
          const v = cell.soft[c.id];
          const td = h('td', { class: 'num heat' }, h('button', { type: 'button', class: 'cell', 'data-cell': `${cell.questionId}:${c.id}`, onclick: () => o.onCell(cell.questionId),
            'aria-label': `${cell.questionId}, ${c.label}: ${v === null || v === undefined ? 'not scored' : pts(v)}` }, v === null || v === undefined ? '·' : pts(v, 0)));
          if (typeof v === 'number') td.style.setProperty('--heat', String(v));
          return td;
        }))))));
}

export function renderDrillDown(d: DrillDown, view: ResultsView, o: DetailOptions): HTMLElement {
  const optionLabel = (lang: string, n: number | null) => (n === null ? '—' : `(${n}) ${d.options[lang]?.[n - 1] ?? d.options.en?.[n - 1] ?? ''}`);
  return h('section', { class: 'drill', id: 'drill', 'aria-labelledby': 'drill-title' },
    h('h3', { id: 'drill-title' }, `${d.questionId} · persona ${d.personaId}`),
    h('p', { class: 'muted' }, d.theme),
    h('p', { class: 'real-answer', id: 'real-answer' }, h('strong', {}, 'Respondent’s real answer: '), h('span', {}, optionLabel('en', d.surveyAnswer)),
      d.options.ar && d.surveyAnswer !== null ? ' · ' : null,
      d.options.ar && d.surveyAnswer !== null ? h('span', { ...langAttrs('ar'), class: 'ar-inline' }, optionLabel('ar', d.surveyAnswer)) : null),
    ...d.conditions.map((c) => h('div', { class: 'drill-condition', 'data-condition': c.condition },
      h('div', { class: 'section-header' }, h('h4', {}, c.label, h('span', { class: 'muted small' }, ` ${c.condition} · ${c.lang}`)),
        h('span', { class: 'actions' }, h('button', { type: 'button', class: 'link', 'data-open-template': c.condition, onclick: () => o.onOpenTemplate(c.condition, c.templateLine) }, `Open ${c.template}:${c.templateLine}`))),
      ...c.variants.map((v) => h('div', { class: 'variant' },
        h('div', { class: 'variant-head' },
          h('strong', {}, `Variant ${v.variant + 1}`),
          h('span', {}, ' vote: ', v.votes.length ? v.votes.map((x) => `${optionLabel(c.lang, x.answer)}${x.weight < 1 ? ` (×${x.weight.toFixed(2)})` : ''}`).join(' / ') : (v.dropped ?? 'no vote')),
          v.soft !== null ? h('span', { class: 'muted' }, ` · soft ${pts(v.soft)} · hard ${pts(v.hard)}`) : null),
        v.prompt ? h('details', { class: 'prompt' }, h('summary', {}, 'Rendered prompt'),
          ...v.prompt.map((m) => h('div', { class: 'message' }, h('div', { class: 'muted small' }, m.role), h('pre', langAttrs(c.lang), m.content)))) : h('p', { class: 'muted small' }, 'Prompt not available (template could not be re-rendered).'),
        h('table', { class: 'data samples' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Raw response'), h('th', { scope: 'col' }, 'Parsed'))),
          h('tbody', {}, ...v.samples.map((s) => h('tr', { class: s.parsed === null ? 'unparsed' : '' },
            h('td', { class: 'num' }, String(s.sample + 1)),
            h('td', {}, s.text === null ? h('span', { class: 'error' }, s.error ?? 'request failed') : s.text === '' ? h('span', { class: 'muted' }, '(empty reply)') : h('code', { ...langAttrs(c.lang), class: 'reply' }, s.text)),
            h('td', {}, s.parsed === null ? h('span', { class: 'muted' }, `unparsed${s.how ? ` (${s.how})` : ''}`) : `${optionLabel(c.lang, s.parsed)}${s.how ? ` · ${s.how}` : ''}`))))))))),
    h('p', {}, h('button', { type: 'button', class: 'secondary small', onclick: o.onClose }, 'Close drill-down')),
    view.recorded ? h('p', { class: 'muted small' }, 'Recorded answers (replay), not a live model.') : null);
}
