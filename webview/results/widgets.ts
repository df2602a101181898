// Small UI pieces shared by the results views.
import { h } from '../common/dom';
import { exportTable } from './context';
import { notify } from './notify';

/** "CSV" and "JSON" buttons that export one named table. */
export function exportButtons(table: string, label: string): HTMLElement {
  const button = (format: 'csv' | 'json') => h('button', {
    class: 'secondary small', type: 'button', 'data-export': `${table}.${format}`, 'aria-label': `Export ${label} as ${format.toUpperCase()}`,
    onclick: () => void exportTable(format, table).then((f) => f && notify('info', `Saved ${f}`), (e: unknown) => notify('error', String(e instanceof Error ? e.message : e))),
  }, format.toUpperCase());
  return h('span', { class: 'export-buttons', role: 'group', 'aria-label': `Export ${label}` }, h('span', { class: 'muted small' }, `${table}:`), button('csv'), button('json'));
}

/** A section heading with actions on the right. */
export function sectionHeader(level: 'h2' | 'h3', title: string, id: string, ...actions: Array<HTMLElement | null>): HTMLElement {
  return h('div', { class: 'section-header' }, h(level, { id }, title), h('span', { class: 'actions' }, ...actions));
}

/** A `<select>` with a visible label. */
export function labelledSelect(id: string, label: string, options: Array<[value: string, text: string]>, value: string, onChange: (v: string) => void): HTMLElement {
  const select = h('select', { id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
  return h('label', { class: 'field', for: id }, h('span', {}, label), select);
}
