import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import type { ModelSpec } from '../../core/experiment';
import type { Diagnostic } from '../../core/model';
import { parsePersonas } from '../../core/persona/parsePersonas';
import { parseExperiment } from '../../core/run/parseExperiment';
import { diagnoseSurvey } from '../../core/survey/diagnoseSurvey';
import { diagnoseTemplate } from '../../core/template/diagnoseTemplate';
import { inputErrorToDiagnostic } from '../../core/workspace/inputErrorToDiagnostic';
import type { SelectionService } from '../selection/SelectionService';
import { templateContext } from './templateContext';
import { isTemplate, readPartials } from './templateFiles';
import { toVscodeDiagnostic } from './toVscodeDiagnostic';

type Kind = 'template' | 'survey' | 'personas' | 'experiment';

/**
 * Which checker a document needs, by its name: personas files are those named `*persona*` (`.jsonl`, `.csv`) or
 * used by the selected experiment. Run outputs (`.alignment/`) are never checked.
 */
export function dataKind(doc: vscode.TextDocument, personasUri?: vscode.Uri | null): Kind | undefined {
  const p = doc.uri.path;
  if (p.includes('/.alignment/') || doc.uri.scheme === 'output') return undefined;
  if (isTemplate(doc)) return 'template';
  if (/\.survey\.(json|ya?ml)$/i.test(p)) return 'survey';
  if (/\.experiment\.json$/i.test(p)) return 'experiment';
  if (/persona[^/]*\.(jsonl|ndjson|csv|tsv)$/i.test(p) || (personasUri && personasUri.toString() === doc.uri.toString())) return 'personas';
  return undefined;
}

const DEBOUNCE_MS = 150;

/**
 * Problems entries for prompt templates (syntax, unknown variable / helper / partial) and for survey, personas and
 * experiment files (file, line, field), updated as the user types (debounced) and when the selection changes.
 */
export class DataDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('alignmentStudio');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly selection: SelectionService, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.schedule(e.document, DEBOUNCE_MS);
        // Editing a partial can fix or break the templates that use it.
        if (isTemplate(e.document) && e.document.uri.path.includes('/partials/')) this.recheckTemplates();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        clearTimeout(this.timers.get(d.uri.toString()));
      }),
      selection.onDidChange(() => this.recheckTemplates()),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private recheckTemplates(): void {
    for (const doc of vscode.workspace.textDocuments) if (isTemplate(doc)) this.schedule(doc, DEBOUNCE_MS);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!dataKind(doc, this.selection.current.personasUri)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.check(doc), delay));
  }

  /** Checks one document now; stale results (the text changed meanwhile) are dropped. */
  async check(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const kind = dataKind(doc, this.selection.current.personasUri);
    if (!kind || doc.isClosed) return [];
    const key = doc.uri.toString();
    const version = doc.version;
    this.versions.set(key, version);
    const file = vscode.workspace.asRelativePath(doc.uri);
    const text = doc.getText();
    let found: Diagnostic[] = [];
    try {
      found = await this.diagnose(kind, text, file, doc.uri);
    } catch (e) {
      this.log.error(`diagnostics for ${file} failed: ${(e as Error).stack ?? String(e)}`);
    }
    if (doc.isClosed || this.versions.get(key) !== version || doc.version !== version) return [];
    const out = found.map((d) => toVscodeDiagnostic(d, doc));
    this.collection.set(doc.uri, out);
    return out;
  }

  private async diagnose(kind: Kind, text: string, file: string, uri: vscode.Uri): Promise<Diagnostic[]> {
    switch (kind) {
      case 'template': {
        const selection = this.selection.current;
        const [partials] = await Promise.all([readPartials(uri), this.selection.ready()]);
        const { context } = templateContext(uri.path, this.selection.current ?? selection);
        return diagnoseTemplate(text, file, { partials: Object.keys(partials), context });
      }
      case 'survey':
        return diagnoseSurvey(text, file);
      case 'personas':
        return asDiagnostics(() => parsePersonas(text, file), 'personas.invalid');
      case 'experiment':
        return asDiagnostics(() => parseExperiment(text, file, vscode.workspace.getConfiguration('alignmentStudio').get<ModelSpec[]>('models', []) ?? []).warnings, 'experiment.invalid');
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function asDiagnostics(parse: () => unknown, code: string): Diagnostic[] {
  try {
    const result = parse();
    return Array.isArray(result) && result.length > 0 && typeof (result[0] as Diagnostic).severity === 'string' ? (result as Diagnostic[]) : [];
  } catch (e) {
    if (e instanceof InputError) return [inputErrorToDiagnostic(e, code)];
    throw e;
  }
}
