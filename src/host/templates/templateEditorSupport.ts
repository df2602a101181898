import * as vscode from 'vscode';
import type { SelectionService } from '../selection/SelectionService';
import { DataDiagnostics } from './DataDiagnostics';
import { TemplateCompletionProvider } from './TemplateCompletionProvider';
import { TemplateHoverProvider } from './TemplateHoverProvider';
import { TEMPLATE_SELECTOR } from './templateFiles';

/** Registers the prompt-template editor features: Problems entries, completion and hover. */
export function templateEditorSupport(selection: SelectionService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    new DataDiagnostics(selection, log),
    vscode.languages.registerCompletionItemProvider(TEMPLATE_SELECTOR, new TemplateCompletionProvider(selection), '{', '.', '>', '#', ' '),
    vscode.languages.registerHoverProvider(TEMPLATE_SELECTOR, new TemplateHoverProvider(selection)),
  ];
}
