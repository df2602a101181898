import Handlebars from 'handlebars';
import type { Diagnostic } from '../model';
import { BUILTIN_HELPERS, PROMPT_HELPERS } from './promptHelpers';
import { SAMPLE_CONTEXT } from './sampleContext';
import { readFrontMatter, templateBody } from './templateFiles';
import { templateSchema } from './templateSchema';
import type { TemplateSchema } from './templateSchema';

export interface DiagnoseTemplateOptions {
  /** Names of the partials available to `{{> name}}`; default none. */
  partials?: readonly string[];
  /** A context whose shape defines the known variables; default SAMPLE_CONTEXT (all standard variables). */
  context?: unknown;
  /** Extra helper names registered elsewhere. */
  helpers?: readonly string[];
}

const KNOWN_HELPERS = new Set([...BUILTIN_HELPERS, ...PROMPT_HELPERS].map((h) => h.name).concat(['log', 'blockHelperMissing', 'helperMissing']));
const MESSAGE_BLOCKS = new Set(['system', 'user', 'assistant']);

interface Scope {
  schema: TemplateSchema;
  params: Map<string, TemplateSchema>;
}

type Node = hbs.AST.Node & { loc?: hbs.AST.SourceLocation };

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function suggest(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const dist = levenshtein(name.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best ? `; did you mean "${best}"?` : '';
}

/** Location of a Handlebars parse error: the lexer's last token, else the "line N" of the message. */
function parseErrorLocation(error: Error): { line: number; column: number } {
  const e = error as Error & { lineNumber?: number; column?: number };
  if (typeof e.lineNumber === 'number') return { line: e.lineNumber, column: (e.column ?? 0) + 1 };
  const lexer = (Handlebars as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer;
  const loc = lexer?.yylloc;
  if (loc) return { line: loc.first_line, column: loc.first_column + 1 };
  const m = /line (\d+)/.exec(error.message);
  return { line: m ? Number(m[1]) : 1, column: 1 };
}

const TOKEN_TEXT: Record<string, string> = {
  CLOSE: '"}}"', CLOSE_UNESCAPED: '"}}}"', CLOSE_RAW_BLOCK: '"}}}}"', OPEN_SEXPR: '"("', CLOSE_SEXPR: '")"', ID: 'a name',
  STRING: 'a string', NUMBER: 'a number', BOOLEAN: 'true/false', DATA: 'an @variable', EQUALS: '"="', SEP: '"."',
  OPEN_BLOCK_PARAMS: '"as |…|"', OPEN: '"{{"', OPEN_ENDBLOCK: '"{{/…}}"', CONTENT: 'text', EOF: 'end of template', INVALID: 'character',
};

/** A short message from Handlebars' multi-line parse error ("Expecting 'CLOSE', 'ID', …, got 'INVALID'"). */
function parseErrorMessage(error: Error): string {
  const lines = error.message.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  if (expecting) {
    const got = /got '([^']+)'/.exec(expecting)?.[1] ?? 'INVALID';
    const tokens = [...expecting.replace(/, got .*$/, '').matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    const wanted = [...new Set(tokens.map((t) => TOKEN_TEXT[t]).filter(Boolean))];
    const close = tokens.includes('CLOSE') ? ' (is a "}}" missing?)' : '';
    return `syntax error: unexpected ${TOKEN_TEXT[got] ?? got}${close}; expected ${wanted.slice(0, 4).join(', ')}${wanted.length > 4 ? ', …' : ''}`;
  }
  return `syntax error: ${lines[0].replace(/ - \d+:\d+$/, '')}`;
}

/**
 * Static checks of a prompt template, as typed diagnostics with 1-based line/column: syntax errors, unknown
 * variables (strict mode: every variable must exist in the context), unknown helpers and partials, and misuse of
 * the message blocks ({{#system}}, {{#user}}, {{#assistant}}).
 */
export function diagnoseTemplate(source: string, file: string, options: DiagnoseTemplateOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...readFrontMatter(source, file).diagnostics];
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(templateBody(source));
  } catch (e) {
    const loc = parseErrorLocation(e as Error);
    return [...diagnostics, { file, ...loc, severity: 'error', code: 'template.syntax', message: parseErrorMessage(e as Error) }];
  }
  const partials = new Set(options.partials ?? []);
  const helpers = new Set([...KNOWN_HELPERS, ...(options.helpers ?? [])]);
  const rootSchema = templateSchema(options.context ?? SAMPLE_CONTEXT);

  const report = (node: Node, severity: Diagnostic['severity'], code: string, message: string, field?: string) => {
    const loc = node.loc;
    diagnostics.push({
      file, severity, code, message, ...(field ? { field } : {}),
      line: loc?.start.line ?? 1, column: (loc?.start.column ?? 0) + 1,
      ...(loc ? { endLine: loc.end.line, endColumn: loc.end.column + 1 } : {}),
    });
  };

  /** Resolves a path in the scopes; reports unknown variables; returns the schema it reaches. */
  const resolve = (path: hbs.AST.PathExpression, scopes: Scope[]): TemplateSchema => {
    if (path.data) {
      if (path.parts[0] !== 'root') return { kind: 'any' }; // @index, @key, @first, @last
      return walk(path, path.parts.slice(1), rootSchema, '@root');
    }
    const scope = scopes[Math.max(0, scopes.length - 1 - path.depth)];
    if (path.depth === 0 && path.parts.length > 0 && !path.original.startsWith('this')) {
      for (let i = scopes.length - 1; i >= 0; i--) {
        const bound = scopes[i].params.get(path.parts[0]);
        if (bound) return walk(path, path.parts.slice(1), bound, path.parts[0]);
      }
    }
    return walk(path, path.parts, scope.schema, '');
  };

  const walk = (path: hbs.AST.PathExpression, parts: string[], start: TemplateSchema, prefix: string): TemplateSchema => {
    let schema = start;
    let reached = prefix;
    for (const part of parts) {
      const here = reached ? `${reached}.${part}` : part;
      if (schema.kind === 'any') return schema;
      if (schema.kind === 'object') {
        const next = schema.fields.get(part);
        if (!next) {
          report(path, 'error', 'template.unknown-variable', `unknown variable "${path.original}"${suggest(part, schema.fields.keys())}`, path.original);
          return { kind: 'any' };
        }
        schema = next;
      } else if (schema.kind === 'array') {
        if (part === 'length') schema = { kind: 'leaf', type: 'number' };
        else if (/^\d+$/.test(part)) schema = schema.element;
        else {
          report(path, 'error', 'template.unknown-variable', `unknown variable "${path.original}": ${reached} is a list`, path.original);
          return { kind: 'any' };
        }
      } else {
        report(path, 'error', 'template.unknown-variable', `unknown variable "${path.original}": ${reached || 'this'} is a ${schema.type}, it has no field "${part}"`, path.original);
        return { kind: 'any' };
      }
      reached = here;
    }
    return schema;
  };

  const expression = (node: hbs.AST.Expression, scopes: Scope[]): TemplateSchema => {
    if (node.type === 'PathExpression') return resolve(node as hbs.AST.PathExpression, scopes);
    if (node.type === 'SubExpression') {
      call(node as hbs.AST.SubExpression, scopes, false);
      return { kind: 'any' };
    }
    return { kind: 'leaf', type: 'literal' };
  };

  /** A mustache, sub-expression or block head: a helper call or a variable. */
  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, scopes: Scope[], isBlock: boolean): TemplateSchema | 'helper' => {
    const path = node.path;
    const params = node.params ?? [];
    const pairs = node.hash?.pairs ?? [];
    for (const p of params) expression(p, scopes);
    for (const pair of pairs) expression(pair.value, scopes);
    if (path.type !== 'PathExpression') return 'helper';
    const p = path as hbs.AST.PathExpression;
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && !p.original.startsWith('this');
    const name = p.original;
    if (simple && helpers.has(name)) return 'helper';
    if (params.length > 0 || pairs.length > 0 || node.type === 'SubExpression') {
      const hint = simple && isVariable(p, scopes) ? `: "${name}" is a variable, not a helper, and takes no arguments` : suggest(name, helpers);
      report(p, 'error', 'template.unknown-helper', `unknown helper "${name}"${hint}`, name);
      return 'helper';
    }
    if (isBlock && simple && !isVariable(p, scopes)) {
      report(p, 'error', 'template.unknown-helper', `unknown block helper "${name}"${suggest(name, helpers)}`, name);
      return 'helper';
    }
    return resolve(p, scopes);
  };

  const isVariable = (p: hbs.AST.PathExpression, scopes: Scope[]) => {
    const s = scopes[scopes.length - 1];
    return s.params.has(p.parts[0]) || s.schema.kind === 'any' || (s.schema.kind === 'object' && s.schema.fields.has(p.parts[0]));
  };

  let messageDepth = 0;
  let usesMessages = false;
  const topLevelText: hbs.AST.ContentStatement[] = [];

  const visit = (body: hbs.AST.Statement[], scopes: Scope[], topLevel: boolean) => {
    for (const stmt of body) {
      switch (stmt.type) {
        case 'ContentStatement':
          if (topLevel && (stmt as hbs.AST.ContentStatement).value.trim()) topLevelText.push(stmt as hbs.AST.ContentStatement);
          break;
        case 'MustacheStatement': {
          const m = stmt as hbs.AST.MustacheStatement;
          const name = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : '';
          if (MESSAGE_BLOCKS.has(name)) report(m, 'error', 'template.message-block', `use {{#${name}}}…{{/${name}}} as a block`, name);
          const result = call(m, scopes, false);
          if (topLevel && result !== 'helper') topLevelText.push(m as unknown as hbs.AST.ContentStatement);
          if (result !== 'helper' && (result.kind === 'object' || result.kind === 'array')) {
            report(m.path, 'warning', 'template.object-value', `"${name}" is ${result.kind === 'array' ? 'a list' : 'an object'}; it renders as [object Object] or a comma list — use a field or a helper such as {{optionList}}`, name);
          }
          break;
        }
        case 'BlockStatement': {
          const b = stmt as hbs.AST.BlockStatement;
          const name = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
          if (MESSAGE_BLOCKS.has(name)) {
            usesMessages = true;
            if (messageDepth > 0 || !topLevel) report(b, 'error', 'template.message-block', `{{#${name}}} must be at the top level of the template, not nested`, name);
            messageDepth++;
            visit(b.program.body, scopes, false);
            if (b.inverse) visit(b.inverse.body, scopes, false);
            messageDepth--;
            break;
          }
          const head = call(b, scopes, true);
          let inner: TemplateSchema = scopes[scopes.length - 1].schema;
          const blockParams = b.program.blockParams ?? [];
          const bound = new Map<string, TemplateSchema>();
          if (name === 'each' && b.params[0]) {
            const target = b.params[0].type === 'PathExpression' ? resolveQuiet(b.params[0] as hbs.AST.PathExpression, scopes) : { kind: 'any' as const };
            inner = target.kind === 'array' ? target.element : { kind: 'any' };
            if (blockParams[0]) bound.set(blockParams[0], inner);
            if (blockParams[1]) bound.set(blockParams[1], { kind: 'leaf', type: 'number' });
          } else if (name === 'with' && b.params[0]) {
            inner = b.params[0].type === 'PathExpression' ? resolveQuiet(b.params[0] as hbs.AST.PathExpression, scopes) : { kind: 'any' };
            if (blockParams[0]) bound.set(blockParams[0], inner);
          } else if (head !== 'helper') {
            // A section on a variable: {{#persona}}…{{/persona}} iterates lists and enters objects.
            inner = head.kind === 'array' ? head.element : head;
          } else if (name !== 'if' && name !== 'unless') {
            inner = { kind: 'any' }; // Unknown context for other block helpers.
          }
          visit(b.program.body, [...scopes, { schema: inner, params: bound }], false);
          if (b.inverse) visit(b.inverse.body, scopes, false);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement': {
          const ps = stmt as hbs.AST.PartialStatement;
          // The types say PathExpression | SubExpression; `{{> "name"}}` gives a StringLiteral at run time.
          const nameNode = ps.name as hbs.AST.Expression;
          if (nameNode.type === 'PathExpression' || nameNode.type === 'StringLiteral') {
            const partialName = nameNode.type === 'PathExpression' ? (nameNode as hbs.AST.PathExpression).original : (nameNode as hbs.AST.StringLiteral).value;
            if (!partials.has(partialName)) {
              const known = [...partials];
              report(nameNode as Node, 'error', 'template.unknown-partial', `unknown partial "${partialName}"${known.length ? suggest(partialName, known) || ` (available: ${known.join(', ')})` : ' (put partials in prompts/partials/<name>.hbs)'}`, partialName);
            }
          }
          for (const p of ps.params ?? []) expression(p, scopes);
          for (const pair of ps.hash?.pairs ?? []) expression(pair.value, scopes);
          if (stmt.type === 'PartialBlockStatement') visit((stmt as hbs.AST.PartialBlockStatement).program.body, scopes, false);
          if (topLevel) topLevelText.push(stmt as unknown as hbs.AST.ContentStatement);
          break;
        }
        default:
          break;
      }
    }
  };

  const resolveQuiet = (path: hbs.AST.PathExpression, scopes: Scope[]): TemplateSchema => {
    const before = diagnostics.length;
    const schema = resolve(path, scopes);
    diagnostics.length = before; // Already reported by call(); only the shape is wanted here.
    return schema;
  };

  visit(program.body, [{ schema: rootSchema, params: new Map() }], true);
  if (usesMessages) {
    for (const node of topLevelText) {
      report(node, 'warning', 'template.outside-message', 'text outside {{#system}}/{{#user}}/{{#assistant}} blocks is not sent to the model');
    }
  }
  return diagnostics;
}
