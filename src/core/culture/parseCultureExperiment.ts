import { InputError } from '../errors';
import type { ModelSpec } from '../experiment';
import type { Diagnostic } from '../model';
import { parseModelList } from '../run/parseExperiment';
import { parseStructured, type StructuredFile } from '../workspace/parseStructured';
import type { AugmentationSpec, CultureExperimentSpec, CultureScoringSpec, QuestionSelection, SeedSource } from './cultureExperiment';
import { defaultCulture } from './defaultCultures';
import type { CultureCountry, CultureSpec } from './types';

type Path = (string | number)[];

const TOP = ['$schema', 'kind', 'name', 'description', 'seeds', 'cultures', 'models', 'templates', 'questions', 'variants', 'samples', 'augmentation', 'scoring'];
const CULTURE = ['id', 'name', 'lang', 'countries', 'pooling'];
const AUGMENT = ['file', 'model', 'embeddings', 'k', 'tau', 'checkAnswers', 'checkSamples', 'prompt'];
const SCORING = ['resamples', 'seed', 'level', 'compare'];

export interface ParsedCultureExperiment {
  spec: CultureExperimentSpec;
  warnings: Diagnostic[];
  /** Where a value of the file is (e.g. `['cultures', 0, 'countries', 1]`), for errors found later (a missing file). */
  locate: StructuredFile['locate'];
}

/** Reads values of a parsed file, failing with the file, line, column and field of the offending value. */
class Reader {
  readonly warnings: Diagnostic[] = [];
  constructor(readonly f: StructuredFile) {}

  fail(path: Path, message: string, field?: string): never {
    const named = [...path].reverse().find((p) => typeof p === 'string');
    throw new InputError(message, this.f.locate(path), field ?? (typeof named === 'string' ? named : undefined));
  }

  unknown(path: Path, o: Record<string, unknown>, known: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const at = this.f.locate([...path, k]);
      this.warnings.push({ ...at, severity: 'warning', code: 'culture.unknown-field', field: k, message: `unknown field "${k}" (ignored; known: ${known.filter((x) => x !== '$schema').join(', ')})` });
    }
  }

  object(path: Path, v: unknown): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `"${String(path[path.length - 1] ?? 'experiment')}" must be an object`);
    return v as Record<string, unknown>;
  }

  list(path: Path, v: unknown, nonEmpty = false): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `"${String(path[path.length - 1])}" must be a list`);
    if (nonEmpty && v.length === 0) this.fail(path, `"${String(path[path.length - 1])}" must not be empty`);
    return v;
  }

  string(path: Path, v: unknown): string {
    if (v === undefined) this.fail(path.slice(0, -1), `missing required field "${String(path[path.length - 1])}"`, String(path[path.length - 1]));
    if (typeof v !== 'string' || v.trim() === '') this.fail(path, `"${String(path[path.length - 1])}" must be a non-empty string`);
    return v;
  }

  number(path: Path, v: unknown, min: number, max: number, integer = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      this.fail(path, `"${String(path[path.length - 1])}" must be a ${integer ? 'whole number' : 'number'} from ${min} to ${max} (got ${JSON.stringify(v)})`);
    }
    return v;
  }

  boolean(path: Path, v: unknown): boolean {
    if (typeof v !== 'boolean') this.fail(path, `"${String(path[path.length - 1])}" must be true or false`);
    return v;
  }

  oneOf<T extends string>(path: Path, v: unknown, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(path, `"${String(path[path.length - 1])}" must be ${values.map((x) => JSON.stringify(x)).join(' or ')} (got ${JSON.stringify(v)})`);
    return v as T;
  }
}

/** A model spec validated by the experiment loader's rules, with errors located in this file. */
function model(r: Reader, path: Path, v: unknown, settingsModels: readonly ModelSpec[]): ModelSpec {
  if (typeof v === 'string') {
    const m = settingsModels.find((s) => s.id === v);
    if (!m) r.fail(path, `unknown model "${v}": define it here as an object, or in the alignmentStudio.models setting${settingsModels.length ? ` (known: ${settingsModels.map((s) => s.id).join(', ')})` : ''}`, 'models');
    return m;
  }
  r.object(path, v);
  try {
    return parseModelList([v], r.f.file)[0]!;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Re-locate the loader's error at the value in this file.
    const message = e.message.replace(/^.*?:\d+:\d+: /, '').replace(/ \(field "[^"]*"\)$/, '');
    r.fail(e.field ? [...path, e.field] : path, message, e.field);
  }
}

function culture(r: Reader, path: Path, v: unknown): CultureSpec {
  const o = r.object(path, v);
  r.unknown(path, o, CULTURE);
  const id = r.string([...path, 'id'], o.id);
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(id)) r.fail([...path, 'id'], `culture id "${id}" may only hold letters, digits, "-" and "_"`);
  const known = defaultCulture(id);
  let name: Record<string, string>;
  if (o.name === undefined) {
    if (!known) r.fail(path, `culture "${id}" is not one of CultureLLM's nine: give its "name" (e.g. { "en": "Swahili", "sw": "Kiswahili" }) and "lang"`, 'name');
    name = { ...known.name };
  } else if (typeof o.name === 'string') {
    name = { en: o.name };
  } else {
    const n = r.object([...path, 'name'], o.name);
    name = {};
    for (const [k, x] of Object.entries(n)) name[k] = r.string([...path, 'name', k], x);
    if (!name.en) r.fail([...path, 'name'], `culture "${id}" needs an English name ("en")`, 'name');
  }
  const lang = o.lang === undefined ? known?.lang : r.string([...path, 'lang'], o.lang);
  if (!lang) r.fail(path, `culture "${id}" needs a "lang" (its language code, e.g. "sw")`, 'lang');
  const countries = r.list([...path, 'countries'], o.countries ?? r.fail(path, `culture "${id}" needs "countries": per-country WVS answer files`, 'countries'), true)
    .map((c, i): CultureCountry => {
      const p = [...path, 'countries', i];
      if (typeof c === 'string') return { file: r.string(p, c) };
      const co = r.object(p, c);
      r.unknown(p, co, ['file', 'name']);
      return { file: r.string([...p, 'file'], co.file), ...(co.name !== undefined ? { name: r.string([...p, 'name'], co.name) } : {}) };
    });
  const spec: CultureSpec = { id, name, lang, countries };
  if (o.pooling !== undefined) spec.pooling = r.oneOf([...path, 'pooling'], o.pooling, ['pooled', 'equal'] as const);
  return spec;
}

function seeds(r: Reader, v: unknown): SeedSource {
  if (typeof v === 'string') return r.string(['seeds'], v);
  const o = r.object(['seeds'], v ?? r.fail([], 'missing required field "seeds": a seed survey (*.seeds.json) or { "jsonl", "table" }', 'seeds'));
  r.unknown(['seeds'], o, ['jsonl', 'table', 'translations']);
  return { jsonl: r.string(['seeds', 'jsonl'], o.jsonl), table: r.string(['seeds', 'table'], o.table), ...(o.translations !== undefined ? { translations: r.string(['seeds', 'translations'], o.translations) } : {}) };
}

function questions(r: Reader, v: unknown): QuestionSelection {
  if (v === undefined || v === 'all') return 'all';
  if (Array.isArray(v)) return r.list(['questions'], v, true).map((q, i) => r.string(['questions', i], q));
  const o = r.object(['questions'], v);
  r.unknown(['questions'], o, ['split', 'part']);
  return { split: r.string(['questions', 'split'], o.split), part: r.oneOf(['questions', 'part'], o.part ?? 'heldOut', ['train', 'heldOut'] as const) };
}

function augmentation(r: Reader, v: unknown, settingsModels: readonly ModelSpec[]): AugmentationSpec {
  const p = ['augmentation'];
  const o = r.object(p, v);
  r.unknown(p, o, AUGMENT);
  const a: AugmentationSpec = { file: r.string([...p, 'file'], o.file) };
  if (o.model !== undefined) a.model = model(r, [...p, 'model'], o.model, settingsModels);
  if (o.embeddings !== undefined) {
    const e = r.object([...p, 'embeddings'], o.embeddings);
    r.unknown([...p, 'embeddings'], e, ['baseURL', 'model', 'apiKeyEnv']);
    const baseURL = r.string([...p, 'embeddings', 'baseURL'], e.baseURL);
    if (!/^https?:\/\/[^/]/.test(baseURL)) r.fail([...p, 'embeddings', 'baseURL'], `baseURL must be an http(s) URL, e.g. https://api.openai.com/v1 (got ${JSON.stringify(baseURL)})`);
    a.embeddings = { baseURL, model: r.string([...p, 'embeddings', 'model'], e.model) };
    if (e.apiKeyEnv !== undefined) a.embeddings.apiKeyEnv = r.string([...p, 'embeddings', 'apiKeyEnv'], e.apiKeyEnv);
  }
  if (o.k !== undefined) a.k = r.number([...p, 'k'], o.k, 1, 50, true);
  if (o.tau !== undefined) a.tau = r.number([...p, 'tau'], o.tau, -1, 1);
  if (o.checkAnswers !== undefined) a.checkAnswers = r.boolean([...p, 'checkAnswers'], o.checkAnswers);
  if (o.checkSamples !== undefined) a.checkSamples = r.number([...p, 'checkSamples'], o.checkSamples, 1, 50, true);
  if (o.prompt !== undefined) a.prompt = r.string([...p, 'prompt'], o.prompt);
  return a;
}

function scoring(r: Reader, v: unknown, modelIds: readonly string[]): CultureScoringSpec {
  const o = r.object(['scoring'], v);
  r.unknown(['scoring'], o, SCORING);
  const s: CultureScoringSpec = {};
  if (o.resamples !== undefined) s.resamples = r.number(['scoring', 'resamples'], o.resamples, 0, 100_000, true);
  if (o.seed !== undefined) s.seed = r.number(['scoring', 'seed'], o.seed, 0, 2 ** 32 - 1, true);
  if (o.level !== undefined) s.level = r.number(['scoring', 'level'], o.level, 0.5, 0.999);
  if (o.compare !== undefined) {
    const c = r.list(['scoring', 'compare'], o.compare).map((x, i) => r.string(['scoring', 'compare', i], x));
    if (c.length !== 2 || c[0] === c[1]) r.fail(['scoring', 'compare'], '"compare" takes two different model ids, e.g. ["base", "tuned"]');
    c.forEach((id, i) => { if (!modelIds.includes(id)) r.fail(['scoring', 'compare', i], `"compare" names no model of this experiment: "${id}" (models: ${modelIds.join(', ')})`); });
    s.compare = c as [string, string];
  }
  return s;
}

/**
 * Parses and validates a culture experiment file. Every error is an InputError at the file, line, column and
 * field; unknown fields are warnings. Models are checked by the experiment loader's rules; a model given as a
 * string is looked up in `settingsModels` (the alignmentStudio.models setting).
 */
export function parseCultureExperiment(text: string, file: string, settingsModels: readonly ModelSpec[] = []): ParsedCultureExperiment {
  const r = new Reader(parseStructured(text, file));
  const o = r.object([], r.f.value);
  r.unknown([], o, TOP);
  if (o.kind !== undefined && o.kind !== 'culture') r.fail(['kind'], `"kind" must be "culture" in a culture experiment (got ${JSON.stringify(o.kind)})`);
  const models = r.list(['models'], o.models ?? r.fail([], 'missing required field "models"', 'models'), true).map((m, i) => model(r, ['models', i], m, settingsModels));
  const ids = new Set<string>();
  models.forEach((m, i) => {
    if (ids.has(m.id)) r.fail(['models', i, 'id'], `duplicate model id "${m.id}"`, 'id');
    ids.add(m.id);
  });
  const cultures = r.list(['cultures'], o.cultures ?? r.fail([], 'missing required field "cultures"', 'cultures'), true).map((c, i) => culture(r, ['cultures', i], c));
  const cids = new Set<string>();
  cultures.forEach((c, i) => {
    if (cids.has(c.id)) r.fail(['cultures', i, 'id'], `duplicate culture id "${c.id}"`, 'id');
    cids.add(c.id);
  });
  const spec: CultureExperimentSpec = {
    kind: 'culture',
    name: r.string(['name'], o.name),
    seeds: seeds(r, o.seeds),
    cultures,
    models,
    templates: o.templates === undefined ? ['prompts/culture.{lang}.hbs'] : r.list(['templates'], o.templates, true).map((t, i) => r.string(['templates', i], t)),
    questions: questions(r, o.questions),
    variants: o.variants === undefined ? 'seeds' : r.oneOf(['variants'], o.variants, ['seeds', 'all'] as const),
    samples: o.samples === undefined ? 10 : r.number(['samples'], o.samples, 1, 1000, true),
  };
  if (o.description !== undefined) spec.description = r.string(['description'], o.description);
  if (o.augmentation !== undefined) spec.augmentation = augmentation(r, o.augmentation, settingsModels);
  if (spec.variants === 'all' && !spec.augmentation) r.fail(['variants'], '"variants": "all" asks the accepted paraphrases too: it needs an "augmentation" with its decisions "file"');
  if (o.scoring !== undefined) spec.scoring = scoring(r, o.scoring, models.map((m) => m.id));
  return { spec, warnings: r.warnings, locate: r.f.locate };
}

/** The template file of a culture under a template pattern (`prompts/culture.{lang}.hbs` → `prompts/culture.ar.hbs`). */
export function templateFor(pattern: string, culture: Pick<CultureSpec, 'lang'>): string {
  return pattern.split('{lang}').join(culture.lang);
}

/** The language a template is written in: its `.<lang>.hbs` suffix, else the culture's language. */
export function templateLang(template: string, culture: Pick<CultureSpec, 'lang'>): string {
  return /\.([a-z]{2,3}(?:-[A-Za-z]+)?)\.(hbs|handlebars)$/.exec(template)?.[1] ?? culture.lang;
}
