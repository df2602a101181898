import * as vscode from 'vscode';
import type { SelectionService } from '../selection/SelectionService';
import { SelectionStatusBar } from '../selection/SelectionStatusBar';
import { DataDiagnostics } from './DataDiagnostics';
import { TemplateCompletionProvider } from './TemplateCompletionProvider';
import { TemplateHoverProvider } from './TemplateHoverProvider';
import { TEMPLATE_SELECTOR } from './templateFiles';

/** Registers the prompt-template editor features: Problems entries, completion, hover and the persona status item. */
export function templateEditorSupport(selection: SelectionService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    new DataDiagnostics(selection, log),
    new SelectionStatusBar(selection),
    vscode.languages.registerCompletionItemProvider(TEMPLATE_SELECTOR, new TemplateCompletionProvider(selection), '{', '.', '>', '#', ' '),
    vscode.languages.registerHoverProvider(TEMPLATE_SELECTOR, new TemplateHoverProvider(selection)),
  ];
}
