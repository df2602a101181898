import { connect } from '../common/bridge';
import { h, replaceChildren } from '../common/dom';

const app = document.getElementById('app')!;
replaceChildren(app, h('h2', {}, 'Alignment Results'), h('p', { class: 'muted' }, 'Loading runs…'));

connect((m) => {
  if (m.type === 'runs' && Array.isArray(m.runs)) {
    const runs = m.runs.filter((r): r is string => typeof r === 'string');
    replaceChildren(app, h('h2', { id: 'title' }, 'Alignment Results'),
      runs.length ? h('ul', { id: 'runs' }, ...runs.map((r) => h('li', {}, r))) : h('p', { id: 'runs', class: 'muted' }, 'No runs yet. Run an experiment to see results here.'));
    app.setAttribute('aria-busy', 'false');
  }
});
