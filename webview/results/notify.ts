import { h, replaceChildren } from '../common/dom';

/** Shows a notice bar at the top of the panel (errors never leave a blank panel). */
export function notify(level: 'info' | 'warning' | 'error', text: string): void {
  const bar = document.getElementById('notices');
  if (!bar) return;
  const el = h('div', { class: `notice ${level}`, role: level === 'error' ? 'alert' : 'status' }, text,
    h('button', { class: 'icon', type: 'button', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '×'));
  bar.appendChild(el);
  if (level === 'info') setTimeout(() => el.remove(), 6000);
}

export function clearNotices(): void {
  const bar = document.getElementById('notices');
  if (bar) replaceChildren(bar);
}
