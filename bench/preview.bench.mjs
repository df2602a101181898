// Preview benchmark → bench/results.json key "preview".
//  core: re-render of both panes (EN + AR, real template engine, real WVS personas, o200k token counts) after an
//        edit of the English template — what the host does per keystroke. Target p95 < 5 ms.
//  e2e:  keystroke in the editor → the webview has painted the new text, in a real VS Code (code-server +
//        chromium through test/harness). Target p95 < 150 ms. Skipped (and said so) without the test tools;
//        `node bench/preview.bench.mjs --core` runs only the core part.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BENCH_DIR, percentile, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(ROOT, 'out/src', p));
const { buildPreviewRender, PaneCache } = out('core/preview/buildPreviewRender.js');
const { templatePromptEngine } = out('core/preview/templatePromptEngine.js');
const { loadTokenizer } = out('core/run/tokenizer.js');
const { parseSurvey } = out('core/survey/parseSurvey.js');
const { parsePersonas } = out('core/persona/parsePersonas.js');

// What the benchmark "types": prose, so the tokenizer sees words as it would in a real edit.
const TYPING = 'Answer as the person described would, in their own words and values. ';
const stats = (xs) => ({ n: xs.length, p50: +percentile(xs, 50).toFixed(3), p95: +percentile(xs, 95).toFixed(3), max: +Math.max(...xs).toFixed(3) });

/** The example workspace's experiment data when it has one, else the test fixture (real WVS rows too). */
function loadData() {
  const ws = path.join(ROOT, 'examples/wvs-egypt-us');
  const exp = fs.existsSync(ws) && fs.readdirSync(ws).find((f) => f.endsWith('.experiment.json'));
  const promptsDir = fs.existsSync(path.join(ws, 'prompts/persona.ar.hbs')) ? path.join(ws, 'prompts') : path.join(ROOT, 'prompts');
  let personas, questions, source;
  if (exp) {
    const spec = JSON.parse(fs.readFileSync(path.join(ws, exp), 'utf8'));
    questions = parseSurvey(fs.readFileSync(path.join(ws, spec.survey), 'utf8'), spec.survey).questions;
    personas = parsePersonas(fs.readFileSync(path.join(ws, spec.personas), 'utf8'), spec.personas);
    source = `examples/wvs-egypt-us/${exp}`;
  } else {
    ({ personas, questions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/preview/wvs-sample.json'), 'utf8')));
    source = 'test/fixtures/preview/wvs-sample.json';
  }
  const read = (f) => fs.readFileSync(path.join(promptsDir, f), 'utf8');
  const partials = {};
  const pdir = path.join(promptsDir, 'partials');
  if (fs.existsSync(pdir)) for (const f of fs.readdirSync(pdir)) if (f.endsWith('.hbs')) partials[f.slice(0, -4)] = fs.readFileSync(path.join(pdir, f), 'utf8');
  return { personas, questions, en: read('persona.en.hbs'), ar: read('persona.ar.hbs'), partials, source };
}

async function core() {
  const { personas, questions, en, ar, partials, source } = loadData();
  const tokenizer = await loadTokenizer('o200k_base');
  const model = { id: 'gpt-4o-mini', encoding: 'o200k_base', pricePer1kInput: 0.00015, pricePer1kOutput: 0.0006, maxTokens: 5, priceSource: 'settings' };
  const at = en.indexOf('{{#user}}') + '{{#user}}\n'.length;
  const render = (i, enSource, cache) => {
    const persona = personas[i % personas.length];
    const question = questions[i % questions.length];
    return buildPreviewRender({
      version: i, base: 'prompts/persona', activeLang: 'en', partials, persona, question, model, tokenizer, cache,
      selection: { personaId: persona.id, questionId: question.id, variant: i % 4, modelId: model.id },
      templates: [{ lang: 'en', file: 'prompts/persona.en.hbs', source: enSource }, { lang: 'ar', file: 'prompts/persona.ar.hbs', source: ar }],
    }, templatePromptEngine);
  };
  const t0 = performance.now();
  const first = render(0, en);
  const coldMs = performance.now() - t0;
  if (first.panes.some((p) => p.error || !p.tokens)) throw new Error(`bench render failed: ${JSON.stringify(first.panes.map((p) => p.error))}`);
  // As the host does: the persona/question stay, one template changes per keystroke (the other pane is cached).
  // Also without the cache (both panes from scratch, a new persona each time) for comparison.
  const measure = (useCache) => {
    const cache = useCache ? new PaneCache() : undefined;
    const times = [];
    let typed = '';
    for (let i = 1; i <= 300; i++) {
      typed += TYPING[i % TYPING.length]; // one more character typed into the English template
      const src = en.slice(0, at) + typed + ' ' + en.slice(at);
      const k = useCache ? 0 : i;
      const s = performance.now();
      const r = render(k, src, cache);
      times.push(performance.now() - s);
      if (!r.panes[0].messages[0].content.includes(typed)) throw new Error('the edit is not in the render');
    }
    return times;
  };
  // The machine may be shared: 5 rounds each, reporting every round's p95 and the pooled distribution.
  measure(true); // warm-up (JIT, tokenizer merge cache)
  const rounds = { cached: [], scratch: [] };
  for (let r = 0; r < 5; r++) {
    globalThis.gc?.();
    rounds.cached.push(measure(true));
    globalThis.gc?.();
    rounds.scratch.push(measure(false));
  }
  const withCache = rounds.cached.flat();
  const fromScratch = rounds.scratch.flat();
  const roundP95 = (rs) => rs.map((x) => +percentile(x, 95).toFixed(3));
  return { data: source, personas: personas.length, coldFirstRenderMs: +coldMs.toFixed(2), rerenderBothPanesAfterEditMs: stats(withCache), p95ByRound: roundP95(rounds.cached), bothPanesFromScratchMs: stats(fromScratch), scratchP95ByRound: roundP95(rounds.scratch), targetP95Ms: 5, loadAverage: os.loadavg().map((x) => +x.toFixed(2)), tokens: Object.fromEntries(first.panes.map((p) => [p.lang, p.tokens])) };
}

async function e2e() {
  const { toolsInstalled } = await import('../test/harness/tools.mjs');
  if (!toolsInstalled()) return { skipped: 'VS Code test tools not installed (test/harness/install-tools.sh)' };
  const { openWorkbench } = await import('../test/harness/workbench.mjs');
  const wb = await openWorkbench({ workspaceFrom: process.env.PREVIEW_E2E_WORKSPACE });
  try {
    const { page } = wb;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('prompts/persona.en.hbs');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'persona.en.hbs' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'persona.en.hbs' }).waitFor();
    await page.evaluate(() => window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__asEnterAt = Date.now(); }, true));
    await wb.runCommand('Alignment Studio: Open Preview to the Side');
    const view = wb.webview();
    const firstContent = view.locator('#pane-body-ar .msg .content').first();
    await firstContent.waitFor();
    // From the Enter that runs the command to the first render painted in the webview.
    const enterAt = await page.evaluate(() => window.__asEnterAt);
    const openToPaintedMs = Number(await view.locator('body').getAttribute('data-painted-at')) - enterAt;
    const openBreakdownMs = {
      enterToWebviewScript: Number(await view.locator('body').getAttribute('data-script-at')) - enterAt,
      webviewScriptToFirstRender: Number(await view.locator('body').getAttribute('data-first-render-at')) - Number(await view.locator('body').getAttribute('data-script-at')),
    };
    const lines = fs.readFileSync(path.join(wb.workspace, 'prompts/persona.en.hbs'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('{{#user}}')) + 2;
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Z');
    await view.locator('#pane-body-en .msg .content', { hasText: 'Z' }).first().waitFor();
    const body = view.locator('body');
    // t0 = when the workbench page receives the key (not when this process sends it).
    await page.evaluate(() => window.addEventListener('keydown', () => { window.__asKeyAt = Date.now(); }, true));
    const latencies = [];
    const hostCore = [];
    // Where the time goes: key → extension host sees the edit → render posted → webview painted.
    const split = { keyToHost: [], hostToPosted: [], postedToPainted: [] };
    let typed = 'Z';
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(250); // a pause between keystrokes: each edit is measured on its own
      const ch = String(i % 10);
      typed += ch;
      await page.keyboard.press(ch);
      await view.locator('#pane-body-en .msg .content', { hasText: typed }).first().waitFor();
      const paintedAt = Number(await body.getAttribute('data-painted-at'));
      const keyAt = await page.evaluate(() => window.__asKeyAt);
      latencies.push(paintedAt - keyAt);
      const editAt = Number(await body.getAttribute('data-edit-at'));
      const postedAt = Number(await body.getAttribute('data-posted-at'));
      if (editAt && postedAt) {
        split.keyToHost.push(editAt - keyAt);
        split.hostToPosted.push(postedAt - editAt);
        split.postedToPainted.push(paintedAt - postedAt);
      }
      hostCore.push(Number((await view.locator('#render-ms').textContent()).match(/[\d.]+/)[0]));
    }
    await wb.screenshot('preview-bench');
    return { keystrokes: latencies.length, editToPaintedMs: stats(latencies), coreRenderInHostMs: stats(hostCore), breakdownMs: Object.fromEntries(Object.entries(split).map(([k, v]) => [k, stats(v)])), targetP95Ms: 150, openToFirstPaintMs: openToPaintedMs, openBreakdownMs, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) };
  } finally {
    await wb.close();
  }
}

const result = { core: await core() };
console.log(`[bench] preview core: ${JSON.stringify(result.core)}`);
if (!process.argv.includes('--core')) {
  try {
    result.e2e = await e2e();
  } catch (e) {
    result.e2e = { failed: String(e?.message ?? e).split('\n')[0] };
  }
}
writeResult('preview', result);
