import * as path from 'node:path';
import * as vscode from 'vscode';
import { experimentPath } from '../workspaceFiles';
import type { ConditionSpec } from '../../core/experiment';
import { buildPreviewRender, PaneCache, type TemplateSource } from '../../core/preview/buildPreviewRender';
import { estimateExperiment, sumEstimates } from '../../core/preview/estimateExperiment';
import type { PreviewRender, PreviewSelection, TokenEncoding } from '../../core/preview/previewModel';
import { resolveSelection } from '../../core/preview/resolveSelection';
import { RenderScheduler } from '../../core/preview/RenderScheduler';
import { isPartialFile, partialFiles, partialsFolderOf, templatePair } from '../../core/template/templateFiles';
import { templatePromptEngine } from '../../core/preview/templatePromptEngine';
import { countChatTokens, loadTokenizer, type Tokenizer } from '../../core/run/tokenizer';
import type { PreviewFromWebview, PreviewPersistedData, PreviewToWebview } from '../../shared/protocol';
import { isObject, parsePreviewFromWebview } from '../../shared/protocol';
import type { SelectionService, WorkspaceSelection } from '../selection/SelectionService';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { attachProtocol } from '../webviewProtocol';
import { PreviewDataSource, readText, type PreviewData } from './PreviewDataSource';
import { previewSettings } from './previewSettings';
import { TemplateTexts } from './TemplateTexts';

/** What the integration tests (and `alignmentStudio.preview.state`) can observe of the open preview. */
export interface PreviewSnapshot {
  template: string | undefined;
  render: PreviewRender | undefined;
  painted: { version: number; at: number } | undefined;
  estimate: unknown;
  /** Date.now() stamps of the panel's start-up: created, webview ready, data loaded, first render posted. */
  startup: Record<string, number>;
}

const PANE_ORDER = ['en', 'ar'];
// The estimate renders dozens of items: only once typing has paused, one condition per turn of the event loop.
const ESTIMATE_DELAY_MS = 1000;

/**
 * The live preview of a prompt template pair, English and Arabic side by side. Follows the active template
 * editor like the built-in Markdown preview: renders at once when opened or switched, then on every edit at
 * most once per `alignmentStudio.preview.debounceMs`; renders carry versions and stale ones are dropped.
 */
export class PreviewPanel implements vscode.Disposable {
  static readonly viewType = 'alignmentStudio.preview';
  private static current: PreviewPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly data: PreviewDataSource;
  private readonly scheduler: RenderScheduler;
  private readonly tokenizers = new Map<TokenEncoding, Tokenizer>();
  private readonly paneCache = new PaneCache();
  private readonly texts = new TemplateTexts();
  private readonly partialsCache = new Map<string, Promise<Record<string, string>>>();
  private template: vscode.Uri | undefined;
  private selection: PreviewSelection = {};
  private ready = false;
  private catalogFor: PreviewData | undefined;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRender: PreviewRender | undefined;
  private lastPainted: { version: number; at: number } | undefined;
  private lastEstimate: unknown;
  private sharing = false;
  private lastEditAt: number | undefined;
  private readonly startup: Record<string, number> = { created: Date.now() };

  /** Opens the preview beside the editor (or reveals it) on the active template. */
  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, shared?: SelectionService): PreviewPanel {
    const active = activeTemplate();
    if (PreviewPanel.current) {
      PreviewPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      if (active) PreviewPanel.current.setTemplate(active);
      return PreviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PreviewPanel.viewType, 'Alignment Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, log, active, shared);
    return PreviewPanel.current;
  }

  /** Restores a preview after a window reload (the webview's saved state names the template). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, shared?: SelectionService): void {
    panel.webview.options = webviewOptions(extensionUri);
    PreviewPanel.current?.dispose();
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, log, activeTemplate(), shared);
  }

  /** The open preview's last render, paint acknowledgement and estimate (test hook). */
  static snapshot(): PreviewSnapshot | undefined {
    const p = PreviewPanel.current;
    return p && { template: p.template && vscode.workspace.asRelativePath(p.template), render: p.lastRender, painted: p.lastPainted, estimate: p.lastEstimate, startup: p.startup };
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, template: vscode.Uri | undefined,
    private readonly shared?: SelectionService) {
    this.template = template;
    this.data = new PreviewDataSource(log);
    this.scheduler = new RenderScheduler((v) => void this.renderVersion(v), previewSettings().debounceMs);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', 'Alignment Preview');
    this.updateTitle();
    this.disposables.push(
      this.data,
      this.texts,
      this.texts.onDidChangeOnDisk((uri) => {
        if (this.isPartial(uri)) this.partialsCache.clear();
        if (this.isRelevant(uri)) this.scheduler.edit();
      }),
      attachProtocol(panel.webview, {
        onReady: (restored) => this.onReady(restored),
        onMessage: (m) => this.onMessage(m),
      }, (e) => this.log.error(`preview: ${String(e)}`)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        const uri = e && templateUri(e.document);
        // A partial belongs to the templates that include it: keep showing the current pair.
        if (uri && templatePair(uri.path) && !(this.template && this.isPartial(uri)) && uri.toString() !== this.template?.toString()) this.setTemplate(uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (this.isPartial(e.document.uri)) this.partialsCache.clear();
        if (this.isRelevant(e.document.uri)) {
          this.lastEditAt = Date.now();
          this.scheduler.edit();
        }
      }),
      this.data.onDidChange(() => this.scheduler.now()),
      panel.onDidDispose(() => this.dispose()),
    );
    // Load the data and partials while the webview boots (it takes far longer than they do).
    if (template) this.prefetch(template);
    // The workspace-wide selection (template hover, CodeLens, "Select Persona") and the preview's pickers agree.
    if (shared) {
      this.disposables.push(shared.onDidChange((s) => this.followShared(s)));
      void shared.ready().then((s) => this.followShared(s), (e: unknown) => this.log.warn(`preview: selection: ${String(e)}`));
    }
  }

  private followShared(s: WorkspaceSelection): void {
    if (this.sharing) return; // our own change echoing back, one field at a time
    const next: PreviewSelection = { personaId: s.persona?.id ?? this.selection.personaId, questionId: s.question?.id ?? this.selection.questionId, variant: s.variant };
    if (next.personaId === this.selection.personaId && next.questionId === this.selection.questionId && next.variant === this.selection.variant) return;
    this.selection = { ...this.selection, ...next };
    this.scheduler.now();
  }

  /** Tells the shared selection what the user picked in the preview. */
  private async shareSelection(s: PreviewSelection): Promise<void> {
    if (!this.shared) return;
    this.sharing = true;
    try {
      if (s.personaId) await this.shared.selectPersona(s.personaId);
      if (s.questionId) await this.shared.selectQuestion(s.questionId);
      if (s.variant !== undefined) await this.shared.selectVariant(s.variant);
    } finally {
      this.sharing = false;
    }
  }

  private prefetch(template: vscode.Uri): void {
    void this.partials(template);
    // A failure shows up (and is reported) when the render asks again. The tokenizer is not prefetched: it is
    // CPU-bound and would compete with the webview's start; the first render asks for it.
    void this.data.get(template).catch(() => undefined);
  }

  private setTemplate(uri: vscode.Uri): void {
    this.template = uri;
    this.updateTitle();
    this.scheduler.now();
  }

  private updateTitle(): void {
    const pair = this.template && templatePair(this.template.path);
    const name = pair ? `${pair.base.split('/').pop()}.{${PANE_ORDER.join(',')}}` : this.template?.path.split('/').pop();
    this.panel.title = name ? `Preview ${name}` : 'Alignment Preview';
  }

  private async onReady(restored: unknown): Promise<void> {
    this.ready = true;
    this.startup.webviewReady ??= Date.now();
    this.catalogFor = undefined; // a (re)loaded webview has no catalog yet
    const saved = isObject(restored) && restored.kind === 'preview' && isObject(restored.data) ? restored.data as Partial<PreviewPersistedData> : undefined;
    if (saved?.selection && isObject(saved.selection) && !this.selection.personaId) this.selection = saved.selection;
    if (!this.template && typeof saved?.template === 'string') this.template = await findInWorkspace(saved.template);
    this.updateTitle();
    this.scheduler.now();
  }

  private async onMessage(raw: Record<string, unknown> & { type: string }): Promise<void> {
    const m: PreviewFromWebview | undefined = parsePreviewFromWebview(raw);
    if (!m) {
      this.log.warn(`preview: ignored invalid message ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'preview/select':
        this.selection = { ...this.selection, ...m.selection };
        this.scheduler.now();
        await this.shareSelection(this.selection);
        break;
      case 'preview/painted':
        this.lastPainted = { version: m.version, at: m.at };
        break;
      case 'preview/openSource':
        await this.openSource(m.file, m.line, m.column);
        break;
      case 'preview/runForPersona':
        await this.runForPersona();
        break;
    }
  }

  private post(message: PreviewToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** One render; anything that awaited past a newer render is dropped before posting. */
  private async renderVersion(version: number): Promise<void> {
    if (!this.ready) return;
    const template = this.template;
    if (!template) {
      this.post({ type: 'preview/empty', reason: 'Open a prompt template (prompts/*.en.hbs or *.ar.hbs) to preview it.' });
      return;
    }
    try {
      const data = await this.data.get(template);
      this.startup.dataLoaded ??= Date.now();
      if (!this.scheduler.isLatest(version)) return;
      if (this.catalogFor !== data) {
        this.catalogFor = data;
        this.post({ type: 'preview/catalog', catalog: data.catalog });
        for (const p of data.problems) this.post({ type: 'notice', level: 'warning', text: p });
      }
      const selection = resolveSelection(data.catalog, this.selection);
      if (!selection) {
        this.post({ type: 'preview/empty', reason: `Nothing to render: ${data.problems.join(' ') || 'the experiment has no personas or no questions.'}` });
        return;
      }
      this.selection = { ...selection, modelId: selection.modelId ?? undefined };
      const rel = vscode.workspace.asRelativePath(template);
      const pair = templatePair(rel);
      const langs = pair ? [...PANE_ORDER, ...(PANE_ORDER.includes(pair.lang) ? [] : [pair.lang])] : ['en'];
      const uriPair = templatePair(template.path);
      const [templates, partials] = await Promise.all([
        Promise.all(langs.map(async (lang): Promise<TemplateSource> => {
          const file = pair ? pair.fileFor(lang) : rel;
          const uri = uriPair ? template.with({ path: uriPair.fileFor(lang) }) : template;
          return { lang, file, source: await this.texts.read(uri) };
        })),
        this.partials(template),
      ]);
      if (!this.scheduler.isLatest(version)) return;
      const model = (selection.modelId && data.models.get(selection.modelId)) || null;
      const spec = data.spec?.models.find((m) => m.id === model?.id);
      const render = buildPreviewRender({
        version, base: pair?.base ?? rel, activeLang: pair?.lang ?? 'en', templates, partials,
        persona: data.personas.get(selection.personaId)!, question: data.questions.get(selection.questionId)!, selection, model,
        tokenizer: model ? this.tokenizer(model.encoding) : undefined,
        outputSamples: spec?.useN ? data.spec?.samples ?? 1 : 1,
        cache: this.paneCache,
      }, templatePromptEngine);
      render.timing = { editAt: this.lastEditAt, postedAt: Date.now() };
      this.lastRender = render;
      this.post({ type: 'preview/render', render });
      if (this.startup.firstRenderPosted === undefined) {
        this.startup.firstRenderPosted = Date.now();
        const t = this.startup;
        this.log.info(`preview: webview ready after ${t.webviewReady - t.created} ms, data after ${t.dataLoaded - t.created} ms, first render posted after ${t.firstRenderPosted - t.created} ms`);
      }
      this.scheduleEstimate(data);
    } catch (e) {
      this.log.error(`preview render failed: ${e instanceof Error ? e.stack : String(e)}`);
      if (this.scheduler.isLatest(version)) this.post({ type: 'preview/empty', reason: `The preview failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** The loaded tokenizer, or undefined while it loads (the render after loading shows the counts). */
  private tokenizer(encoding: TokenEncoding): Tokenizer | undefined {
    const t = this.tokenizers.get(encoding);
    if (t) return t;
    void loadTokenizer(encoding).then((loaded) => {
      if (this.tokenizers.has(encoding)) return;
      this.tokenizers.set(encoding, loaded);
      this.scheduler.now();
    });
    return undefined;
  }

  /** Partials of a template, by the template-file conventions (core/template/templateFiles.ts) the run uses too. */
  private partials(template: vscode.Uri): Promise<Record<string, string>> {
    const dir = template.with({ path: partialsFolderOf(template.path, path.posix) });
    let p = this.partialsCache.get(dir.toString());
    if (!p) {
      p = (async () => {
        const out: Record<string, string> = {};
        const entries = await vscode.workspace.fs.readDirectory(dir).then((e) => e, () => [] as [string, vscode.FileType][]);
        for (const { file, name } of partialFiles(entries.filter(([, type]) => type === vscode.FileType.File).map(([n]) => n))) {
          out[name] = (await this.texts.read(vscode.Uri.joinPath(dir, file))) ?? '';
        }
        return out;
      })();
      this.partialsCache.set(dir.toString(), p);
    }
    return p;
  }

  private isPartial(uri: vscode.Uri): boolean {
    return isPartialFile(uri.path);
  }

  /** The pair's files and its partials re-render the preview. */
  private isRelevant(uri: vscode.Uri): boolean {
    if (!this.template) return false;
    if (this.isPartial(uri)) return true;
    const mine = templatePair(this.template.path);
    const theirs = templatePair(uri.path);
    return mine && theirs ? mine.base === theirs.base : uri.toString() === this.template.toString();
  }

  /** The whole-experiment estimate, a while after the last render (it renders dozens of items). */
  private scheduleEstimate(data: PreviewData): void {
    clearTimeout(this.estimateTimer);
    if (!data.spec || !data.experimentUri) return;
    this.estimateTimer = setTimeout(() => void this.estimate(data), ESTIMATE_DELAY_MS);
  }

  private async estimate(data: PreviewData): Promise<void> {
    const { spec, experimentUri } = data;
    if (!spec || !experimentUri) return;
    try {
      const sources = new Map<string, string>();
      for (const c of spec.conditions) {
        const uri = experimentPath(experimentUri, c.template, 'template'); // inside the workspace only
        sources.set(c.id, await readText(uri));
      }
      const tokenizers = new Map<string, Tokenizer>();
      for (const m of data.models.values()) tokenizers.set(m.id, await loadTokenizer(m.encoding));
      const partials = this.template ? await this.partials(this.template) : {};
      const started = this.lastRender?.version;
      const parts = [];
      for (const condition of spec.conditions) {
        parts.push(estimateExperiment({
          spec: { ...spec, conditions: [condition] }, experimentFile: vscode.workspace.asRelativePath(experimentUri),
          personas: [...data.personas.values()], questions: [...data.questions.values()], models: data.models,
          countItem: (c: ConditionSpec, persona, question, variant) => {
            const ctx = templatePromptEngine.buildContext(persona, question, variant, c.lang);
            const out = templatePromptEngine.render(sources.get(c.id) ?? '', ctx, { file: c.template, partials });
            if (!out.messages.length) throw new Error(out.diagnostics[0]?.message ?? 'no messages');
            return countChatTokens(out.messages, tokenizers.get(c.model) ?? tokenizers.values().next().value!);
          },
        }));
        await new Promise((r) => setImmediate(r)); // let a keystroke's render go first
        if (this.lastRender?.version !== started) return; // the user is typing again: estimate later
      }
      const estimate = sumEstimates(parts, vscode.workspace.asRelativePath(experimentUri));
      this.lastEstimate = estimate;
      this.post({ type: 'preview/estimate', estimate });
    } catch (e) {
      this.post({ type: 'preview/estimate', estimate: null, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async openSource(file: string, line: number, column: number): Promise<void> {
    const uri = await findInWorkspace(file);
    if (!uri) {
      this.post({ type: 'notice', level: 'error', text: `${file} is not in the workspace.` });
      return;
    }
    const pos = new vscode.Position(line - 1, column - 1);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    await vscode.window.showTextDocument(uri, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus: false });
  }

  private async runForPersona(): Promise<void> {
    const personaId = this.selection.personaId;
    if (!this.template || !personaId) return;
    if (!(await vscode.commands.getCommands(true)).includes('alignmentStudio.runForPersona')) {
      this.post({ type: 'notice', level: 'warning', text: 'Running one persona needs the run engine (command alignmentStudio.runForPersona), which is not available.' });
      return;
    }
    // The run engine's argument object (src/host/run/runForPersona.ts): this template, persona, question, and the
    // model picked here when it is one of the experiment's.
    const data = this.catalogFor;
    const modelId = this.selection.modelId;
    await vscode.commands.executeCommand('alignmentStudio.runForPersona', {
      template: this.template,
      personaId,
      questionIds: this.selection.questionId ? [this.selection.questionId] : undefined,
      modelIds: modelId && data?.spec?.models.some((m) => m.id === modelId) ? [modelId] : undefined,
      experiment: data?.experimentUri ?? undefined,
    });
  }

  dispose(): void {
    if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    clearTimeout(this.estimateTimer);
    this.scheduler.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The active editor's document when it is a prompt template. */
function activeTemplate(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && templateUri(doc);
}

function templateUri(doc: vscode.TextDocument): vscode.Uri | undefined {
  return /\.(hbs|handlebars)$/i.test(doc.uri.path) && doc.uri.scheme !== 'output' ? doc.uri : undefined;
}

/** A workspace-relative path resolved in the first folder that has it; never outside a folder. */
async function findInWorkspace(rel: string): Promise<vscode.Uri | undefined> {
  if (rel.split(/[\\/]/).includes('..')) return undefined;
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    // asRelativePath prefixes the folder name in multi-root workspaces.
    const inner = rel.startsWith(`${f.name}/`) && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? rel.slice(f.name.length + 1) : rel;
    const uri = vscode.Uri.joinPath(f.uri, inner);
    if (await vscode.workspace.fs.stat(uri).then(() => true, () => false)) return uri;
  }
  return undefined;
}
