import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/model';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A core diagnostic (1-based line/column) as a Problems entry; without an end it spans to the end of the word/line. */
export function toVscodeDiagnostic(d: Diagnostic, doc: vscode.TextDocument): vscode.Diagnostic {
  const line = Math.min(Math.max(d.line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const start = new vscode.Position(line, Math.max(d.column - 1, 0));
  let end: vscode.Position;
  if (d.endLine !== undefined && d.endColumn !== undefined) end = new vscode.Position(d.endLine - 1, d.endColumn - 1);
  else end = doc.getWordRangeAtPosition(start, /[^\s,;:{}"]+/)?.end ?? doc.lineAt(line).range.end;
  const out = new vscode.Diagnostic(new vscode.Range(start, end.isBefore(start) ? start : end), d.message, SEVERITY[d.severity]);
  out.source = 'Alignment Studio';
  out.code = d.code;
  return out;
}
