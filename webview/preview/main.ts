// Preview webview entry: adopt the panel's stylesheet, register the components, connect to the host.
import { connect, getState, post, setState } from '../common/bridge';
import './elements';
import css from './preview.css';
import { PreviewApp } from './PreviewApp';

// A constructed stylesheet needs no inline <style> (the CSP allows styles only from the extension or by nonce).
const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

// For latency breakdowns (bench/preview.bench.mjs): when this script started.
document.body.dataset.scriptAt = String(Date.now());
const app = new PreviewApp(document.getElementById('app')!, { post, save: setState }, getState());
connect((m) => app.onMessage(m));
