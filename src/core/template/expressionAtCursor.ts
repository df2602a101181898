/** What the cursor is in, inside a template line: an open `{{ … ` expression, and the path being typed. */
export interface ExpressionAtCursor {
  /** `>` for a partial, `#` for a block opener, `/` for a closer, '' otherwise. */
  sigil: '' | '>' | '#' | '/';
  /** The dotted path being typed, up to the cursor (`persona.re`). */
  path: string;
  /** True when the path is the first word after `{{` (helpers are possible there). */
  head: boolean;
}

/** The Handlebars expression the cursor is in on this line (text before the cursor), or undefined outside `{{ }}`. */
export function expressionAtCursor(lineBefore: string): ExpressionAtCursor | undefined {
  const open = lineBefore.lastIndexOf('{{');
  if (open < 0 || lineBefore.indexOf('}}', open) >= 0) return undefined;
  let inner = lineBefore.slice(open + 2).replace(/^\{/, '').replace(/^~/, '');
  let sigil: ExpressionAtCursor['sigil'] = '';
  const m = /^\s*([>#/^])/.exec(inner);
  if (m) {
    sigil = m[1] === '^' ? '#' : (m[1] as ExpressionAtCursor['sigil']);
    inner = inner.slice(m[0].length);
  }
  if (/^!/.test(inner)) return undefined; // a comment
  const word = /[@\w.\-[\]]*$/.exec(inner)?.[0] ?? '';
  const before = inner.slice(0, inner.length - word.length);
  return { sigil, path: word, head: before.trim() === '' };
}
