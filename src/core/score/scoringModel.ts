// The scorer's internal model, shared by its phases (parseSamples → filterItems → scoreKeptItems →
// aggregateScores / poolVariants / scoreDistributions / pairedDelta; scoreResponses.ts runs them in order).
// Hot paths: one object per item with a fixed shape, dense integer ids, memoised item scores.
import type { Persona, Question } from '../model';
import type { Vote } from './majorityVote';
import type { ParseContext } from './parseAnswer';
import { normalise, scoreItem, type ItemMetrics, type ItemQuestion } from './scoreItem';
import type { ScoringCondition } from './scoreResponses';
import type { AlignmentScores, ItemFunnel, ParsedAnswer, ScoringSettings } from './types';

export const PERSONA_GROUP_FIELDS = ['region', 'sex', 'age_bucket', 'marital_status', 'education', 'social_class'] as const;
export const ITEM_GROUP_FIELDS = ['theme', 'question', 'variant'] as const;

export interface QuestionInfo extends ItemQuestion {
  question: Question;
  /** Dense index of the question (for per-persona tables). */
  index: number;
  /** Breakdown group keys (theme, question) and their dense ids, set on first use. */
  qk: string[] | undefined;
  qg: number[] | undefined;
  /** scoreItem(m, s) memoised at [m * (n + 1) + s]: items repeat the same few (m, s) pairs. */
  memo: (ItemMetrics | undefined)[];
}

/** What the memoised item scores need of a question (scoring's QuestionInfo, the live scorer's too). */
export type MemoQuestion = ItemQuestion & Pick<QuestionInfo, 'memo'>;

export function itemMetrics(m: number, s: number, qi: MemoQuestion): ItemMetrics {
  const i = m * (qi.n + 1) + s;
  return (qi.memo[i] ??= scoreItem(m, s, qi));
}

/** Weighted item scores of a vote. One answer of weight 1 (most items): the memo itself, as 0 + 1·x = x for these
 * non-negative scores, so the numbers are the same as the weighted sum. */
export function voteMetrics(votes: readonly Vote[], s: number, qi: MemoQuestion): ItemMetrics {
  if (votes.length === 1 && votes[0]!.weight === 1) return itemMetrics(votes[0]!.answer, s, qi);
  let soft = 0;
  let hard = 0;
  let randomSoft = 0;
  let randomHard = 0;
  for (const v of votes) {
    const x = itemMetrics(v.answer, s, qi);
    soft += v.weight * x.soft;
    hard += v.weight * x.hard;
    randomSoft += v.weight * x.randomSoft;
    randomHard += v.weight * x.randomHard;
  }
  return { soft, hard, randomSoft, randomHard };
}

/** What scoring keeps per persona id seen in the samples: its (persona, question) pairs, and per-persona caches. */
export interface PersonaRec {
  pairs: Map<string, { pair: number; byVariant: number[] }>;
  /** Dense persona index (−1 until the persona has a scored item). */
  pi: number;
  /** Breakdown group keys of the persona's fields and their dense ids, set on first use. */
  pk: string[] | undefined;
  pg: number[] | undefined;
  /** Survey answer memo by question index (see surveyAnswerOf). */
  survey: (number | keyof ItemFunnel | undefined)[];
}

/**
 * One item of one condition, from its first sample to its score. The fields of `Scored` are part of it from the
 * start (placeholders until the item becomes a candidate), so no second object per item is needed and every item
 * keeps one hidden class.
 */
export interface ItemAcc extends Omit<Scored, 'votes' | 'answers'> {
  /** Item id, shared by the same (persona, question, variant) in every condition. */
  id: number;
  rec: PersonaRec;
  qi: QuestionInfo;
  personaId: string;
  questionId: string;
  variant: number;
  /** Sample indices (null while they are 0, 1, 2, … in order) and parsed answers (null = unparsed), in arrival
   * order; sorted by sample index before voting. */
  sampleIdx: number[] | null;
  answers: (number | null)[];
  /** Condition index and parse cache of the item's (condition, question). */
  ci: number;
  cache: Map<string, CachedParse>;
  /** Majority vote over `answers` (set when voting). */
  votes: Vote[] | undefined;
}
export const NO_KEYS: readonly string[] = [];
/** Answers of an item before its first sample (shared, never written: the first sample gets the item its own array). */
export const NO_ANSWERS: (number | null)[] = Object.freeze([]) as unknown as (number | null)[];
export const UNSCORED: ItemMetrics = Object.freeze({ soft: NaN, hard: NaN, randomSoft: NaN, randomHard: NaN });
export const NO_IDS: readonly number[] = [];

/** A parse and the index of its outcome (rule or reason) in OUTCOMES, for cheap counting. */
export interface CachedParse {
  parsed: ParsedAnswer;
  outcome: number;
}
export const OUTCOMES: string[] = ['paren', 'option-text', 'open-paren', 'number', 'empty-first-option', 'last-line', 'last-paren', 'out-of-range', 'no-match', 'empty', 'failed-request'];
export const FIRST_REASON = 7;
export const FAILED: CachedParse = { parsed: { answer: null, reason: 'failed-request' }, outcome: 10 };

/** Sort an item's samples by sample index (recorded and engine output is usually in order already). */
export function sortSamples(it: ItemAcc): void {
  if (!it.sampleIdx) return;
  let sorted = true;
  for (let i = 1; i < it.sampleIdx.length; i++) if (it.sampleIdx[i - 1]! > it.sampleIdx[i]!) sorted = false;
  if (sorted) return;
  const idx = it.sampleIdx;
  const order = idx.map((_, i) => i).sort((a, b) => idx[a]! - idx[b]!);
  it.sampleIdx = order.map((i) => idx[i]!);
  it.answers = order.map((i) => it.answers[i]!);
}

export interface Scored {
  key: number;
  /** Dense index of the persona (for distinct-persona counts). */
  pi: number;
  /** `field\0value` of the breakdown groups of the item: persona fields (shared per persona), theme and question
   * (shared per question), variant. */
  pk: readonly string[];
  qk: readonly string[];
  vk: string;
  /** The same groups as dense ids (see `groupKeys`): persona groups, question groups, variant group. */
  pg: readonly number[];
  qg: readonly number[];
  vg: number;
  /** Parsed answers of the samples (for the per-item counts of the drill-down). */
  answers: readonly (number | null)[];
  personaId: string;
  questionId: string;
  variant: number;
  votes: Vote[];
  s: number;
  qi: QuestionInfo;
  /** Item scores (soft, hard and their random baselines): for a single voted answer the shared memo of scoreItem,
   * so no numbers are boxed per item. */
  m: ItemMetrics;
  /** Survived every filter (and the common-items protocol). */
  kept: boolean;
}

/** Sums of item scores over a set of items, and the distinct personas among them (by persona index). */
export class Acc {
  soft = 0;
  hard = 0;
  rs = 0;
  rh = 0;
  n = 0;
  personas = 0;
  private readonly seen: Uint8Array;
  constructor(personaCount: number) {
    this.seen = new Uint8Array(personaCount);
  }
  add(x: { soft: number; hard: number; randomSoft: number; randomHard: number }, personaIndex: number): void {
    this.soft += x.soft;
    this.hard += x.hard;
    this.rs += x.randomSoft;
    this.rh += x.randomHard;
    this.n++;
    if (!this.seen[personaIndex]) {
      this.seen[personaIndex] = 1;
      this.personas++;
    }
  }
  scores(): AlignmentScores {
    const n = this.n || NaN;
    const soft = this.soft / n;
    const hard = this.hard / n;
    const randomSoft = this.rs / n;
    const randomHard = this.rh / n;
    return {
      soft, hard, randomSoft, randomHard,
      softNorm: normalise(soft, randomSoft), hardNorm: normalise(hard, randomHard),
      items: this.n, personas: this.personas,
    };
  }
}

export const SEP = '\u0000';
export const ALL_KEY = `all${SEP}all`;
export const VARIANT_KEYS = Array.from({ length: 16 }, (_, v) => `variant${SEP}${v}`);
export const itemKey = (personaId: string, questionId: string, variant: number): string => `${personaId}${SEP}${questionId}${SEP}${variant}`;

/** Age bucket label of an age, given the lower bounds of the buckets after the first: 18–24, 25–34, …, 65+. */
export function ageBucket(age: unknown, bounds: readonly number[]): string {
  const a = Number(age);
  if (!Number.isFinite(a)) return 'unknown';
  if (bounds.length === 0) return 'all';
  if (a < bounds[0]!) return `<${bounds[0]}`;
  for (let i = 0; i < bounds.length - 1; i++) if (a < bounds[i + 1]!) return `${bounds[i]}–${bounds[i + 1]! - 1}`;
  return `${bounds[bounds.length - 1]}+`;
}

/** Counts of each option among parsed answers (the drill-down's per-item counts). */
export function sampleCounts(answers: readonly (number | null)[], n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const a of answers) if (a !== null) counts[a - 1]!++;
  return counts;
}

/** What the parser needs for a question in a condition: options in the prompt language, reasoning or not. */
export function parseContext(q: Question, cond: ScoringCondition): ParseContext {
  const options = q.options[cond.lang] ?? q.options.en ?? Object.values(q.options)[0] ?? [];
  return { options, allOptions: Object.values(q.options), dontKnowIndex: q.dontKnowIndex, reasoning: !!cond.reasoning };
}

/** The persona's canonical (English) values, for grouping. */
export function personaValues(p: Persona | undefined): Record<string, string | number> {
  if (!p) return {};
  return (p.values.en ?? Object.values(p.values)[0] ?? {}) as Record<string, string | number>;
}

// localeCompare(b, 'en', { numeric: true }) is specified as this collator's compare, which is built once here.
export const groupKeyCollator = new Intl.Collator('en', { numeric: true });
export function compareGroupKeys(a: string, b: string): number {
  return groupKeyCollator.compare(a, b);
}

/** Per question of the survey: its scoring facts, a dense index, and caches (see QuestionInfo). */
export function questionInfos(questions: readonly Question[], settings: ScoringSettings): Map<string, QuestionInfo> {
  const out = new Map<string, QuestionInfo>();
  for (const q of questions) {
    const n = Math.max(0, ...Object.values(q.options).map((o) => o.length));
    out.set(q.id, {
      question: q, index: out.size, n, memo: [], qk: undefined, qg: undefined,
      dontKnow: q.dontKnowIndex === null || q.dontKnowIndex === undefined ? null : q.dontKnowIndex + 1,
      nominal: settings.nominalQuestions.includes(q.id) || q.scale === 'nominal',
    });
  }
  return out;
}

/** Dense ids of breakdown group keys (`field\0value`), in order of first use. */
export class GroupIndex {
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();
  id(gk: string): number {
    let g = this.ids.get(gk);
    if (g === undefined) {
      this.ids.set(gk, (g = this.keys.length));
      this.keys.push(gk);
    }
    return g;
  }
}

/** Dense persona indices, in order of first use (for distinct-persona counts). */
export class PersonaIndex {
  private readonly map = new Map<string, number>();
  get size(): number {
    return this.map.size;
  }
  indexOf(personaId: string): number {
    let i = this.map.get(personaId);
    if (i === undefined) this.map.set(personaId, (i = this.map.size));
    return i;
  }
}
