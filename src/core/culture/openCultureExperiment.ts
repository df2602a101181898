import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import type { ModelSpec } from '../experiment';
import type { ChatMessage, Diagnostic } from '../model';
import { loadPartials } from '../template/templateFiles';
import { acceptedParaphrases, parseAugmentationFile } from './augmentationFile';
import type { CultureCondition, CultureExperimentSpec } from './cultureExperiment';
import { cultureGroundTruth } from './cultureGroundTruth';
import { cultureTemplateContext, questionVariants, type QuestionVariant } from './cultureTemplateContext';
import { importWvsCountryTable } from './importWvsCountryTable';
import { loadSeedSurvey } from './loadCultureLLMData';
import { parseCountryTable } from './parseCountryTable';
import { parseCultureExperiment, templateFor, templateLang } from './parseCultureExperiment';
import { parseSeedSurvey } from './parseSeedSurvey';
import { renderCulturePrompt } from './renderCulturePrompt';
import type { CountryTable, CultureSpec, CultureTruth, SeedQuestion } from './types';

/** A held-out split as `finetune-data` writes it (`split.json`). */
export interface HeldOutSplit {
  seed: number;
  heldOutFraction: number;
  train: string[];
  heldOut: string[];
}

/** A culture experiment read and resolved: seeds, ground truth per culture, conditions and their templates. */
export interface OpenedCultureExperiment {
  /** Absolute path of the experiment file. */
  file: string;
  spec: CultureExperimentSpec;
  warnings: Diagnostic[];
  /** Every seed question of the survey, and those this experiment asks. */
  seeds: SeedQuestion[];
  questions: SeedQuestion[];
  tables: Map<string, CountryTable[]>;
  truths: CultureTruth[];
  conditions: CultureCondition[];
  /** Accepted paraphrases per question (only when the experiment asks them: `variants: "all"`). */
  paraphrases: Record<string, QuestionVariant[]>;
  /** The held-out split the question selection came from, if any. */
  split?: HeldOutSplit;
  /** What the requests depend on beyond the spec (seed texts, paraphrases, templates): a run resumes only on the same digest. */
  digest: string;
  variantsFor(condition: CultureCondition, q: SeedQuestion): QuestionVariant[];
  render(condition: CultureCondition, q: SeedQuestion, variant: number): ChatMessage[];
  resolve(relative: string): string;
  culture(id: string): CultureSpec;
}

const read = (file: string): string => readFileSync(file, 'utf8');

/** Reads a per-country table in either format: CultureLLM's `B_COUNTRY,B_COUNTRY_ALPHA,Q27,…` or a WVS dump with `;` and labels. */
export function readCountryTable(file: string, seeds: readonly SeedQuestion[]): CountryTable {
  const text = read(file);
  const first = text.slice(0, text.indexOf('\n') >>> 0).replace(/^\uFEFF/, '');
  if (first.startsWith('B_COUNTRY,')) return parseCountryTable(text, file);
  return importWvsCountryTable(text, file, seeds);
}

/** Loads the seed questions of a seed source (a `*.seeds.json`, or the paper's JSONL + a table for the ids). */
export function loadSeeds(spec: Pick<CultureExperimentSpec, 'seeds'>, resolve: (p: string) => string): SeedQuestion[] {
  const s = spec.seeds;
  if (typeof s === 'string') return parseSeedSurvey(read(resolve(s)), resolve(s));
  return loadSeedSurvey(resolve(s.jsonl), resolve(s.table), s.translations ? resolve(s.translations) : undefined);
}

/**
 * Opens a culture experiment: validates the file, loads the seed survey, every culture's country tables and
 * ground truth, the held-out split and accepted paraphrases it names, and each condition's template. A missing
 * file or a template error is an InputError at the experiment's line that names it.
 */
export async function openCultureExperiment(file: string, settingsModels: readonly ModelSpec[] = []): Promise<OpenedCultureExperiment> {
  const abs = path.resolve(file);
  const text = read(abs);
  const { spec, warnings, locate } = parseCultureExperiment(text, abs, settingsModels);
  const dir = path.dirname(abs);
  const resolve = (p: string): string => path.resolve(dir, p);
  const must = (rel: string, where: (string | number)[], what: string): string => {
    const f = resolve(rel);
    if (!existsSync(f)) throw new InputError(`${what} not found: ${rel}`, locate(where), String(where[where.length - 1]));
    return f;
  };
  if (typeof spec.seeds === 'string') must(spec.seeds, ['seeds'], 'seed survey');
  else {
    must(spec.seeds.jsonl, ['seeds', 'jsonl'], 'seed file');
    must(spec.seeds.table, ['seeds', 'table'], 'country table');
  }
  const seeds = loadSeeds(spec, resolve);
  const byId = new Map(seeds.map((q) => [q.id, q]));

  let split: HeldOutSplit | undefined;
  let questions: SeedQuestion[];
  const sel = spec.questions;
  if (sel === 'all') questions = seeds;
  else if (Array.isArray(sel)) {
    questions = sel.map((id, i) => byId.get(id) ?? (() => { throw new InputError(`no seed question "${id}" (the survey has ${seeds.map((q) => q.id).slice(0, 6).join(', ')}, …)`, locate(['questions', i]), 'questions'); })());
  } else {
    const f = must(sel.split, ['questions', 'split'], 'held-out split');
    split = JSON.parse(read(f)) as HeldOutSplit;
    if (!Array.isArray(split[sel.part])) throw new InputError(`the split has no "${sel.part}" list`, { file: f, line: 1, column: 1 }, sel.part);
    const ids = new Set(split[sel.part]);
    questions = seeds.filter((q) => ids.has(q.id));
  }

  const tables = new Map<string, CountryTable[]>();
  const truths: CultureTruth[] = [];
  spec.cultures.forEach((c, ci) => {
    const list = c.countries.map((country, k) => readCountryTable(must(country.file, ['cultures', ci, 'countries', k], `country table of culture "${c.id}"`), seeds));
    tables.set(c.id, list);
    truths.push(cultureGroundTruth(c.id, list, seeds, c.pooling ?? 'pooled'));
  });

  const paraphrases: Record<string, QuestionVariant[]> = {};
  if (spec.variants === 'all' && spec.augmentation) {
    const f = resolve(spec.augmentation.file);
    if (existsSync(f)) Object.assign(paraphrases, acceptedParaphrases(parseAugmentationFile(read(f), f)));
  }

  const conditions: CultureCondition[] = [];
  const templates = new Map<string, { source: string; partials: Record<string, string>; file: string }>();
  for (const c of spec.cultures) {
    for (const m of spec.models) {
      for (const [ti, pattern] of spec.templates.entries()) {
        const template = templateFor(pattern, c);
        if (!templates.has(template)) {
          const f = must(template, ['templates', ti], `template for culture "${c.id}" (${c.lang})`);
          templates.set(template, { source: read(f), partials: await loadPartials(f), file: f });
        }
        const base = path.basename(template).replace(/\.(hbs|handlebars)$/, '');
        conditions.push({ id: `${c.id}/${m.id}${spec.templates.length > 1 ? `/${base}` : ''}`, cultureId: c.id, model: m.id, template, pattern, lang: templateLang(template, c) });
      }
    }
  }
  const cultures = new Map(spec.cultures.map((c) => [c.id, c]));
  const culture = (id: string): CultureSpec => cultures.get(id) ?? (() => { throw new RangeError(`no culture "${id}"`); })();
  const variantsFor = (c: CultureCondition, q: SeedQuestion): QuestionVariant[] => questionVariants(q, c.lang, paraphrases[q.id]);
  const render = (c: CultureCondition, q: SeedQuestion, variant: number): ChatMessage[] => {
    const t = templates.get(c.template)!;
    return renderCulturePrompt(t.source, cultureTemplateContext(culture(c.cultureId), q, variantsFor(c, q), variant, c.lang), t.file, t.partials);
  };
  // Render one prompt per condition now, so a template error stops before anything is estimated or sent.
  for (const c of conditions) if (questions[0]) render(c, questions[0], 0);
  const digest = createHash('sha256').update(JSON.stringify([
    questions.map((q) => [q.id, q.min, q.max, q.text, q.options]), paraphrases, [...templates].map(([k, t]) => [k, t.source, t.partials]),
  ])).digest('hex').slice(0, 16);
  return { file: abs, spec, warnings, seeds, questions, tables, truths, conditions, paraphrases, ...(split ? { split } : {}), digest, variantsFor, render, resolve, culture };
}
