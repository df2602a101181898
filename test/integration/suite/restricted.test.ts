import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlignmentStudioApi } from '../../../src/extension';
import type { PreviewSnapshot } from '../../../src/host/preview/PreviewPanel';
import { parseExperiment } from '../../../src/core/run/parseExperiment';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { waitFor } from './util';

// Run by `runIntegration.mjs --restricted`: workspace trust on, the folder not trusted (Restricted Mode). Templates
// preview and diagnose; results can be read; nothing is sent, no run starts or resumes, nothing is written.
const EXTENSION_ID = 'alignment-studio.alignment-studio';
const RUN_ID = 'recorded-gpt35-egypt';
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Alignment Studio');
const state = () => vscode.commands.executeCommand<PreviewSnapshot | undefined>('alignmentStudio.preview.state');

/** Every file of the workspace with its size, mtime and content hash: equal before and after = nothing written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    const st = fs.lstatSync(p);
    out[f] = `${st.size}:${st.mtimeMs}:${st.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir'}`;
  }
  return out;
}

describe('Restricted Mode (an untrusted workspace)', function () {
  this.timeout(120000);
  let workspace: string;
  let server: FakeOpenAIServer;
  let live: vscode.Uri;
  let replay: vscode.Uri;

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    server = await new FakeOpenAIServer().start();
    const repo = process.env.ALIGNMENT_STUDIO_REPO ?? path.resolve(__dirname, '../../../..');
    fs.cpSync(path.join(repo, 'examples/wvs-egypt-us/.alignment/runs', RUN_ID), path.join(workspace, '.alignment/runs', RUN_ID), { recursive: true });
    // A live experiment against a fake endpoint, and an interrupted run of the replay experiment ("Continue it?").
    const base = JSON.parse(fs.readFileSync(path.join(workspace, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as Record<string, unknown>;
    const liveSpec = { ...base, name: 'Live (restricted)', personaFilter: { countries: ['egypt'], limit: 2 }, questions: ['Q19'], variants: [0], samples: 1,
      models: [{ id: 'fake', kind: 'openai', baseURL: server.baseURL, model: 'fake-1', maxRetries: 0 }],
      conditions: [{ id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'fake' }] };
    live = vscode.Uri.file(path.join(workspace, 'live-restricted.experiment.json'));
    fs.writeFileSync(live.fsPath, JSON.stringify(liveSpec, null, 2));
    replay = vscode.Uri.file(path.join(workspace, 'egypt-en-vs-ar.experiment.json'));
    const { spec } = parseExperiment(fs.readFileSync(replay.fsPath, 'utf8'), replay.fsPath);
    const interrupted = path.join(workspace, '.alignment/runs/interrupted');
    fs.mkdirSync(interrupted, { recursive: true });
    fs.writeFileSync(path.join(interrupted, 'manifest.json'), JSON.stringify({ runId: 'interrupted', experimentFile: 'egypt-en-vs-ar.experiment.json', experiment: spec, createdAt: '2099-01-01T00:00:00Z', plannedRequests: 12400, status: 'running' }, null, 2));
    fs.writeFileSync(path.join(interrupted, 'responses.jsonl'), '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await server.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the workspace is untrusted and the extension is active in it (it declares limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension<AlignmentStudioApi>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    assert.ok(ext.isActive && api.activationMs > 0);
    const pkg = ext.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } };
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.ok(String(pkg.capabilities?.untrustedWorkspaces?.description).length > 40);
  });

  it('templates preview in English and Arabic and diagnose, as in a trusted workspace', async () => {
    const en = vscode.Uri.file(path.join(workspace, 'prompts/persona.en.hbs'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(en));
    await vscode.commands.executeCommand('alignmentStudio.openPreview');
    await waitFor(async () => {
      const s = await state();
      return !!s?.render && s.painted?.version === s.render.version && s.render.panes.length === 2;
    }, 'the preview painted both languages', 60000);
    const inserted = '{{persona.no_such_field}} ';
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), inserted));
    await waitFor(() => ours(en).some((d) => /no_such_field/.test(d.message)), 'a diagnostic for the unknown variable');
    await editor.edit((e) => e.delete(new vscode.Range(0, 0, 0, inserted.length)));
    // The user's own save of the editor (auto-save may do it too): settled before the next test takes its snapshot.
    await editor.document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('nothing is sent, no run starts or resumes, nothing is written: Run Experiment, Run for Persona, the start-up resume offer', async () => {
    const before = snapshot(workspace);
    assert.equal(await vscode.commands.executeCommand('alignmentStudio.runExperiment', live, { confirm: false }), undefined);
    assert.equal(await vscode.commands.executeCommand('alignmentStudio.runExperiment', replay, { confirm: false }), undefined, 'the interrupted run is not resumed');
    assert.equal(await vscode.commands.executeCommand('alignmentStudio.runForPersona', { template: 'prompts/persona.en.hbs', personaId: 'egypt-0001', questionIds: ['Q19'], experiment: live, silent: true }), undefined);
    await new Promise((r) => setTimeout(r, 2500)); // past the start-up "Continue it?" offer
    assert.equal(server.stats.requests, 0, 'no request reached the endpoint');
    const after = snapshot(workspace);
    const changed = Object.keys({ ...before, ...after }).filter((f) => before[f] !== after[f]);
    assert.deepEqual(changed, [], 'no file of the workspace was written');
    assert.deepEqual(fs.readdirSync(path.join(workspace, '.alignment/runs')).sort(), ['interrupted', RUN_ID]);
    assert.equal(fs.existsSync(path.join(workspace, '.alignment/quick')), false);
  });

  it('results of a run can be read; exporting them (a write) is refused', async () => {
    await vscode.commands.executeCommand('alignmentStudio.openResults', vscode.Uri.file(path.join(workspace, '.alignment/runs', RUN_ID)));
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('alignmentStudio.results'));
    await waitFor(() => tabs().some((t) => t.label === `Results: ${RUN_ID}`), 'results of the bundled run', 90000);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('alignmentStudio.results.request', 'export', { format: 'json' })), /Restricted Mode/);
  });
});
