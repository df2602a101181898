// A run's manifest.json is workspace data like any other (a cloned repository may ship one): before scoring,
// the results panel, the cache or a resume use it, every field they read is checked for its type, so a wrong one
// is an InputError naming the file, line, column and field, never a raw `Cannot read properties of undefined`.
import { isNode, parseDocument } from 'yaml';
import { InputError, lineColumnAt } from '../errors';
import type { RunManifest } from '../experiment';

type Path = (string | number)[];

const STATUSES = ['running', 'completed', 'cancelled', 'failed', 'stopped'];

function fieldOf(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'manifest';
}

/** Checks the parsed manifest `value` (from `text`) and returns it typed; the first wrong field is a located InputError. */
export function validateRunManifest(value: unknown, text: string, file: string): RunManifest {
  const fail = (path: Path, message: string): never => {
    // Located lazily: only a bad manifest pays for the YAML document (JSON is YAML).
    const doc = parseDocument(text, { prettyErrors: false });
    let at = { line: 1, column: 1 };
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        at = lineColumnAt(text, node.range[0]);
        break;
      }
    }
    throw new InputError(`not a valid run manifest: ${message}`, { file, ...at }, fieldOf(path));
  };
  const get = (path: Path): unknown => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), value);
  const object = (path: Path, optional = false): Record<string, unknown> | undefined => {
    const v = get(path);
    if (v === undefined && optional) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `"${fieldOf(path)}" must be an object`);
    return v as Record<string, unknown>;
  };
  const list = (path: Path, optional = false): unknown[] => {
    const v = get(path);
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) fail(path, `"${fieldOf(path)}" must be a list`);
    return v as unknown[];
  };
  const string = (path: Path, optional = false): void => {
    const v = get(path);
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || (!optional && v === '')) fail(path, `"${fieldOf(path)}" must be ${optional ? 'a string' : 'a non-empty string'}`);
  };
  const number = (path: Path, integer: boolean, min = -Infinity): void => {
    const v = get(path);
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) fail(path, `"${fieldOf(path)}" must be a ${integer ? 'whole number' : 'number'}${min > -Infinity ? ` ≥ ${min}` : ''}`);
  };
  const boolean = (path: Path): void => {
    const v = get(path);
    if (v !== undefined && typeof v !== 'boolean') fail(path, `"${fieldOf(path)}" must be true or false`);
  };
  const oneOf = (path: Path, allowed: string[]): void => {
    const v = get(path);
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) fail(path, `"${fieldOf(path)}" must be one of ${allowed.join(', ')}`);
  };
  const strings = (path: Path): void => list(path, true).forEach((_, i) => string([...path, i]));

  object([]);
  string(['runId']);
  string(['experimentFile'], true);
  string(['createdAt'], true);
  string(['finishedAt'], true);
  number(['plannedRequests'], true, 0);
  boolean(['recorded']);
  oneOf(['status'], STATUSES);

  const e = ['experiment'];
  const exp = object(e)!;
  if (!Array.isArray(exp.conditions)) fail([...e, 'conditions'], 'not a run manifest (no "experiment" with "conditions")');
  string([...e, 'name']);
  string([...e, 'description'], true);
  // A culture run (`kind: "culture"`, src/core/culture/) asks cultures, not personas: it names no survey or personas file.
  const culture = get(['kind']) === 'culture';
  string([...e, 'survey'], culture);
  string([...e, 'personas'], culture);
  number([...e, 'samples'], true, 1);
  if (get([...e, 'questions']) !== 'all') strings([...e, 'questions']);
  list([...e, 'variants'], true).forEach((_, i) => number([...e, 'variants', i], true, 0));
  if (object([...e, 'personaFilter'], true)) {
    strings([...e, 'personaFilter', 'countries']);
    strings([...e, 'personaFilter', 'ids']);
    number([...e, 'personaFilter', 'limit'], true, 1);
  }
  list([...e, 'models']).forEach((_, i) => {
    const p = [...e, 'models', i];
    object(p);
    string([...p, 'id']);
    oneOf([...p, 'kind'], ['openai', 'replay']);
    for (const k of ['baseURL', 'model', 'completions', 'systemPrompt']) string([...p, k], true);
  });
  list([...e, 'conditions']).forEach((_, i) => {
    const p = [...e, 'conditions', i];
    object(p);
    for (const k of ['id', 'template', 'lang', 'model']) string([...p, k]);
    string([...p, 'label'], true);
    boolean([...p, 'reasoning']);
  });
  if (object([...e, 'scoring'], true)) {
    const s = [...e, 'scoring'];
    oneOf([...s, 'profile'], ['paper', 'strict']);
    oneOf([...s, 'tieBreak'], ['expected', 'first', 'random']);
    number([...s, 'seed'], true);
    boolean([...s, 'sameAnswerFilter']);
    string([...s, 'twinCountry'], true);
    if (get([...s, 'compare']) !== undefined) {
      const c = list([...s, 'compare']);
      if (c.length !== 2) fail([...s, 'compare'], '"experiment.scoring.compare" must be two condition ids');
      strings([...s, 'compare']);
    }
  }
  return value as RunManifest;
}
