// Per-persona delta table: sortable, filterable, searchable, virtualised (only the visible rows are in the DOM,
// so 10,000 rows scroll as smoothly as 10).
import { h, replaceChildren } from '../common/dom';
import type { PersonaRow, ResultsView } from '../../src/core/results/types';
import type { PersonaQuery } from '../../src/core/results/queryPersonaRows';
import { queryPersonaRows } from '../../src/core/results/queryPersonaRows';
import { virtualWindow } from '../../src/core/results/virtualWindow';
import { pts, signedPts } from './format';
import { exportButtons, labelledSelect, sectionHeader } from './widgets';

const ROW_HEIGHT = 26;

interface Column { key: string; label: string; width: string; num?: boolean; value: (r: PersonaRow) => string; cls?: (r: PersonaRow) => string }

export interface PersonaTableOptions {
  query: PersonaQuery;
  selected?: string;
  /** New query; `rerender` when the header (sort) must be rebuilt, else only persist it. */
  onQuery(q: PersonaQuery, rerender?: boolean): void;
  onSelect(personaId: string): void;
}

export function renderPersonaTable(view: ResultsView, o: PersonaTableOptions): HTMLElement {
  // Defaults: biggest gains first; undefined keys of a restored query must not erase them.
  const q: PersonaQuery = { sortKey: view.pair ? 'delta' : 'id', sortDir: view.pair ? 'desc' : 'asc', ...Object.fromEntries(Object.entries(o.query).filter(([, v]) => v !== undefined)) };
  const rows = view.personas;
  const condLabel = (id: string) => view.conditions.find((c) => c.id === id)?.label ?? id;
  const columns: Column[] = [
    { key: 'id', label: 'Persona', width: 'minmax(90px, 1fr)', value: (r) => r.id },
    ...view.fields.map((f): Column => ({
      key: f.key, label: f.label, width: f.key === 'age' ? '100px' : 'minmax(80px, 1.2fr)',
      value: (r) => (f.key === 'age' && r.age !== undefined ? `${r.age} (${r.fields.age})` : r.fields[f.key] ?? ''),
    })),
    ...view.conditions.map((c): Column => ({ key: `soft:${c.id}`, label: c.label, width: '110px', num: true, value: (r) => pts(r.soft[c.id]) })),
  ];
  if (view.pair) columns.push({ key: 'delta', label: `Δ ${condLabel(view.pair[1])} − ${condLabel(view.pair[0])}`, width: '150px', num: true, value: (r) => signedPts(r.delta), cls: (r) => ((r.delta ?? 0) > 0 ? 'gain' : (r.delta ?? 0) < 0 ? 'loss' : '') });
  const template = columns.map((c) => c.width).join(' ');

  let order = queryPersonaRows(rows, q);
  let active = Math.max(0, order.findIndex((i) => rows[i].id === o.selected));
  const count = h('span', { class: 'muted', id: 'persona-count', role: 'status' });
  const body = h('div', { class: 'vbody' });
  const scroller = h('div', {
    class: 'vscroll', id: 'persona-table', role: 'grid', tabindex: 0, 'aria-rowcount': order.length + 1, 'aria-colcount': columns.length,
    'aria-label': 'Personas: arrow keys move, Enter opens the persona',
  });

  const header = h('div', { class: 'vrow vhead', role: 'row', 'aria-rowindex': 1 },
    ...columns.map((c) => h('div', {
      role: 'columnheader', class: c.num ? 'num' : '', 'aria-sort': q.sortKey === c.key ? (q.sortDir === 'asc' ? 'ascending' : 'descending') : 'none',
    }, h('button', {
      type: 'button', class: 'sort', 'data-sort': c.key, title: `Sort by ${c.label}`,
      onclick: () => o.onQuery({ ...q, sortKey: c.key, sortDir: q.sortKey === c.key && q.sortDir === 'desc' ? 'asc' : 'desc' }, true),
    }, c.label, q.sortKey === c.key ? (q.sortDir === 'asc' ? ' ▲' : ' ▼') : ''))));
  header.style.gridTemplateColumns = template;
  scroller.append(header, body);

  const paint = () => {
    const w = virtualWindow(scroller.scrollTop, scroller.clientHeight || 480, ROW_HEIGHT, order.length);
    const top = h('div', { class: 'spacer' });
    top.style.height = `${w.padTop}px`;
    const bottom = h('div', { class: 'spacer' });
    bottom.style.height = `${w.padBottom}px`;
    const visible: HTMLElement[] = [];
    for (let k = w.start; k < w.end; k++) {
      const r = rows[order[k]];
      const row = h('div', {
        class: `vrow${r.id === o.selected ? ' selected' : ''}${k === active ? ' active' : ''}`, role: 'row', 'aria-rowindex': k + 2, 'data-persona': r.id,
        'aria-selected': r.id === o.selected ? 'true' : 'false', onclick: () => { active = k; o.onSelect(r.id); },
      }, ...columns.map((c) => h('div', { role: 'gridcell', class: `${c.num ? 'num' : ''} ${c.cls?.(r) ?? ''}`, title: c.value(r) }, c.value(r))));
      row.style.gridTemplateColumns = template;
      row.style.height = `${ROW_HEIGHT}px`;
      visible.push(row);
    }
    replaceChildren(body, top, ...visible, bottom);
    scroller.setAttribute('aria-activedescendant', '');
  };
  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; paint(); });
  });
  scroller.addEventListener('keydown', (e: KeyboardEvent) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 15 : e.key === 'PageUp' ? -15 : 0;
    if (step) {
      e.preventDefault();
      active = Math.min(order.length - 1, Math.max(0, active + step));
      const y = active * ROW_HEIGHT;
      const headerH = ROW_HEIGHT;
      if (y < scroller.scrollTop) scroller.scrollTop = y;
      else if (y + ROW_HEIGHT + headerH > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = y + ROW_HEIGHT + headerH - scroller.clientHeight;
      paint();
    } else if (e.key === 'Enter' && order[active] !== undefined) {
      o.onSelect(rows[order[active]].id);
    }
  });

  const refresh = (next: PersonaQuery) => {
    Object.assign(q, next);
    order = queryPersonaRows(rows, q);
    active = 0;
    count.textContent = `${order.length} of ${rows.length} personas`;
    scroller.setAttribute('aria-rowcount', String(order.length + 1));
    scroller.scrollTop = 0;
    paint();
    o.onQuery({ ...q, filters: { ...q.filters } });
  };
  count.textContent = `${order.length} of ${rows.length} personas`;

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const search = h('input', {
    type: 'search', id: 'persona-search', placeholder: 'Search personas…', 'aria-label': 'Search personas', value: q.search ?? '',
    oninput: (e: Event) => {
      clearTimeout(searchTimer);
      const v = (e.target as HTMLInputElement).value;
      searchTimer = setTimeout(() => refresh({ search: v }), 120);
    },
  });
  const filters = view.breakdowns.filter((b) => b.field !== 'theme' && b.field !== 'question').map((b) => labelledSelect(`filter-${b.field}`, b.label,
    [['', 'All'], ...b.groups.map((g): [string, string] => [g.value, `${g.value} (${g.personas})`])], q.filters?.[b.field]?.[0] ?? '',
    (v) => refresh({ filters: { ...q.filters, [b.field]: v ? [v] : [] } })));
  const sign = view.pair ? labelledSelect('filter-delta', 'Δ', [['any', 'Any'], ['gain', 'Gains'], ['loss', 'Losses']], q.deltaSign ?? 'any',
    (v) => refresh({ deltaSign: v as PersonaQuery['deltaSign'] })) : null;

  const el = h('div', { class: 'personas' },
    sectionHeader('h2', 'Personas', 'personas-title', count, exportButtons('personas', 'the persona table')),
    h('div', { class: 'toolbar wrap' }, search, ...filters, sign),
    scroller);
  requestAnimationFrame(() => {
    if (!scroller.isConnected) return;
    const idx = order.findIndex((i) => rows[i].id === o.selected);
    if (idx > 0) scroller.scrollTop = Math.max(0, idx * ROW_HEIGHT - 100);
    paint();
  });
  paint();
  return el;
}
