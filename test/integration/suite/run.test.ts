import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PersonaRunResult } from '../../../src/host/run/runForPersona';
import { waitFor } from './util';

interface Line {
  hash: string;
  condition: string;
  personaId: string;
  questionId: string;
  text: string | null;
  parsed?: number | null;
  cached?: boolean;
}

function readLines(runDir: string): Line[] {
  return fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
}

function resultsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('alignmentStudio.results'));
}

describe('Run engine in VS Code', function () {
  this.timeout(120000);
  let workspace: string;
  let experiment: vscode.Uri;

  before(async () => {
    workspace = process.env.ALIGNMENT_STUDIO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
    // A small slice of the example's recorded-answers experiment: 3 Egypt personas × 3 questions × 2 variants × EN/AR × 5 samples.
    const base = JSON.parse(fs.readFileSync(path.join(workspace, 'egypt-en-vs-ar.experiment.json'), 'utf8')) as Record<string, unknown>;
    const small = { ...base, name: 'Small replay run', personaFilter: { countries: ['egypt'], limit: 3 }, questions: ['Q19', 'Q42', 'Q62'], variants: [0, 1] };
    const file = path.join(workspace, 'small-run.experiment.json');
    fs.writeFileSync(file, JSON.stringify(small, null, 2));
    experiment = vscode.Uri.file(file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes the run commands and the models setting', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['alignmentStudio.runExperiment', 'alignmentStudio.runForPersona', 'alignmentStudio.showRunLog']) assert.ok(all.includes(c), c);
    const models = vscode.workspace.getConfiguration('alignmentStudio').inspect('models');
    assert.deepEqual(models?.defaultValue, []);
  });

  it('"Run Experiment" runs the experiment end to end with the replay model and opens the results', async () => {
    const t0 = Date.now();
    const runUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', experiment, { confirm: false });
    assert.ok(runUri, 'the command returns the run folder');
    console.log(`[suite] replay run of 180 samples finished in ${Date.now() - t0} ms`);
    const manifest = JSON.parse(fs.readFileSync(path.join(runUri.fsPath, 'manifest.json'), 'utf8')) as { status: string; recorded: boolean; plannedRequests: number; experimentFile: string };
    assert.equal(manifest.status, 'completed');
    assert.equal(manifest.recorded, true);
    assert.equal(manifest.plannedRequests, 180);
    assert.equal(manifest.experimentFile, 'small-run.experiment.json');
    const lines = readLines(runUri.fsPath);
    assert.equal(lines.length, 180);
    assert.equal(new Set(lines.map((l) => l.hash)).size, 180);
    assert.ok(lines.every((l) => l.text !== null), 'every sample has a recorded reply');
    assert.ok(lines.filter((l) => typeof l.parsed === 'number').length >= 170, 'replies are parsed at write time');
    assert.deepEqual([...new Set(lines.map((l) => l.condition))].sort(), ['ar-plain', 'en-plain']);
    assert.equal(fs.existsSync(path.join(runUri.fsPath, 'run.lock')), false, 'the lock is released');
    await waitFor(() => resultsTabs().some((t) => t.label.includes(path.basename(runUri.fsPath))), 'results panel of the new run', 90000);
  });

  it('running it again serves every answer from the cache', async () => {
    const runUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', experiment, { confirm: false, openResults: false });
    assert.ok(runUri);
    const lines = readLines(runUri.fsPath);
    assert.equal(lines.length, 180);
    assert.ok(lines.every((l) => l.cached === true));
  });

  it('"Run for Persona" answers the selected question for one persona and shows raw + parsed answers', async () => {
    const t0 = Date.now();
    const result = await vscode.commands.executeCommand<PersonaRunResult | undefined>('alignmentStudio.runForPersona', {
      template: 'prompts/persona.ar.hbs', personaId: 'egypt-0001', questionIds: ['Q19'], modelIds: ['replay-gpt35'],
    });
    assert.ok(result, 'the command returns the answers');
    console.log(`[suite] run for persona answered in ${Date.now() - t0} ms`);
    assert.ok(result.records.length >= 5 && result.records.every((r) => r.personaId === 'egypt-0001' && r.questionId === 'Q19'));
    await waitFor(() => vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === result.uri.toString()), 'answers document shown');
    const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri.toString())!.getText();
    assert.match(text, /# egypt-0001 — prompts\/persona\.ar\.hbs/);
    assert.match(text, /recorded answers/);
    assert.match(text, /\| 0 \| 0 \| .+ \| \d — /);
    assert.match(text, /Survey answer of this respondent: /);
    assert.ok(fs.existsSync(result.runDir) && result.runDir.includes(`${path.sep}.alignment${path.sep}quick${path.sep}`));
  });

  it('a bad experiment file is reported with its line, and nothing runs', async () => {
    const bad = path.join(workspace, 'bad-run.experiment.json');
    fs.writeFileSync(bad, '{\n  "name": "bad",\n  "survey": "survey/wvs-31.survey.json",\n  "personas": "personas/wvs-egypt-us.personas.jsonl",\n  "samples": 1,\n  "conditions": [{ "id": "x", "template": "prompts/persona.en.hbs", "lang": "en", "model": "nope" }]\n}\n');
    const result = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', vscode.Uri.file(bad), { confirm: false });
    assert.equal(result, undefined);
  });

  it('a bad scoring block ("profile": "bogus") is reported and makes no run folder', async () => {
    const example = JSON.parse(fs.readFileSync(path.join(workspace, 'egypt-en-vs-ar.experiment.json'), 'utf8'));
    const bad = path.join(workspace, 'bogus-scoring.experiment.json');
    fs.writeFileSync(bad, JSON.stringify({ ...example, name: 'bogus scoring', scoring: { ...example.scoring, profile: 'bogus' } }, null, 2));
    const runs = path.join(workspace, '.alignment', 'runs');
    const before = fs.existsSync(runs) ? fs.readdirSync(runs).sort() : [];
    try {
      const result = await vscode.commands.executeCommand<vscode.Uri | undefined>('alignmentStudio.runExperiment', vscode.Uri.file(bad), { confirm: false });
      assert.equal(result, undefined);
      assert.deepEqual(fs.existsSync(runs) ? fs.readdirSync(runs).sort() : [], before, 'no new run folder');
    } finally {
      fs.rmSync(bad, { force: true });
    }
  });
});
