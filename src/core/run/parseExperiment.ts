import { isNode, parseDocument, type Document } from 'yaml';
import { InputError, lineColumnAt } from '../errors';
import type { ExperimentSpec, ModelSpec } from '../experiment';
import type { Diagnostic } from '../model';
import { parseStopRules } from '../stop/parseStopRules';

export interface ParsedExperiment {
  spec: ExperimentSpec;
  /** Unknown fields and other non-fatal findings. */
  warnings: Diagnostic[];
  /** Line and column of a field of the file (its nearest existing ancestor), for errors found later (e.g. a path outside the workspace). */
  locate(path: (string | number)[]): { line: number; column: number };
}

type Path = (string | number)[];

const TOP_FIELDS = ['name', 'description', 'survey', 'personas', 'personaFilter', 'questions', 'variants', 'samples', 'models', 'conditions', 'scoring', '$schema'];
const MODEL_FIELDS = ['id', 'kind', 'baseURL', 'model', 'temperature', 'maxTokens', 'useN', 'systemPrompt', 'pricePer1kInput', 'pricePer1kOutput', 'batchDiscount',
  'concurrency', 'requestsPerMinute', 'tokensPerMinute', 'timeoutMs', 'maxRetries', 'completions', 'apiKeyEnv', 'label', 'description'];
const CONDITION_FIELDS = ['id', 'label', 'template', 'lang', 'model', 'reasoning'];
const SCORING_FIELDS = ['profile', 'tieBreak', 'seed', 'sameAnswerFilter', 'twinCountry', 'compare', 'stop'];
const PROFILES = ['paper', 'strict'];
const TIE_BREAKS = ['expected', 'first', 'random'];

/**
 * Parses and validates an experiment file (`*.experiment.json`; JSON, or YAML for hand-written ones). Every
 * error is an InputError naming the file, line, column and field. Conditions may use models defined in the
 * file or in settings (`settingsModels`, e.g. `alignmentStudio.models`); the returned spec lists every model
 * its conditions use, so a run's manifest is self-contained.
 */
export function parseExperiment(text: string, file: string, settingsModels: readonly ModelSpec[] = []): ParsedExperiment {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, column } = lineColumnAt(text, e.pos[0]);
    throw new InputError(`invalid experiment file: ${e.message.split('\n')[0]}`, { file, line, column });
  }
  const v: Validator = new Validator(text, file, doc);
  const root = doc.toJS() as unknown;
  if (!isObject(root)) v.fail([], 'the experiment must be an object');
  const r = root as Record<string, unknown>;
  v.unknown([], r, TOP_FIELDS);
  const spec: ExperimentSpec = {
    name: v.string(['name'], r.name),
    survey: v.string(['survey'], r.survey),
    personas: v.string(['personas'], r.personas),
    samples: v.integer(['samples'], r.samples ?? 1, 1, 1000),
    models: [],
    conditions: [],
  };
  if (r.description !== undefined) spec.description = v.string(['description'], r.description);
  if (r.questions !== undefined && r.questions !== 'all') {
    spec.questions = v.array(['questions'], r.questions).map((q, i) => v.string(['questions', i], q));
  } else if (r.questions === 'all') spec.questions = 'all';
  if (r.variants !== undefined) spec.variants = v.array(['variants'], r.variants).map((x, i) => v.integer(['variants', i], x, 0, 99));
  if (r.personaFilter !== undefined) {
    const f = v.object(['personaFilter'], r.personaFilter);
    v.unknown(['personaFilter'], f, ['countries', 'ids', 'limit']);
    spec.personaFilter = {};
    if (f.countries !== undefined) spec.personaFilter.countries = v.array(['personaFilter', 'countries'], f.countries).map((c, i) => v.string(['personaFilter', 'countries', i], c).toLowerCase());
    if (f.ids !== undefined) spec.personaFilter.ids = v.array(['personaFilter', 'ids'], f.ids).map((c, i) => v.string(['personaFilter', 'ids', i], c));
    if (f.limit !== undefined) spec.personaFilter.limit = v.integer(['personaFilter', 'limit'], f.limit, 1, 10_000_000);
  }

  const fileModels = r.models === undefined ? [] : v.array(['models'], r.models).map((m, i) => parseModel(v, ['models', i], m));
  const seen = new Set<string>();
  fileModels.forEach((m, i) => {
    if (seen.has(m.id)) v.fail(['models', i, 'id'], `duplicate model id "${m.id}"`, 'id');
    seen.add(m.id);
  });
  const conditions = v.array(['conditions'], r.conditions);
  if (conditions.length === 0) v.fail(['conditions'], 'at least one condition is needed', 'conditions');
  const ids = new Set<string>();
  const used = new Map<string, ModelSpec>();
  conditions.forEach((c, i) => {
    const p: Path = ['conditions', i];
    const o = v.object(p, c);
    v.unknown(p, o, CONDITION_FIELDS);
    const cond = { id: v.string([...p, 'id'], o.id), template: v.string([...p, 'template'], o.template), lang: v.string([...p, 'lang'], o.lang), model: v.string([...p, 'model'], o.model) } as ExperimentSpec['conditions'][number];
    if (o.label !== undefined) cond.label = v.string([...p, 'label'], o.label);
    if (o.reasoning !== undefined) cond.reasoning = v.boolean([...p, 'reasoning'], o.reasoning);
    if (ids.has(cond.id)) v.fail([...p, 'id'], `duplicate condition id "${cond.id}"`, 'id');
    ids.add(cond.id);
    const model = fileModels.find((m) => m.id === cond.model) ?? settingsModels.find((m) => m.id === cond.model);
    if (!model) {
      const known = [...fileModels, ...settingsModels].map((m) => m.id);
      v.fail([...p, 'model'], `unknown model "${cond.model}"${known.length ? ` (known: ${known.join(', ')})` : ' (define it under "models" or in the alignmentStudio.models setting)'}`, 'model');
    }
    used.set(model.id, model);
    spec.conditions.push(cond);
  });
  // The file's own models first (in file order, even unused ones), then the settings models the conditions use.
  spec.models = [...fileModels, ...[...used.values()].filter((m) => !fileModels.includes(m))];
  if (r.scoring !== undefined) spec.scoring = parseScoring(v, r.scoring, spec.conditions.map((c) => c.id));
  return { spec, warnings: v.warnings, locate: (p) => v.where(p) };
}

/**
 * Validates the `scoring` block here, with the rest of the file, so a bad profile or an unknown compared condition
 * stops the run before a run folder exists (scoring would otherwise fail after the run, without a location).
 */
function parseScoring(v: Validator, value: unknown, conditionIds: readonly string[]): NonNullable<ExperimentSpec['scoring']> {
  const p: Path = ['scoring'];
  const o = v.object(p, value);
  v.unknown(p, o, SCORING_FIELDS);
  const s: NonNullable<ExperimentSpec['scoring']> = {};
  const oneOf = (key: string, allowed: readonly string[]): string => {
    const x = o[key];
    if (typeof x !== 'string' || !allowed.includes(x)) v.fail([...p, key], `scoring.${key} must be ${allowed.map((a) => `"${a}"`).join(', ').replace(/, ([^,]*)$/, ' or $1')} (got ${JSON.stringify(x)})`, `scoring.${key}`);
    return x;
  };
  if (o.profile !== undefined) s.profile = oneOf('profile', PROFILES) as typeof s.profile;
  if (o.tieBreak !== undefined) s.tieBreak = oneOf('tieBreak', TIE_BREAKS) as typeof s.tieBreak;
  if (o.seed !== undefined) s.seed = v.integer([...p, 'seed'], o.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (o.sameAnswerFilter !== undefined) s.sameAnswerFilter = v.boolean([...p, 'sameAnswerFilter'], o.sameAnswerFilter);
  if (o.twinCountry !== undefined) s.twinCountry = v.string([...p, 'twinCountry'], o.twinCountry);
  if (o.compare !== undefined) {
    const list = v.array([...p, 'compare'], o.compare);
    if (list.length !== 2) v.fail([...p, 'compare'], `scoring.compare must be two condition ids [a, b] (the delta is b − a), got ${list.length}`, 'scoring.compare');
    const ids = list.map((x, i) => {
      const id = v.string([...p, 'compare', i], x);
      if (!conditionIds.includes(id)) v.fail([...p, 'compare', i], `scoring.compare: no condition "${id}" (conditions: ${conditionIds.join(', ')})`, 'scoring.compare');
      return id;
    });
    if (ids[0] === ids[1]) v.fail([...p, 'compare', 1], `scoring.compare: compare two different conditions, not "${ids[0]}" with itself`, 'scoring.compare');
    s.compare = [ids[0]!, ids[1]!];
  }
  if (o.stop !== undefined) {
    s.stop = parseStopRules(o.stop, { fail: (q, m, f) => v.fail([...p, 'stop', ...q], m, f), unknown: (q, x, k) => v.unknown([...p, 'stop', ...q], x, k) });
  }
  // In the file's key order: a run's manifest holds this spec and resume compares it as JSON.
  const ordered: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (k in s) ordered[k] = s[k as keyof typeof s];
  // The same-answer filter (on in both profiles unless switched off) needs the twins' country; without it the filter
  // silently does nothing, so say so where it can be fixed.
  if (s.sameAnswerFilter !== false && s.twinCountry === undefined && o.sameAnswerFilter === true) {
    v.warn([...p, 'sameAnswerFilter'], 'experiment.scoring', 'scoring.sameAnswerFilter needs "twinCountry" (the country of the twin respondents, e.g. "united states"); without it no item is filtered', 'scoring.twinCountry');
  }
  return ordered as typeof s;
}

/** Validates one model spec (from an experiment file or from settings). */
function parseModel(v: Validator, p: Path, value: unknown): ModelSpec {
  const o = v.object(p, value);
  v.unknown(p, o, MODEL_FIELDS);
  const kind = o.kind ?? 'openai';
  if (kind !== 'openai' && kind !== 'replay') v.fail([...p, 'kind'], `kind must be "openai" or "replay", not ${JSON.stringify(kind)}`, 'kind');
  const m: ModelSpec = { id: v.string([...p, 'id'], o.id), kind: kind as ModelSpec['kind'] };
  const opt = <K extends keyof ModelSpec>(key: K, read: (path: Path, x: unknown) => ModelSpec[K]): void => {
    if (o[key] !== undefined) m[key] = read([...p, key], o[key]);
  };
  opt('baseURL', (path, x) => {
    const s = v.string(path, x);
    try {
      const u = new URL(s);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      v.fail(path, `baseURL must be an http(s) URL, e.g. https://api.openai.com/v1 (got ${JSON.stringify(s)})`, 'baseURL');
    }
    return s;
  });
  opt('model', (path, x) => v.string(path, x));
  opt('temperature', (path, x) => v.number(path, x, 0, 2));
  opt('maxTokens', (path, x) => v.integer(path, x, 1, 1_000_000));
  opt('useN', (path, x) => v.boolean(path, x));
  opt('systemPrompt', (path, x) => v.string(path, x, true));
  opt('pricePer1kInput', (path, x) => v.number(path, x, 0, 1e6));
  opt('pricePer1kOutput', (path, x) => v.number(path, x, 0, 1e6));
  opt('batchDiscount', (path, x) => v.number(path, x, 0, 1));
  opt('concurrency', (path, x) => v.integer(path, x, 1, 4096));
  opt('requestsPerMinute', (path, x) => v.number(path, x, 0.001, 1e9));
  opt('tokensPerMinute', (path, x) => v.number(path, x, 1, 1e12));
  opt('timeoutMs', (path, x) => v.integer(path, x, 1, 3_600_000));
  opt('maxRetries', (path, x) => v.integer(path, x, 0, 100));
  opt('completions', (path, x) => v.string(path, x));
  opt('apiKeyEnv', (path, x) => {
    const s = v.string(path, x);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) v.fail(path, `apiKeyEnv must be an environment variable name, not ${JSON.stringify(s)}`, 'apiKeyEnv');
    // A workspace file never chooses which secret is sent where (docs/security.md): the user maps keys to origins.
    v.warn(path, 'experiment.ignored-api-key-env', `apiKeyEnv is ignored: an experiment file cannot choose which secret is sent; map the endpoint's origin to a variable with --key <origin>=${s} or in ~/.config/alignment-studio/keys.json`, 'apiKeyEnv');
    return s;
  });
  if (m.kind === 'openai' && !m.baseURL) v.fail(p, `model "${m.id}" needs a baseURL (any OpenAI-compatible endpoint)`, 'baseURL');
  if (m.kind === 'replay' && !m.completions) v.fail(p, `replay model "${m.id}" needs "completions": a folder of recorded completions`, 'completions');
  return m;
}

/**
 * Validates model specs from settings (`alignmentStudio.models`), reporting errors against `file`
 * (e.g. `settings.json`) as if the array were that file's content.
 */
export function parseModelList(value: unknown, file: string): ModelSpec[] {
  const text = JSON.stringify(value ?? [], null, 2);
  const v: Validator = new Validator(text, file, parseDocument(text));
  return v.array([], value ?? []).map((m, i) => parseModel(v, [i], m));
}

class Validator {
  readonly warnings: Diagnostic[] = [];
  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly doc: Document,
  ) {}

  /** Where a path is in the text: the node itself, else its nearest existing ancestor. */
  where(path: Path): { line: number; column: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineColumnAt(this.text, node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  fail(path: Path, message: string, field?: string): never {
    const { line, column } = this.where(path);
    throw new InputError(message, { file: this.file, line, column }, field ?? fieldName(path));
  }

  warn(path: Path, code: string, message: string, field: string): void {
    this.warnings.push({ file: this.file, ...this.where(path), severity: 'warning', code, field, message });
  }

  unknown(path: Path, o: Record<string, unknown>, known: string[]): void {
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const { line, column } = this.where([...path, k]);
      this.warnings.push({ file: this.file, line, column, severity: 'warning', code: 'experiment.unknown-field', field: k, message: `unknown field "${k}" (ignored)` });
    }
  }

  string(path: Path, x: unknown, allowEmpty = false): string {
    if (x === undefined) this.fail(path.slice(0, -1), `missing required field "${fieldName(path)}"`, fieldName(path));
    if (typeof x !== 'string' || (!allowEmpty && x.trim() === '')) this.fail(path, `"${fieldName(path)}" must be a non-empty string`);
    return x;
  }

  number(path: Path, x: unknown, min: number, max: number): number {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) this.fail(path, `"${fieldName(path)}" must be a number from ${min} to ${max} (got ${JSON.stringify(x)})`);
    return x;
  }

  integer(path: Path, x: unknown, min: number, max: number): number {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) this.fail(path, `"${fieldName(path)}" must be a whole number from ${min} to ${max} (got ${JSON.stringify(x)})`);
    return x;
  }

  boolean(path: Path, x: unknown): boolean {
    if (typeof x !== 'boolean') this.fail(path, `"${fieldName(path)}" must be true or false`);
    return x;
  }

  array(path: Path, x: unknown): unknown[] {
    if (x === undefined) this.fail(path.slice(0, -1), `missing required field "${fieldName(path)}"`, fieldName(path));
    if (!Array.isArray(x)) this.fail(path, `"${fieldName(path)}" must be a list`);
    return x;
  }

  object(path: Path, x: unknown): Record<string, unknown> {
    if (!isObject(x)) this.fail(path, `"${fieldName(path)}" must be an object`);
    return x as Record<string, unknown>;
  }
}

function fieldName(path: Path): string {
  const named = [...path].reverse().find((p) => typeof p === 'string');
  return typeof named === 'string' ? named : 'experiment';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
