import { connect } from '../common/bridge';
import { h, replaceChildren } from '../common/dom';

const app = document.getElementById('app')!;
replaceChildren(app, h('h2', {}, 'Alignment Preview'), h('p', { class: 'muted', id: 'status' }, 'Open a prompt template (.hbs) to preview it.'));

connect((m) => {
  if (m.type === 'template' && typeof m.file === 'string' && typeof m.text === 'string') {
    replaceChildren(app, h('h2', { id: 'title' }, `Alignment Preview — ${m.file}`), h('pre', { id: 'source' }, m.text));
    app.setAttribute('aria-busy', 'false');
  }
});
