// Augmentation review webview: every paraphrase candidate under its seed, keyboard-driven — J/K or ↓/↑ move, A accept,
// R reject, E edit (Enter saves as accepted, Esc cancels), P back to pending, U or Ctrl+Z undo. The host writes each
// decision to the decisions file and answers with the new state.
import { connect, getState, request, setState } from '../common/bridge';
import { h, replaceChildren } from '../common/dom';
import type { AugmentPanelState, AugmentRequests, AugmentStateMessage, PersistedPanelState } from '../../src/shared/protocol';
import type { AugmentCandidate } from '../../src/core/culture/augmentationTypes';
import { notify } from '../results/notify';
import resultsCss from '../results/results.css';
import css from './augment.css';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`${resultsCss}\n${css}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

type Filter = NonNullable<AugmentPanelState['filter']>;
let current: AugmentStateMessage | null = null;
let state: AugmentPanelState = {};
let editing: string | null = null;
let busy = false;
const restored = getState<PersistedPanelState>();
if (restored?.kind === 'augment' && restored.data && typeof restored.data === 'object') state = { ...(restored.data as AugmentPanelState) };
const app = document.getElementById('app')!;
replaceChildren(app, h('h1', {}, 'Review Augmentation'), h('div', { id: 'notices', 'aria-live': 'polite' }), h('p', { class: 'muted', id: 'status' }, 'Loading…'));

function save(patch: Partial<AugmentPanelState>): void {
  Object.assign(state, patch);
  setState({ kind: 'augment', version: 1, data: state });
}
const call = <M extends keyof AugmentRequests>(m: M, p: AugmentRequests[M]['params']): Promise<AugmentRequests[M]['result']> => request(m, p);

function visible(): AugmentCandidate[] {
  const all = current?.augmentation.candidates ?? [];
  const f: Filter = state.filter ?? 'all';
  return all.filter((c) => f === 'all' || (f === 'pending' ? c.status === 'pending' : f === 'passed' ? c.passed : !c.passed));
}
const domId = (id: string): string => `cand-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

async function act(fn: () => Promise<AugmentStateMessage>, advance: boolean): Promise<void> {
  if (busy) return; // a second click while the first decision is written
  busy = true;
  const before = visible();
  const at = before.findIndex((c) => c.id === state.selected);
  try {
    const next = await fn();
    current = next;
    if (next.undone) save({ selected: next.undone });
    else if (advance) {
      // Move on to the next pending candidate after this one (else stay).
      const list = visible();
      const after = list.slice(Math.max(0, at + 1)).find((c) => c.status === 'pending') ?? list.find((c) => c.status === 'pending');
      if (after) save({ selected: after.id });
    }
    editing = null;
    render();
  } catch (e) {
    notify('error', e instanceof Error ? e.message : String(e));
  } finally {
    busy = false;
  }
}
const decide = (id: string, action: 'accept' | 'reject' | 'reset', edited?: string): Promise<void> =>
  act(() => call('decide', { id, action, ...(edited !== undefined ? { edited } : {}) }), action !== 'reset');
const undoLast = (): Promise<void> => act(() => call('undo', {}), false);

function move(delta: number): void {
  const list = visible();
  if (!list.length) return;
  const i = list.findIndex((c) => c.id === state.selected);
  const next = list[Math.min(list.length - 1, Math.max(0, (i < 0 ? (delta > 0 ? -1 : list.length) : i) + delta))]!;
  save({ selected: next.id });
  render();
}

// Keys are handled in order, one after the other: a key pressed while a decision is being written acts on the
// candidate selected once that decision is done (nothing typed ahead is lost).
let keys: Promise<void> = Promise.resolve();

function onKey(e: KeyboardEvent): void {
  if (editing || !current) return;
  // Keys typed into a control (the filter, a button's own Enter) are that control's.
  const t = e.target as HTMLElement | null;
  if (t && t.closest('select, input, textarea, button')) return;
  const k = e.key.toLowerCase();
  const undoKey = (e.ctrlKey || e.metaKey) && k === 'z';
  if (!undoKey && (e.ctrlKey || e.metaKey || e.altKey)) return;
  if (!undoKey && !['arrowdown', 'j', 'arrowup', 'k', 'home', 'end', 'u', 'a', 'r', 'p', 'e', 'enter'].includes(k)) return;
  e.preventDefault();
  keys = keys.then(() => handleKey(undoKey ? 'u' : k)).catch((err: unknown) => notify('error', err instanceof Error ? err.message : String(err)));
}

async function handleKey(k: string): Promise<void> {
  if (editing) return;
  const id = state.selected;
  if (k === 'arrowdown' || k === 'j') move(1);
  else if (k === 'arrowup' || k === 'k') move(-1);
  else if (k === 'home') move(-1e9);
  else if (k === 'end') move(1e9);
  else if (k === 'u') await undoLast();
  else if (!id) return;
  else if (k === 'a') await decide(id, 'accept');
  else if (k === 'r') await decide(id, 'reject');
  else if (k === 'p') await decide(id, 'reset');
  else if (k === 'e' || k === 'enter') { editing = id; render(); }
}

function candidateRow(c: AugmentCandidate, tau: number): HTMLElement {
  const selected = c.id === state.selected;
  const sim = c.similarity === null ? '—' : c.similarity.toFixed(3);
  const text: HTMLElement = editing === c.id
    ? (() => {
      const box = h('textarea', { id: 'edit-box', 'aria-label': `Edit the paraphrase ${c.id}; Enter saves and accepts, Escape cancels` }) as HTMLTextAreaElement;
      box.value = c.edited ?? c.text;
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); void decide(c.id, 'accept', box.value); }
        else if (e.key === 'Escape') { e.preventDefault(); editing = null; render(); }
        e.stopPropagation();
      });
      requestAnimationFrame(() => { box.focus(); box.select(); });
      return h('div', {}, box);
    })()
    : h('div', {}, h('span', { class: 'text' }, c.edited ?? c.text), c.edited ? h('div', { class: 'original' }, c.text) : null,
      c.reason ? h('div', { class: 'reason' }, c.reason) : null,
      c.answerCheck ? h('div', { class: 'reason' }, `answers: seed ${c.answerCheck.seed ?? '—'}, paraphrase ${c.answerCheck.paraphrase ?? '—'}${c.answerCheck.agree ? ' (same)' : ' (differ)'}`) : null);
  return h('div', {
    class: 'candidate', role: 'option', id: domId(c.id), 'data-id': c.id, 'data-status': c.status, 'data-passed': c.passed ? 'true' : 'false', 'aria-selected': selected ? 'true' : 'false',
    onclick: () => { if (editing !== c.id) { save({ selected: c.id }); render(); } },
  },
  h('span', { class: 'status' }, c.status === 'accepted' && c.edited ? 'edited' : c.status),
  h('span', { class: `sim ${c.passed ? 'pass' : 'fail'}`, title: `cosine similarity to the seed; τ = ${tau}` }, `${sim} ${c.similarity !== null && c.similarity >= tau ? '≥' : '<'} τ`),
  text,
  h('span', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'accept', title: 'Accept (A)', onclick: (e: Event) => { e.stopPropagation(); void decide(c.id, 'accept'); } }, 'Accept'),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'reject', title: 'Reject (R)', onclick: (e: Event) => { e.stopPropagation(); void decide(c.id, 'reject'); } }, 'Reject'),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'edit', title: 'Edit (E)', onclick: (e: Event) => { e.stopPropagation(); save({ selected: c.id }); editing = c.id; render(); } }, 'Edit')));
}

function render(): void {
  if (!current) return;
  const { augmentation: a, progress: p, tau } = current;
  const reviewed = p.accepted + p.rejected;
  const list = visible();
  if (!list.some((c) => c.id === state.selected)) save({ selected: list.find((c) => c.status === 'pending')?.id ?? list[0]?.id });
  const groups = new Map<string, AugmentCandidate[]>();
  for (const c of list) (groups.get(c.questionId) ?? groups.set(c.questionId, []).get(c.questionId)!).push(c);
  const listbox = h('div', { id: 'review-list', role: 'listbox', tabindex: 0, 'aria-label': 'Paraphrase candidates', 'aria-activedescendant': state.selected ? domId(state.selected) : null },
    ...[...groups].flatMap(([q, cs]) => [
      h('div', { class: 'seed', role: 'presentation', 'data-question': q }, h('span', { class: 'qid' }, q), h('span', {}, a.seeds[q] ?? '')),
      ...cs.map((c) => candidateRow(c, tau)),
    ]));
  const filter = h('select', { id: 'filter', 'aria-label': 'Show', onchange: (e: Event) => { save({ filter: (e.target as HTMLSelectElement).value as Filter }); render(); } },
    ...([['all', 'All candidates'], ['pending', 'Pending only'], ['passed', `Passed (≥ τ)`], ['failed', 'Not passed']] as const).map(([v, t]) => h('option', { value: v, selected: (state.filter ?? 'all') === v }, t)));
  replaceChildren(app,
    h('header', { class: 'review-header' },
      h('div', { class: 'title-row' }, h('h1', { id: 'title' }, 'Review Augmentation'), h('span', { class: 'run-name', id: 'file-name' }, current.file)),
      h('div', { class: 'progress-row' },
        h('progress', { id: 'progress', max: Math.max(1, p.total), value: reviewed, 'aria-label': 'Reviewed candidates' }),
        h('span', { id: 'progress-text' }, `${reviewed} of ${p.total} reviewed · ${p.accepted} accepted${p.edited ? ` (${p.edited} edited)` : ''} · ${p.rejected} rejected · ${p.pending} pending`),
        h('span', { class: 'muted small', id: 'tau' }, `τ = ${tau} · ${p.passed} passed · model ${a.settings.model || '—'} · embeddings ${a.settings.embeddingModel || '—'}`)),
      h('div', { class: 'toolbar wrap' }, filter,
        h('button', { type: 'button', class: 'secondary', id: 'undo', disabled: a.history.length === 0, onclick: () => void undoLast() }, 'Undo'),
        h('span', { class: 'keys' }, h('kbd', {}, 'J'), '/', h('kbd', {}, 'K'), ' move · ', h('kbd', {}, 'A'), ' accept · ', h('kbd', {}, 'R'), ' reject · ', h('kbd', {}, 'E'), ' edit · ', h('kbd', {}, 'P'), ' pending · ', h('kbd', {}, 'U'), ' undo'))),
    h('div', { id: 'notices', 'aria-live': 'polite' }),
    p.total === 0 ? h('p', { class: 'muted', id: 'empty' }, 'No candidates yet: run "Alignment Studio: Augment Seeds".') : listbox);
  app.setAttribute('aria-busy', 'false');
  if (!editing) requestAnimationFrame(() => {
    if (!listbox.isConnected) return;
    if (document.activeElement === document.body || !document.activeElement || !app.contains(document.activeElement)) listbox.focus({ preventScroll: true });
    document.getElementById(state.selected ? domId(state.selected) : '')?.scrollIntoView({ block: 'nearest' });
  });
}

// On the document, not the list: a key pressed while the list is being re-rendered must not be lost.
document.addEventListener('keydown', onKey);

connect((m) => {
  if (m.type === 'augment/state' && m.augmentation && typeof m.augmentation === 'object') {
    current = m as unknown as AugmentStateMessage;
    save({ fileUri: current.fileUri });
    render();
  } else if (m.type === 'notice' && typeof m.text === 'string') {
    notify(m.level === 'error' || m.level === 'warning' ? m.level : 'info', m.text);
    app.setAttribute('aria-busy', 'false');
  }
});
