// Composition root: creates the services and registers commands, views and providers. No logic here.

// Stamped by the bundle's first line (scripts/build.mjs banner), so the activation time covers loading the bundle.
const activationStart = (globalThis as { __alignmentStudioLoadStart?: number }).__alignmentStudioLoadStart ?? performance.now();
// The entry module's body runs after every bundled module it imports has been evaluated.
const bundleLoaded = performance.now();

import * as vscode from 'vscode';
import { ApiKeyStore } from './host/apiKeyStore';
import { setApiKeyCommand } from './host/setApiKeyCommand';
import { PreviewPanel } from './host/preview/PreviewPanel';
import { ResultsPanel, type LiveUpdate } from './host/results/ResultsPanel';
import { WorkspaceTreeProvider } from './host/WorkspaceTreeProvider';
import { runExperimentCommand } from './host/runExperimentCommand';
import { ExperimentRunner, type RunOptions } from './host/run/ExperimentRunner';
import { RunStatusBar } from './host/run/RunStatusBar';
import { AnswersDocumentProvider } from './host/run/AnswersDocumentProvider';
import { BatchService } from './host/batch/BatchService';
import { batchCommands } from './host/batch/batchCommands';
import { RunForPersonaCodeLensProvider } from './host/run/RunForPersonaCodeLensProvider';
import { runForPersona, type RunForPersonaArgs } from './host/run/runForPersona';
import { SelectionService } from './host/selection/SelectionService';
import { selectPersonaCommand, selectQuestionCommand } from './host/selection/selectPersonaCommand';
import { templateEditorSupport } from './host/templates/templateEditorSupport';
import { requireTrust } from './host/workspaceTrust';
import { AugmentReviewPanel } from './host/culture/AugmentReviewPanel';
import { CultureDashboardPanel } from './host/culture/CultureDashboardPanel';
import { augmentSeeds, exportFineTuneDataCommand, reviewAugmentation, runCultureExperiment, type CultureCommandOptions } from './host/culture/cultureCommands';

/** What `activate` returns: used by the integration tests and by other extensions. */
export interface AlignmentStudioApi {
  /** Activation cost in ms: evaluating the bundle plus running `activate` (`loadMs + activateMs`). */
  activationMs: number;
  /** Of which: evaluating the bundle (our code and its dependencies). */
  loadMs: number;
  /** Of which: the body of `activate` (creating services, registering everything). */
  activateMs: number;
  /** The shared persona / question / variant selection (templates, preview, CodeLens). */
  selection: SelectionService;
}

export function activate(context: vscode.ExtensionContext): AlignmentStudioApi {
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('Alignment Studio', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const tree = new WorkspaceTreeProvider();
  const uri = context.extensionUri;
  const selection = new SelectionService(context.workspaceState, log);
  const runStatus = new RunStatusBar();
  const runner = new ExperimentRunner(keys, runStatus, log);
  const answers = new AnswersDocumentProvider();
  const runLenses = new RunForPersonaCodeLensProvider(selection);
  const batch = new BatchService(keys, log);
  const culture = { extensionUri: uri, keys, log };

  context.subscriptions.push(
    log,
    selection,
    ...templateEditorSupport(selection, log),
    vscode.commands.registerCommand('alignmentStudio.selectPersona', () => selectPersonaCommand(selection)),
    vscode.commands.registerCommand('alignmentStudio.selectQuestion', () => selectQuestionCommand(selection)),
    tree,
    vscode.window.registerTreeDataProvider('alignmentStudio.workspace', tree),
    vscode.commands.registerCommand('alignmentStudio.openPreview', () => PreviewPanel.show(uri, log, selection)),
    // Not in the palette: lets tests and tools read what the preview last rendered and painted.
    vscode.commands.registerCommand('alignmentStudio.preview.state', () => PreviewPanel.snapshot()),
    vscode.commands.registerCommand('alignmentStudio.openResults', (run?: vscode.Uri) => ResultsPanel.show(uri, log, run)),
    // Not in the palette: sends a request to the results panel as its webview would (same validation), for tests.
    vscode.commands.registerCommand('alignmentStudio.results.request', (method: string, params: unknown) => ResultsPanel.request(method, params)),
    // Not in the palette: the run engine's live snapshots, and what the results panel drew (tests).
    vscode.commands.registerCommand('alignmentStudio.results.live', (update: LiveUpdate) => ResultsPanel.showLive(uri, log, update)),
    vscode.commands.registerCommand('alignmentStudio.results.state', () => ResultsPanel.snapshot()),
    runStatus,
    runner,
    vscode.commands.registerCommand('alignmentStudio.runExperiment', (file?: vscode.Uri, options?: RunOptions) => runExperimentCommand(runner, file, options)),
    vscode.commands.registerCommand('alignmentStudio.showRunLog', (runId?: string) => runner.showLog(runId)),
    batch,
    ...batchCommands(batch),
    answers,
    vscode.workspace.registerTextDocumentContentProvider(AnswersDocumentProvider.scheme, answers),
    vscode.commands.registerCommand('alignmentStudio.runForPersona', (args?: RunForPersonaArgs) => runForPersona({ selection, keys, answers, log }, args)),
    runLenses,
    vscode.languages.registerCodeLensProvider({ pattern: '**/prompts/**/*.hbs' }, runLenses),
    vscode.commands.registerCommand('alignmentStudio.setApiKey', (baseUrl?: string) => setApiKeyCommand(keys, baseUrl)),
    vscode.commands.registerCommand('alignmentStudio.showActivationTime', () => {
      void vscode.window.showInformationMessage(`Alignment Studio activated in ${api.activationMs.toFixed(1)} ms`);
      return api.activationMs;
    }),
    vscode.window.registerWebviewPanelSerializer(PreviewPanel.viewType, { deserializeWebviewPanel: async (panel) => PreviewPanel.revive(panel, uri, log, selection) }),
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, { deserializeWebviewPanel: async (panel) => ResultsPanel.revive(panel, uri, log) }),
    vscode.commands.registerCommand('alignmentStudio.runCultureExperiment', (file?: unknown, options?: CultureCommandOptions) => (requireTrust('Running a culture experiment', log) ? runCultureExperiment(culture, file, options) : undefined)),
    vscode.commands.registerCommand('alignmentStudio.openCultureDashboard', (run?: unknown) => CultureDashboardPanel.show(uri, log, run).then(() => undefined)),
    vscode.commands.registerCommand('alignmentStudio.augmentSeeds', (file?: unknown, options?: CultureCommandOptions) => (requireTrust('Augmenting seeds', log) ? augmentSeeds(culture, file, options) : undefined)),
    vscode.commands.registerCommand('alignmentStudio.reviewAugmentation', (target?: unknown) => (requireTrust('Reviewing augmentation (it writes the decisions file)', log) ? reviewAugmentation(culture, target) : undefined)),
    vscode.commands.registerCommand('alignmentStudio.exportFineTuneData', (file?: unknown, options?: CultureCommandOptions) => (requireTrust('Exporting fine-tuning data', log) ? exportFineTuneDataCommand(culture, file, options) : undefined)),
    // Not in the palette: lets tests read what the culture panels show.
    vscode.commands.registerCommand('alignmentStudio.culture.state', () => ({ dashboard: CultureDashboardPanel.snapshot(), review: AugmentReviewPanel.snapshot() })),
    vscode.window.registerWebviewPanelSerializer(CultureDashboardPanel.viewType, { deserializeWebviewPanel: async (panel) => CultureDashboardPanel.revive(panel, uri, log) }),
    vscode.window.registerWebviewPanelSerializer(AugmentReviewPanel.viewType, { deserializeWebviewPanel: async (panel) => AugmentReviewPanel.revive(panel, uri, log) }),
  );

  // Not awaited: a notification, only when a run was interrupted by a crash or a reload (never in Restricted Mode:
  // then it is offered once the user trusts the workspace).
  setTimeout(() => void runner.offerResume(), 2000);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void runner.offerResume()));
  // Batches submitted before a reload (ids in the run folders) are found and watched again.
  setTimeout(() => void batch.resumePending(), 2500);
  const end = performance.now();
  // Our own cost, as VS Code's "Running Extensions" counts it: loading the code plus the activate() call (the host's
  // scheduling between the two is not ours).
  const loadMs = bundleLoaded - activationStart;
  const activateMs = end - activateStart;
  const api: AlignmentStudioApi = { activationMs: loadMs + activateMs, loadMs, activateMs, selection };
  log.info(`activated in ${api.activationMs.toFixed(1)} ms: bundle ${api.loadMs.toFixed(1)} ms, activate() ${api.activateMs.toFixed(1)} ms (VS Code ${vscode.version})`);
  return api;
}

export function deactivate(): void {}
