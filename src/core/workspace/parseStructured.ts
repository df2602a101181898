import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { InputError, lineColumnAt } from '../errors';
import type { SourceLocation } from '../model';

/** A parsed JSON or YAML file that can point back at the text of any value inside it. */
export interface StructuredFile {
  file: string;
  value: unknown;
  /** Where the value at `path` (keys / indices) starts; the nearest existing ancestor when it does not exist. */
  locate(path: readonly (string | number)[]): SourceLocation;
}

/**
 * Parses a workspace data file. `.json` files follow JSON syntax (errors say where); anything else is YAML.
 * Both are then read through the YAML CST so validation errors can name a line and column.
 */
export function parseStructured(text: string, file: string): StructuredFile {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const isJson = /\.json$/i.test(file);
  if (isJson) {
    try {
      JSON.parse(source);
    } catch (e) {
      const message = (e as Error).message;
      const at = /position (\d+)/.exec(message);
      const offset = at ? Number(at[1]) : source.length;
      throw new InputError(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { file, ...lineColumnAt(source, offset) });
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new InputError(`invalid ${isJson ? 'JSON' : 'YAML'}: ${err.message.split('\n')[0]}`, { file, ...lineColumnAt(source, err.pos[0]) });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  const locate = (path: readonly (string | number)[]): SourceLocation => {
    let node: YamlNode | null = doc.contents as YamlNode | null;
    let offset = node?.range?.[0] ?? 0;
    for (const key of path) {
      let next: YamlNode | null = null;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        if (pair) {
          // Point at a scalar value, but at the key of a list/map (a block one starts on the next line).
          const keyNode = pair.key as YamlNode;
          offset = keyNode.range?.[0] ?? offset;
          next = (pair.value as YamlNode | null) ?? null;
          if (next?.range && !isMap(next) && !isSeq(next)) offset = next.range[0];
        }
      } else if (isSeq(node) && typeof key === 'number') {
        next = (node.items[key] as YamlNode | undefined) ?? null;
        if (next?.range) offset = next.range[0];
      }
      if (!next) break;
      node = next;
    }
    return { file, ...lineColumnAt(source, offset) };
  };
  return { file, value, locate };
}
