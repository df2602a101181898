import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AlignmentStudioApi } from '../../../src/extension';
import type { PreviewSnapshot } from '../../../src/host/preview/PreviewPanel';
import { waitFor } from './util';

// The preview in a real VS Code on the example workspace (a fresh copy): open it beside persona.en.hbs, edit the
// templates through the API and watch the renders the webview acknowledges as painted.
const state = () => vscode.commands.executeCommand<PreviewSnapshot | undefined>('alignmentStudio.preview.state');

async function paintedRender(what: string, ok: (s: PreviewSnapshot) => boolean): Promise<PreviewSnapshot> {
  let last: PreviewSnapshot | undefined;
  await waitFor(async () => {
    last = await state();
    return !!last?.render && last.painted?.version === last.render.version && ok(last);
  }, what, 30000);
  return last!;
}

function root(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

async function insertAfterFirstLine(uri: vscode.Uri, pattern: RegExp, text: string): Promise<vscode.Range> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = doc.getText().split('\n').findIndex((l) => pattern.test(l));
  assert.ok(line >= 0, `${uri.path} has a line matching ${pattern}`);
  const pos = new vscode.Position(line + 1, 0);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, pos, text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return new vscode.Range(pos, new vscode.Position(line + 1 + text.split('\n').length - 1, text.split('\n').pop()!.length));
}

async function remove(uri: vscode.Uri, range: vscode.Range): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.delete(uri, range);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('Preview', function () {
  this.timeout(90000);
  const en = () => vscode.Uri.joinPath(root(), 'prompts/persona.en.hbs');
  const ar = () => vscode.Uri.joinPath(root(), 'prompts/persona.ar.hbs');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(async () => (await state()) === undefined, 'the preview closed');
  });

  it('opens beside persona.en.hbs with English and Arabic renderings for a real respondent', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(en()));
    const t0 = Date.now();
    await vscode.commands.executeCommand('alignmentStudio.openPreview');
    const s = await paintedRender('the first render painted', (x) => x.render!.panes.length === 2);
    const up = s.startup;
    console.log(`[suite] preview: command → first render painted in the webview: ${s.painted!.at - t0} ms (panel created +${up.created - t0}, webview ready +${up.webviewReady - t0}, data +${up.dataLoaded - t0}, first render posted +${up.firstRenderPosted - t0})`);
    const [pEn, pAr] = s.render!.panes;
    console.log(`[suite] preview: first render v${s.render!.version} in ${s.render!.renderMs.toFixed(2)} ms, persona ${s.render!.selection.personaId}, ${s.render!.variables.length} variables`);
    assert.equal(s.template, 'prompts/persona.en.hbs');
    assert.deepEqual([pEn.lang, pEn.dir, pEn.file], ['en', 'ltr', 'prompts/persona.en.hbs']);
    assert.deepEqual([pAr.lang, pAr.dir, pAr.file], ['ar', 'rtl', 'prompts/persona.ar.hbs']);
    assert.equal(pEn.error, undefined, pEn.error);
    assert.equal(pAr.error, undefined, pAr.error);
    assert.ok(pEn.messages.length >= 1 && pAr.messages.length >= 1);
    const sex = s.render!.variables.find((v) => v.path === 'persona.sex');
    assert.ok(sex?.values.en && sex.values.ar, 'the variables table has the persona in both languages');
    assert.ok(pEn.messages.some((m) => m.content.includes(sex.values.en)), 'English prompt names the persona');
    assert.ok(pAr.messages.some((m) => m.content.includes(sex.values.ar)), 'Arabic prompt names the persona in Arabic');
    assert.match(pAr.messages.map((m) => m.content).join('\n'), /[\u0600-\u06ff]/);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Preview persona'));
    assert.ok(tab, 'a preview tab titled after the template pair');
  });

  it('counts tokens per pane once the tokenizer is loaded', async () => {
    const s = await paintedRender('token counts', (x) => x.render!.panes.every((p) => p.tokens !== null));
    for (const p of s.render!.panes) assert.ok(p.tokens! > 50, `${p.lang}: ${p.tokens} tokens`);
  });

  it('re-renders the English pane when persona.en.hbs is edited through the API', async () => {
    const before = (await state())!.render!.version;
    const range = await insertAfterFirstLine(en(), /\{\{#user\}\}/, 'EDITED-EN-{{persona.age}}\n');
    const s = await paintedRender('the edit in the EN pane', (x) => x.render!.version > before && x.render!.panes[0].messages.some((m) => m.content.includes('EDITED-EN-')));
    const age = s.render!.variables.find((v) => v.path === 'persona.age')!.values.en;
    assert.ok(s.render!.panes[0].messages[0].content.includes(`EDITED-EN-${age}`));
    assert.ok(!s.render!.panes[1].messages.some((m) => m.content.includes('EDITED-EN-')), 'the AR pane is unaffected');
    await remove(en(), range);
    await paintedRender('the edit undone', (x) => !x.render!.panes[0].messages.some((m) => m.content.includes('EDITED-EN-')));
  });

  it('re-renders the Arabic pane when persona.ar.hbs is edited (while persona.en.hbs stays active)', async () => {
    const range = await insertAfterFirstLine(ar(), /\{\{#user\}\}/, 'تعديل-{{persona.region}}\n');
    const s = await paintedRender('the edit in the AR pane', (x) => x.render!.panes[1].messages.some((m) => m.content.includes('تعديل-')));
    const region = s.render!.variables.find((v) => v.path === 'persona.region')!.values.ar;
    assert.ok(s.render!.panes[1].messages[0].content.includes(`تعديل-${region}`));
    await remove(ar(), range);
  });

  it('shows a template error with its line instead of a blank pane, and recovers', async () => {
    const range = await insertAfterFirstLine(en(), /\{\{#user\}\}/, '{{persona.no_such_field}}\n');
    const s = await paintedRender('the error', (x) => !!x.render!.panes[0].error);
    const pEn = s.render!.panes[0];
    assert.match(pEn.error!, /no_such_field/);
    const d = pEn.diagnostics.find((x) => /no_such_field/.test(x.message));
    assert.ok(d, 'a diagnostic names the unknown variable');
    assert.equal(d.file, 'prompts/persona.en.hbs');
    assert.equal(d.line, range.start.line + 1);
    assert.ok(s.render!.panes[1].messages.length > 0, 'the Arabic pane still renders');
    await remove(en(), range);
    await paintedRender('recovered', (x) => !x.render!.panes[0].error);
  });

  it('follows the active template editor to another pair', async () => {
    const anthro = vscode.Uri.joinPath(root(), 'prompts/anthro.ar.hbs');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(anthro), vscode.ViewColumn.One);
    const s = await paintedRender('the anthro pair', (x) => x.render!.base === 'prompts/anthro');
    assert.equal(s.render!.activeLang, 'ar');
    assert.deepEqual(s.render!.panes.map((p) => p.file), ['prompts/anthro.en.hbs', 'prompts/anthro.ar.hbs']);
  });

  it('follows the shared selection (Select Persona, template hover) and keeps its own pickers in step', async () => {
    const ext = vscode.extensions.getExtension<AlignmentStudioApi>('alignment-studio.alignment-studio')!;
    const api = await ext.activate();
    const shared = await api.selection.ready();
    const before = { personaId: shared.persona?.id, variant: shared.variant };
    const current = (await state())!.render!.selection.personaId;
    const other = shared.personas.find((p) => p.id !== current && p.country === 'egypt');
    assert.ok(other, 'another persona to pick');
    try {
      await api.selection.selectPersona(other.id);
      const s = await paintedRender(`persona ${other.id}`, (x) => x.render!.selection.personaId === other.id);
      assert.equal(s.render!.variables.find((v) => v.path === 'persona.region')?.values.en, String(other.values.en.region));
      await api.selection.selectVariant(1);
      await paintedRender('variant 2', (x) => x.render!.selection.variant === 1);
    } finally {
      // The selection is workspace state other suites start from: put it back.
      if (before.personaId) await api.selection.selectPersona(before.personaId);
      await api.selection.selectVariant(before.variant);
    }
  });

  it('estimates the whole experiment', async () => {
    await waitFor(async () => !!(await state())?.estimate, 'the experiment estimate', 30000);
    const e = (await state())!.estimate as { requests: number; inputTokens: number; items: number };
    console.log(`[suite] preview estimate: ${JSON.stringify(e)}`);
    assert.ok(e.requests >= e.items && e.items > 0 && e.inputTokens > 0);
  });
});
