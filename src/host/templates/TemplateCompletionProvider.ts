import * as vscode from 'vscode';
import { BUILTIN_HELPERS, PROMPT_HELPERS } from '../../core/template/promptHelpers';
import { lookupPath } from '../../core/template/lookupPath';
import { templateSchema } from '../../core/template/templateSchema';
import type { TemplateSchema } from '../../core/template/templateSchema';
import type { SelectionService } from '../selection/SelectionService';
import { templateContext } from './templateContext';
import { readPartials } from './templateFiles';
import { expressionAtCursor } from '../../core/template/expressionAtCursor';

/** Short text of a value for completion details and hovers. */
export function previewValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(' | ');
  if (value !== null && typeof value === 'object') return '{…}';
  return String(value);
}

function childSchema(schema: TemplateSchema, parts: string[]): TemplateSchema | undefined {
  let s: TemplateSchema | undefined = schema;
  for (const part of parts) {
    if (!s) return undefined;
    if (s.kind === 'object') s = s.fields.get(part);
    else if (s.kind === 'array' && /^\d+$/.test(part)) s = s.element;
    else return undefined;
  }
  return s;
}

/**
 * Completion inside `{{ … }}`: variables of the prompt context (persona and question fields, with the selected
 * persona's values), helper names (block helpers after `{{#`), and partial names after `{{>`.
 */
export class TemplateCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly selection: SelectionService) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const expr = expressionAtCursor(doc.lineAt(position.line).text.slice(0, position.character));
    if (!expr) return undefined;
    const segment = expr.path.slice(expr.path.lastIndexOf('.') + 1);
    const range = new vscode.Range(position.translate(0, -segment.length), position);
    if (expr.sigil === '>') {
      const partials = await readPartials(doc.uri);
      return Object.entries(partials).map(([name, source]) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.File);
        item.detail = 'partial';
        item.documentation = new vscode.MarkdownString().appendCodeblock(source.slice(0, 400), 'handlebars');
        item.range = range;
        return item;
      });
    }
    const selection = await this.selection.ready();
    const { context, sample } = templateContext(doc.uri.path, selection);
    const items: vscode.CompletionItem[] = [];
    const dot = expr.path.lastIndexOf('.');
    const parentPath = dot >= 0 ? expr.path.slice(0, dot).replace(/^@root\.?/, '').replace(/^this\.?/, '') : '';
    const parent = childSchema(templateSchema(context), parentPath ? parentPath.split('.') : []);
    if (parent?.kind === 'object') {
      for (const [name, schema] of parent.fields) {
        const full = parentPath ? `${parentPath}.${name}` : name;
        const item = new vscode.CompletionItem(name, schema.kind === 'object' ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Field);
        const value = lookupPath(context, full);
        item.detail = schema.kind === 'object' ? 'object' : `${previewValue(value)}`;
        item.documentation = new vscode.MarkdownString(`\`${full}\` — ${sample ? 'example value' : `value for ${context.persona.id}, ${context.question.id} (variant ${context.question.variant + 1})`}: \`${previewValue(value)}\``);
        item.range = range;
        item.sortText = `0${name}`;
        items.push(item);
      }
    }
    if (dot < 0 && (expr.head || expr.sigil === '')) {
      const helpers = [...PROMPT_HELPERS, ...BUILTIN_HELPERS].filter((h) => (expr.sigil === '#' ? h.kind === 'block' : expr.sigil === '/' ? h.kind === 'block' : true));
      for (const h of helpers) {
        const item = new vscode.CompletionItem(h.name, vscode.CompletionItemKind.Function);
        item.detail = h.signature;
        item.documentation = new vscode.MarkdownString(h.description);
        item.range = range;
        item.sortText = `1${h.name}`;
        items.push(item);
      }
    }
    return items;
  }
}
