import * as vscode from 'vscode';
import * as path from 'node:path';
import { isTemplateFile, partialFiles, partialsFolderOf } from '../../core/template/templateFiles';

/** Documents the template features apply to: Handlebars files (by language id or extension). */
export const TEMPLATE_SELECTOR: vscode.DocumentSelector = [
  { language: 'handlebars' },
  { pattern: '**/*.hbs' },
  { pattern: '**/*.handlebars' },
];

/** True for a prompt template document. */
export function isTemplate(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'handlebars' || isTemplateFile(doc.uri.path);
}

/** The partials folder of a template: `<dir>/partials`, or the template's own folder when it is a partial. */
export function partialsFolder(template: vscode.Uri): vscode.Uri {
  return template.with({ path: partialsFolderOf(template.path, path.posix) });
}

/** Partial name → source for a template (open documents win over files on disk). */
export async function readPartials(template: vscode.Uri): Promise<Record<string, string>> {
  const folder = partialsFolder(template);
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const { file, name } of partialFiles(entries.filter(([, type]) => type === vscode.FileType.File).map(([n]) => n))) {
    const uri = vscode.Uri.joinPath(folder, file);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    out[name] = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  }
  return out;
}
