import * as vscode from 'vscode';
import { BUILTIN_HELPERS, PROMPT_HELPERS } from '../../core/template/promptHelpers';
import { lookupPath } from '../../core/template/lookupPath';
import type { SelectionService } from '../selection/SelectionService';
import { previewValue } from './TemplateCompletionProvider';
import { templateContext } from './templateContext';
import { expressionAtCursor } from '../../core/template/expressionAtCursor';

const HELPERS = new Map([...PROMPT_HELPERS, ...BUILTIN_HELPERS].map((h) => [h.name, h]));

/** Hover on a template variable: its value for the selected persona and question; on a helper: its signature. */
export class TemplateHoverProvider implements vscode.HoverProvider {
  constructor(private readonly selection: SelectionService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const range = doc.getWordRangeAtPosition(position, /[@\w\-[\]]+(?:\.[@\w\-[\]]+)*/);
    if (!range) return undefined;
    const line = doc.lineAt(position.line).text;
    if (!expressionAtCursor(line.slice(0, range.start.character))) return undefined;
    const word = doc.getText(range);
    const helper = HELPERS.get(word);
    if (helper) {
      return new vscode.Hover(new vscode.MarkdownString().appendCodeblock(helper.signature, 'handlebars').appendMarkdown(helper.description), range);
    }
    const selection = await this.selection.ready();
    const { context, sample } = templateContext(doc.uri.path, selection);
    const value = lookupPath(context, word);
    if (value === undefined) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${word}** = `);
    if (typeof value === 'object' && value !== null) md.appendCodeblock(JSON.stringify(value, null, 2), 'json');
    else md.appendMarkdown(`\`${previewValue(value)}\``);
    md.appendMarkdown(sample
      ? '\n\n_Example value: select a persona with “Alignment Studio: Select Persona…”._'
      : `\n\n_Persona ${context.persona.id}, ${context.question.id} variant ${context.question.variant + 1}, language ${context.lang}._`);
    return new vscode.Hover(md, range);
  }
}
