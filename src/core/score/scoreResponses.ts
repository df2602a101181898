import type { Persona, Question } from '../model';
import { jensenShannonDistance, toDistribution, wassersteinSimilarity } from './distributionSimilarity';
import { majorityVote, type Vote } from './majorityVote';
import { adjustFamilies, MULTIPLICITY_METHODS } from './multiplicity';
import { ClusterResampler, ItemResampler } from './pairedStatistics';
import { parseAnswer, type ParseContext } from './parseAnswer';
import { respondentKey } from './respondentKey';
import { normalise, scoreItem, type ItemMetrics, type ItemQuestion } from './scoreItem';
import type {
  AlignmentScores, ConditionScore, ConsistencyScore, DeltaEstimate, DistributionScore, GroupScore, ItemFunnel, ItemScore,
  PairedDelta, ParsedAnswer, ParseRule, ParseSummary, PersonaScore, ScoreReport, ScoringSample, ScoringSettings, UnparsedReason, UnparsedSample,
} from './types';

/** A condition as scoring sees it: where its answers come from and how to parse them. */
export interface ScoringCondition {
  id: string;
  label?: string;
  /** Prompt language: the parser matches option text in this language. */
  lang: string;
  model: string;
  recorded?: boolean;
  /** Replies reason first, then answer (anthropological prompting): the last-line rule applies. */
  reasoning?: boolean;
}

export type { ScoringSample } from './types';

/** All sampled replies of one item at once (recorded completions come this way): cheaper than one object per sample. */
export interface ScoringItemSamples {
  condition: string;
  personaId: string;
  questionId: string;
  variant: number;
  /** Replies in sample order (null = failed request). */
  texts: readonly (string | null)[];
  /** Sample index of each text; default 0, 1, 2, … */
  sampleIndices?: readonly number[];
}

export interface ScoreInput {
  questions: Question[];
  conditions: ScoringCondition[];
  /** Replies one by one (a run's responses.jsonl), and/or … */
  samples?: Iterable<ScoringSample>;
  /** … replies grouped per item (recorded completions). Both may be given; they are merged. */
  items?: Iterable<ScoringItemSamples>;
  /** The personas the samples refer to, each being a real respondent with their answers. */
  personas: Persona[];
  /** Respondents of the other country (same-answer filter); matched by (sex, age, marital, education, class). */
  twins?: Persona[];
  /** Pairs (a, b) to compare as b − a; default: the first two conditions. */
  compare?: [string, string][];
  source?: ScoreReport['source'];
  /** What the run reader skipped (quarantined lines, torn last line, duplicates): carried into the report. */
  read?: ScoreReport['read'];
  /** Leave out the heavy parts of the report (all included by default). */
  include?: { items?: boolean; unparsed?: boolean; personaDeltas?: boolean; distributions?: boolean };
}

/** Persona fields the breakdowns group by (age via its bucket), then the item fields. */
export const PERSONA_GROUP_FIELDS = ['region', 'sex', 'age_bucket', 'marital_status', 'education', 'social_class'] as const;
export const ITEM_GROUP_FIELDS = ['theme', 'question', 'variant'] as const;

interface QuestionInfo extends ItemQuestion {
  question: Question;
  /** Dense index of the question (for per-persona tables). */
  index: number;
  /** Breakdown group keys (theme, question) and their dense ids, set on first use. */
  qk: string[] | undefined;
  qg: number[] | undefined;
  /** scoreItem(m, s) memoised at [m * (n + 1) + s]: items repeat the same few (m, s) pairs. */
  memo: (ItemMetrics | undefined)[];
}

function itemMetrics(m: number, s: number, qi: QuestionInfo): ItemMetrics {
  const i = m * (qi.n + 1) + s;
  return (qi.memo[i] ??= scoreItem(m, s, qi));
}

/** Weighted item scores of a vote. One answer of weight 1 (most items): the memo itself, as 0 + 1·x = x for these
 * non-negative scores, so the numbers are the same as the weighted sum. */
function voteMetrics(votes: readonly Vote[], s: number, qi: QuestionInfo): ItemMetrics {
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
interface PersonaRec {
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
interface ItemAcc extends Omit<Scored, 'votes' | 'answers'> {
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
const NO_KEYS: readonly string[] = [];
/** Answers of an item before its first sample (shared, never written: the first sample gets the item its own array). */
const NO_ANSWERS: (number | null)[] = Object.freeze([]) as unknown as (number | null)[];
const UNSCORED: ItemMetrics = Object.freeze({ soft: NaN, hard: NaN, randomSoft: NaN, randomHard: NaN });
const NO_IDS: readonly number[] = [];

/** A parse and the index of its outcome (rule or reason) in OUTCOMES, for cheap counting. */
interface CachedParse {
  parsed: ParsedAnswer;
  outcome: number;
}
const OUTCOMES: string[] = ['paren', 'option-text', 'open-paren', 'number', 'empty-first-option', 'last-line', 'last-paren', 'out-of-range', 'no-match', 'empty', 'failed-request'];
const FIRST_REASON = 7;
const FAILED: CachedParse = { parsed: { answer: null, reason: 'failed-request' }, outcome: 10 };

/** Sort an item's samples by sample index (recorded and engine output is usually in order already). */
function sortSamples(it: ItemAcc): void {
  if (!it.sampleIdx) return;
  let sorted = true;
  for (let i = 1; i < it.sampleIdx.length; i++) if (it.sampleIdx[i - 1]! > it.sampleIdx[i]!) sorted = false;
  if (sorted) return;
  const idx = it.sampleIdx;
  const order = idx.map((_, i) => i).sort((a, b) => idx[a]! - idx[b]!);
  it.sampleIdx = order.map((i) => idx[i]!);
  it.answers = order.map((i) => it.answers[i]!);
}

interface Scored {
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
class Acc {
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

const SEP = '\u0000';
const ALL_KEY = `all${SEP}all`;
const VARIANT_KEYS = Array.from({ length: 16 }, (_, v) => `variant${SEP}${v}`);
const itemKey = (personaId: string, questionId: string, variant: number): string => `${personaId}${SEP}${questionId}${SEP}${variant}`;

/** Age bucket label of an age, given the lower bounds of the buckets after the first: 18–24, 25–34, …, 65+. */
export function ageBucket(age: unknown, bounds: readonly number[]): string {
  const a = Number(age);
  if (!Number.isFinite(a)) return 'unknown';
  if (bounds.length === 0) return 'all';
  if (a < bounds[0]!) return `<${bounds[0]}`;
  for (let i = 0; i < bounds.length - 1; i++) if (a < bounds[i + 1]!) return `${bounds[i]}–${bounds[i + 1]! - 1}`;
  return `${bounds[bounds.length - 1]}+`;
}

/**
 * Score sampled replies against the real answers of the personas' respondents (AlKhamissi et al. 2024).
 * Steps: parse every sample → majority vote per (condition, persona, question, variant) item → drop items with
 * no valid sample, no respondent, a missing survey answer, or (same-answer filter) the same answer as the twin
 * respondent of the other country → (paper protocol, several conditions) keep only items kept in every
 * condition → per-item soft/hard scores and random baselines → means, breakdowns, distributions, consistency
 * and paired deltas. Pure: reads nothing, writes nothing; rescoring with other settings never re-queries.
 */
export function scoreResponses(input: ScoreInput, settings: ScoringSettings): ScoreReport {
  const include = { items: true, unparsed: true, personaDeltas: true, distributions: true, ...input.include };
  const warnings: string[] = [];
  const q = input.read?.quarantined.length ?? 0;
  if (q) warnings.push(`${q} unreadable line(s) of ${input.read!.file} quarantined, not scored: ${input.read!.quarantined.slice(0, 10).map((x) => `line ${x.line}`).join(', ')}${q > 10 ? ', …' : ''}`);
  const questions = new Map<string, QuestionInfo>();
  for (const q of input.questions) {
    const n = Math.max(0, ...Object.values(q.options).map((o) => o.length));
    questions.set(q.id, {
      question: q, index: questions.size, n, memo: [], qk: undefined, qg: undefined,
      dontKnow: q.dontKnowIndex === null || q.dontKnowIndex === undefined ? null : q.dontKnowIndex + 1,
      nominal: settings.nominalQuestions.includes(q.id) || q.scale === 'nominal',
    });
  }
  const conditions = input.conditions;
  const condIndex = new Map(conditions.map((c, i) => [c.id, i]));
  const personas = new Map(input.personas.map((p) => [p.id, p]));
  const twinByKey = new Map<string, Persona | null>();
  for (const t of input.twins ?? []) {
    const k = respondentKey(t.values.en ?? Object.values(t.values)[0]!);
    twinByKey.set(k, twinByKey.has(k) ? null : t); // null = ambiguous
  }
  const skip = new Set(settings.skipQuestions);

  // ---- 1. parse and group ----------------------------------------------------------------------------------
  // Items are keyed by a dense integer id shared by all conditions (no key string per item).
  // Per condition: items by id, and in order of first sample.
  const itemById = conditions.map(() => [] as (ItemAcc | undefined)[]);
  const items = conditions.map(() => [] as ItemAcc[]);
  // (persona, question) pairs get dense ids too (the across-variants view groups by them): pairOf[item id].
  const ids = new Map<string, PersonaRec>();
  let nextId = 0;
  const pairOf: number[] = [];
  const pairQuestion: string[] = [];
  const itemId = (byQ: PersonaRec['pairs'], questionId: string, variant: number): number => {
    let byV = byQ.get(questionId);
    if (!byV) {
      byQ.set(questionId, (byV = { pair: pairQuestion.length, byVariant: [] }));
      pairQuestion.push(questionId);
    }
    let id = byV.byVariant[variant];
    if (id === undefined) {
      byV.byVariant[variant] = id = nextId++;
      pairOf.push(byV.pair);
    }
    return id;
  };
  const parse: ParseSummary[] = conditions.map((c) => ({ condition: c.id, samples: 0, parsed: 0, unparsed: 0, byRule: {}, byReason: {}, itemsWithoutValidSample: 0 }));
  const unparsed: UnparsedSample[] = [];
  // Parse results are cached per (condition, question): replies repeat a lot ("2", "(3) Agree").
  const parseCaches = conditions.map(() => new Map<string, Map<string, CachedParse>>());
  const outcomeCounts = conditions.map(() => new Array<number>(OUTCOMES.length).fill(0));
  let unknownCondition = 0;
  let unknownQuestion = 0;
  /** The item a sample belongs to (created on first sight), or undefined for unknown conditions/questions. */
  const itemFor = (condition: string, personaId: string, questionId: string, variant: number, count: number): ItemAcc | undefined => {
    const ci = condIndex.get(condition);
    if (ci === undefined) { unknownCondition += count; return undefined; }
    const qi = questions.get(questionId);
    if (!qi) { unknownQuestion += count; return undefined; }
    let rec = ids.get(personaId);
    if (!rec) ids.set(personaId, (rec = { pairs: new Map(), pi: -1, pk: undefined, pg: undefined, survey: [] }));
    const key = itemId(rec.pairs, questionId, variant);
    let it = itemById[ci]![key];
    if (!it) {
      let cache = parseCaches[ci]!.get(questionId);
      if (!cache) parseCaches[ci]!.set(questionId, (cache = new Map()));
      // Every field set here, so all items share one hidden class (votes is filled in later).
      itemById[ci]![key] = it = {
        id: key, rec, qi, personaId, questionId, variant, sampleIdx: null, answers: NO_ANSWERS, ci, cache, votes: undefined,
        key, pi: -1, pk: NO_KEYS, qk: NO_KEYS, vk: '', pg: NO_IDS, qg: NO_IDS, vg: -1, s: 0, m: UNSCORED, kept: false,
      };
      items[ci]!.push(it);
    }
    return it;
  };
  /** Parses one reply and counts its outcome; returns the answer (null = unparsed, listed). */
  const parseSample = (it: ItemAcc, sample: number, text: string | null): number | null => {
    let c = text === null ? FAILED : it.cache.get(text);
    if (!c) {
      const parsed = parseAnswer(text, parseContext(questions.get(it.questionId)!.question, conditions[it.ci]!), settings);
      c = { parsed, outcome: OUTCOMES.indexOf(parsed.answer !== null ? parsed.rule! : parsed.reason!) };
      it.cache.set(text!, c);
    }
    outcomeCounts[it.ci]![c.outcome]!++;
    if (c.parsed.answer === null && include.unparsed) {
      unparsed.push({ condition: conditions[it.ci]!.id, personaId: it.personaId, questionId: it.questionId, variant: it.variant, sample, text, reason: c.parsed.reason! });
    }
    return c.parsed.answer;
  };
  const addSample = (it: ItemAcc, sample: number, text: string | null): void => {
    const answer = parseSample(it, sample, text);
    if (it.answers === NO_ANSWERS) it.answers = [];
    if (it.sampleIdx) it.sampleIdx.push(sample);
    else if (sample !== it.answers.length) it.sampleIdx = [...it.answers.keys(), sample];
    it.answers.push(answer);
  };
  // Per-sample input: samples of one item usually arrive together, so the item lookup is skipped then.
  let lastSm: ScoringSample | undefined;
  let lastItem: ItemAcc | undefined;
  for (const sm of input.samples ?? []) {
    if (!(lastSm && lastItem && lastSm.condition === sm.condition && lastSm.personaId === sm.personaId && lastSm.questionId === sm.questionId && lastSm.variant === sm.variant)) {
      lastItem = itemFor(sm.condition, sm.personaId, sm.questionId, sm.variant, 1);
    }
    lastSm = sm;
    if (lastItem) addSample(lastItem, sm.sample, sm.text);
  }
  // Per-item input (recorded completions): one lookup per item, no object per sample.
  for (const e of input.items ?? []) {
    const it = itemFor(e.condition, e.personaId, e.questionId, e.variant, e.texts.length);
    if (!it) continue;
    if (it.answers.length === 0 && !e.sampleIndices) {
      // A fresh item in sample order: an array of exactly its size (100k+ of them live until the end).
      const answers = new Array<number | null>(e.texts.length);
      for (let i = 0; i < e.texts.length; i++) answers[i] = parseSample(it, i, e.texts[i]!);
      it.answers = answers;
      continue;
    }
    for (let i = 0; i < e.texts.length; i++) addSample(it, e.sampleIndices?.[i] ?? i, e.texts[i]!);
  }
  outcomeCounts.forEach((counts, ci) => {
    const ps = parse[ci]!;
    counts.forEach((n, o) => {
      if (!n) return;
      ps.samples += n;
      if (o < FIRST_REASON) {
        ps.parsed += n;
        ps.byRule[OUTCOMES[o] as ParseRule] = n;
      } else {
        ps.unparsed += n;
        ps.byReason[OUTCOMES[o] as UnparsedReason] = n;
      }
    });
  });
  if (unknownCondition) warnings.push(`${unknownCondition} samples of unknown conditions were ignored`);
  if (unknownQuestion) warnings.push(`${unknownQuestion} samples of questions not in the survey were ignored`);

  // ---- 2. vote and filter ------------------------------------------------------------------------------------
  let noTwin = 0;
  const twinOf = new Map<string, Persona | null>();
  /** Survey answer of an item's respondent, or a funnel bucket explaining why there is none. */
  const surveyAnswer = (personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel => {
    if (skip.has(questionId)) return 'skippedQuestion';
    const p = personas.get(personaId);
    if (!p) return 'noRespondent';
    const s = p.answers[questionId];
    if (s === null || s === undefined || !Number.isInteger(s) || s < 1 || s > qi.n) return 'missingSurveyAnswer';
    if (settings.sameAnswerFilter && input.twins) {
      let twin = twinOf.get(personaId);
      if (twin === undefined) twinOf.set(personaId, (twin = twinByKey.get(respondentKey(p.values.en ?? Object.values(p.values)[0]!)) ?? null));
      if (!twin) noTwin++;
      else if (twin.answers[questionId] === s) return 'sameAnswer';
    }
    return s;
  };
  // The answer depends on (persona, question) only; variants and conditions repeat it. Memo: the answer, or −answer
  // when there was no twin (counted per call), or the funnel bucket.
  const surveyAnswerOf = (personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel => {
    const row = ids.get(personaId)!.survey;
    return surveyAnswerIn(row, personaId, questionId, qi);
  };
  const surveyAnswerIn = (row: PersonaRec['survey'], personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel => {
    let r = row[qi.index];
    if (r === undefined) {
      const before = noTwin;
      r = surveyAnswer(personaId, questionId, qi);
      if (noTwin !== before && typeof r === 'number') r = -r;
      row[qi.index] = r;
      return typeof r === 'number' ? Math.abs(r) : r;
    }
    if (typeof r === 'number' && r < 0) {
      noTwin++;
      return -r;
    }
    return r;
  };
  const funnels: ItemFunnel[] = conditions.map(() => ({ itemsSeen: 0, noValidSample: 0, noRespondent: 0, missingSurveyAnswer: 0, sameAnswer: 0, notCommon: 0, skippedQuestion: 0, kept: 0 }));
  // Candidates in item order, and by item id (for the common-items protocol and paired deltas).
  const candidates: Scored[][] = conditions.map(() => []);
  const candidateById: (Scored | undefined)[][] = conditions.map(() => new Array<Scored | undefined>(nextId));
  // Breakdown group keys, computed once per persona and per item, and their dense ids.
  const personaGroupCache = new Map<string, string[]>();
  const questionGroupCache = new Map<string, string[]>();
  const variantGroupIds = new Map<number, number>();
  const groupKeys: string[] = [];
  const groupIds = new Map<string, number>();
  const groupId = (gk: string): number => {
    let g = groupIds.get(gk);
    if (g === undefined) {
      groupIds.set(gk, (g = groupKeys.length));
      groupKeys.push(gk);
    }
    return g;
  };
  const ALL_GROUP = groupId(ALL_KEY);
  const personaIndex = new Map<string, number>();
  const indexOf = (personaId: string): number => {
    let i = personaIndex.get(personaId);
    if (i === undefined) personaIndex.set(personaId, (i = personaIndex.size));
    return i;
  };
  const personaKeys = (personaId: string): string[] => {
    let pk = personaGroupCache.get(personaId);
    if (!pk) {
      const values = personaValues(personas.get(personaId));
      pk = PERSONA_GROUP_FIELDS.map((f) => `${f}${SEP}${f === 'age_bucket' ? ageBucket(values.age, settings.ageBuckets) : String(values[f] ?? 'unknown')}`);
      personaGroupCache.set(personaId, pk);
    }
    return pk;
  };
  const questionKeys = (questionId: string): string[] => {
    let qk = questionGroupCache.get(questionId);
    if (!qk) questionGroupCache.set(questionId, (qk = [`theme${SEP}${questions.get(questionId)!.question.theme || 'unknown'}`, `question${SEP}${questionId}`]));
    return qk;
  };
  conditions.forEach((cond, ci) => {
    const f = funnels[ci]!;
    for (const it of items[ci]!) {
      const key = it.id;
      f.itemsSeen++;
      const qi = it.qi;
      const rec = it.rec;
      sortSamples(it);
      if (skip.has(it.questionId)) { f.skippedQuestion++; continue; }
      const answers = it.answers;
      const votes = majorityVote(answers, settings.tieBreak, settings.seed, settings.tieBreak === 'random' ? `${cond.id}${SEP}${itemKey(it.personaId, it.questionId, it.variant)}` : '');
      it.votes = votes;
      if (votes.length === 0) { f.noValidSample++; parse[ci]!.itemsWithoutValidSample++; continue; }
      const s = surveyAnswerIn(rec.survey, it.personaId, it.questionId, qi);
      if (typeof s !== 'number') { f[s]++; continue; }
      const pk = (rec.pk ??= personaKeys(it.personaId));
      const qk = (qi.qk ??= questionKeys(it.questionId));
      const vk = VARIANT_KEYS[it.variant] ?? `variant${SEP}${it.variant}`;
      const pg = (rec.pg ??= pk.map(groupId));
      const qg = (qi.qg ??= qk.map(groupId));
      let vg = variantGroupIds.get(it.variant);
      if (vg === undefined) variantGroupIds.set(it.variant, (vg = groupId(vk)));
      if (rec.pi < 0) rec.pi = indexOf(it.personaId);
      it.pi = rec.pi;
      it.pk = pk;
      it.qk = qk;
      it.vk = vk;
      it.pg = pg;
      it.qg = qg;
      it.vg = vg;
      it.s = s;
      const sc = it as Scored;
      candidates[ci]!.push(sc);
      candidateById[ci]![key] = sc;
    }
  });
  if (noTwin) warnings.push(`${noTwin} items had no (or an ambiguous) twin respondent: the same-answer filter could not apply to them`);

  // ---- 3. paper protocol: common items -------------------------------------------------------------------------
  // common[id] = number of conditions with a candidate for item id; an item is common when all have one.
  let common: Int32Array | null = null;
  if (settings.commonItems && conditions.length > 1) {
    common = new Int32Array(nextId);
    for (const list of candidates) for (const c of list) common[c.key]!++;
  }
  const allConditions = conditions.length;

  // ---- 4. score items ------------------------------------------------------------------------------------------
  // Kept items in order; `candidates` (with `kept` set) serves lookups by key.
  const scored: Scored[][] = conditions.map((_, ci) => {
    const out: Scored[] = [];
    for (const c of candidates[ci]!) {
      if (common && common[c.key] !== allConditions) { funnels[ci]!.notCommon++; continue; }
      c.m = voteMetrics(c.votes, c.s, c.qi);
      c.kept = true;
      out.push(c);
      funnels[ci]!.kept++;
    }
    return out;
  });

  // ---- 5. aggregates and breakdowns ----------------------------------------------------------------------------
  const groups: ScoreReport['groups'] = [];
  const personaScores: ScoreReport['personas'] = [];
  const itemRows: ItemScore[] = [];
  const conditionScores: ConditionScore[] = conditions.map((cond, ci) => {
    const np = personaIndex.size;
    const overall = new Acc(np);
    // By dense group id and persona index; personas listed in order of their first kept item.
    const byGroup: (Acc | undefined)[] = [];
    const byPersona: (Acc | undefined)[] = [];
    const personaOrder: Scored[] = [];
    const group = (g: number): Acc => (byGroup[g] ??= new Acc(np));
    for (const sc of scored[ci]!) {
      const m = sc.m;
      overall.add(m, sc.pi);
      for (const g of sc.pg) group(g).add(m, sc.pi);
      for (const g of sc.qg) group(g).add(m, sc.pi);
      group(sc.vg).add(m, sc.pi);
      let pa = byPersona[sc.pi];
      if (!pa) {
        byPersona[sc.pi] = pa = new Acc(np);
        personaOrder.push(sc);
      }
      pa.add(m, sc.pi);
      if (include.items) {
        itemRows.push({
          condition: cond.id, personaId: sc.personaId, questionId: sc.questionId, variant: sc.variant, votes: sc.votes,
          sampleCounts: sampleCounts(sc.answers, questions.get(sc.questionId)!.n), surveyAnswer: sc.s, soft: m.soft, hard: m.hard, randomSoft: m.randomSoft, randomHard: m.randomHard,
        });
      }
    }
    const present: number[] = [];
    byGroup.forEach((acc, g) => { if (acc) present.push(g); });
    for (const g of present.sort((a, b) => compareGroupKeys(groupKeys[a]!, groupKeys[b]!))) {
      const acc = byGroup[g]!;
      const [field, value] = groupKeys[g]!.split(SEP) as [string, string];
      groups.push({ condition: cond.id, field, value, ...acc.scores() } satisfies GroupScore & { condition: string });
    }
    for (const { personaId, pi } of personaOrder) {
      const acc = byPersona[pi]!;
      personaScores.push({ condition: cond.id, personaId, values: { ...personaValues(personas.get(personaId)) }, ...acc.scores() } satisfies PersonaScore & { condition: string });
    }
    return {
      condition: cond.id, ...(cond.label ? { label: cond.label } : {}), lang: cond.lang, model: cond.model, recorded: !!cond.recorded,
      scores: overall.scores(),
      acrossVariants: new Acc(0).scores(),
      funnel: funnels[ci]!,
      parse: parse[ci]!,
      consistency: { condition: cond.id, acrossVariants: NaN, variantPairs: 0, acrossSamples: NaN, sampleItems: 0, byQuestion: [] },
    };
  });

  // ---- 6. extra view: one vote across the variants of a (persona, question) -----------------------------------
  type Pooled = { pi: number; votes: Vote[]; s: number; q: QuestionInfo };
  const pooledAnswers: (number | null)[] = [];
  // Per condition: the pooled entry of each (persona, question) pair, and the pairs persona by persona (personas in
  // order of first appearance, then questions in order of first appearance). The same grouping gives consistency.
  const pooled = conditions.map((cond, ci) => {
    const lists: (ItemAcc[] | undefined)[] = new Array<ItemAcc[] | undefined>(pairQuestion.length);
    const personaPairs = new Map<string, number[]>();
    const agree = new Agreement();
    for (const it of items[ci]!) {
      const pair = pairOf[it.id]!;
      sortSamples(it);
      agree.addSamples(it.questionId, it.answers);
      const list = lists[pair];
      if (list) list.push(it);
      else {
        lists[pair] = [it];
        let pp = personaPairs.get(it.personaId);
        if (!pp) personaPairs.set(it.personaId, (pp = []));
        pp.push(pair);
      }
    }
    const byPair: (Pooled | undefined)[] = new Array<Pooled | undefined>(pairQuestion.length);
    const order: number[] = [];
    for (const [personaId, pairs] of personaPairs) {
      for (const pair of pairs) {
        const list = lists[pair]!;
        const questionId = pairQuestion[pair]!;
        let sorted = true;
        for (let i = 1; i < list.length; i++) if (list[i - 1]!.variant > list[i]!.variant) sorted = false;
        if (!sorted) list.sort((a, b) => a.variant - b.variant);
        // Consistency is about the model: every item counts, before any survey filter.
        for (const it of list) it.votes ??= majorityVote(it.answers, settings.tieBreak, settings.seed, settings.tieBreak === 'random' ? `${cond.id}${SEP}${itemKey(it.personaId, it.questionId, it.variant)}` : '');
        agree.addVariants(questionId, list);
        if (skip.has(questionId)) continue;
        const qi = questions.get(questionId)!;
        // Samples in variant order, then sample order (what `first` sees).
        pooledAnswers.length = 0;
        for (const it of list) for (const a of it.answers) pooledAnswers.push(a);
        const votes = majorityVote(pooledAnswers, settings.tieBreak, settings.seed, settings.tieBreak === 'random' ? `${cond.id}${SEP}${personaId}${SEP}${questionId}${SEP}pooled` : '');
        if (!votes.length) continue;
        const s = surveyAnswerOf(personaId, questionId, qi);
        if (typeof s === 'number') {
          byPair[pair] = { pi: indexOf(personaId), votes, s, q: qi };
          order.push(pair);
        }
      }
    }
    conditionScores[ci]!.consistency = agree.result(cond.id);
    return { byPair, order };
  });
  const inAll = (pair: number): boolean => pooled.every((p) => p.byPair[pair] !== undefined);
  const pooledCommon = settings.commonItems && conditions.length > 1;
  conditions.forEach((_, ci) => {
    const acc = new Acc(personaIndex.size);
    const { byPair, order } = pooled[ci]!;
    for (const pair of order) {
      if (pooledCommon && !inAll(pair)) continue;
      const e = byPair[pair]!;
      acc.add(voteMetrics(e.votes, e.s, e.q), e.pi);
    }
    conditionScores[ci]!.acrossVariants = acc.scores();
  });

  // ---- 7. distributions ----------------------------------------------------------------------------------------
  const distributions: DistributionScore[] = [];
  if (include.distributions) {
    conditions.forEach((cond, ci) => {
      type Hist = { q: QuestionInfo; field: string; value: string; model: number[]; survey: number[]; n: number };
      // question → histograms by dense group id, and in order of creation (the output order).
      const byQuestion = new Map<string, { byGroup: (Hist | undefined)[]; order: Hist[] }>();
      for (const sc of scored[ci]!) {
        const qi = questions.get(sc.questionId)!;
        let hist = byQuestion.get(sc.questionId);
        if (!hist) byQuestion.set(sc.questionId, (hist = { byGroup: [], order: [] }));
        for (let g = -1; g < PERSONA_GROUP_FIELDS.length; g++) {
          const gid = g < 0 ? ALL_GROUP : sc.pg[g]!;
          let h = hist.byGroup[gid];
          if (!h) {
            const [field, value] = groupKeys[gid]!.split(SEP) as [string, string];
            hist.byGroup[gid] = h = { q: qi, field, value, model: new Array<number>(qi.n).fill(0), survey: new Array<number>(qi.n).fill(0), n: 0 };
            hist.order.push(h);
          }
          for (const v of sc.votes) h.model[v.answer - 1]! += v.weight;
          h.survey[sc.s - 1]!++;
          h.n++;
        }
      }
      for (const h of [...byQuestion.values()].flatMap((m) => m.order)) {
        const model = toDistribution(h.model);
        const survey = toDistribution(h.survey);
        const dk = h.q.dontKnow;
        const ordinal = !h.q.nominal;
        const strip = (d: number[]): number[] => (dk === null ? d : d.filter((_, i) => i !== dk - 1));
        distributions.push({
          condition: cond.id, questionId: h.q.question.id, field: h.field, value: h.value, model, survey,
          jsSimilarity: 1 - jensenShannonDistance(model, survey),
          wassersteinSimilarity: ordinal ? wassersteinSimilarity(strip(model), strip(survey)) : null,
          items: h.n,
        });
      }
    });
  }

  // ---- 8. paired deltas -----------------------------------------------------------------------------------------
  const pairs = input.compare ?? (conditions.length >= 2 ? [[conditions[0]!.id, conditions[1]!.id] as [string, string]] : []);
  const deltas: PairedDelta[] = [];
  for (const [a, b] of pairs) {
    const ia = condIndex.get(a);
    const ib = condIndex.get(b);
    if (ia === undefined || ib === undefined) { warnings.push(`cannot compare ${a} and ${b}: unknown condition`); continue; }
    for (const metric of ['soft', 'hard'] as const) deltas.push(pairedDelta(a, b, metric, scored[ia]!, candidateById[ib]!, settings, include.personaDeltas && metric === 'soft'));
  }

  return {
    version: 1,
    settings,
    source: input.source ?? { kind: 'responses' },
    ...(input.read ? { read: input.read } : {}),
    conditions: conditionScores,
    groups,
    personas: personaScores,
    distributions,
    deltas,
    items: itemRows,
    unparsed,
    warnings,
  };
}

function sampleCounts(answers: readonly (number | null)[], n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const a of answers) if (a !== null) counts[a - 1]!++;
  return counts;
}

function parseContext(q: Question, cond: ScoringCondition): ParseContext {
  const options = q.options[cond.lang] ?? q.options.en ?? Object.values(q.options)[0] ?? [];
  return { options, allOptions: Object.values(q.options), dontKnowIndex: q.dontKnowIndex, reasoning: !!cond.reasoning };
}

function personaValues(p: Persona | undefined): Record<string, string | number> {
  if (!p) return {};
  return (p.values.en ?? Object.values(p.values)[0] ?? {}) as Record<string, string | number>;
}

// localeCompare(b, 'en', { numeric: true }) is specified as this collator's compare, which is built once here.
const groupKeyCollator = new Intl.Collator('en', { numeric: true });
function compareGroupKeys(a: string, b: string): number {
  return groupKeyCollator.compare(a, b);
}

/**
 * Agreement across paraphrase variants (voted answers of the variants of one persona × question, pairwise:
 * Σ_k w_i(k)·w_j(k) with tie shares) and across samples (valid samples of one item, pairwise), before any survey
 * filter: it is a property of the model.
 */
class Agreement {
  private sampleSum = 0;
  private sampleItems = 0;
  private variantSum = 0;
  private variantPairs = 0;
  private readonly byQuestion = new Map<string, [number, number, number, number]>();
  private readonly counts = new Int32Array(4096);

  private question(questionId: string): [number, number, number, number] {
    let q = this.byQuestion.get(questionId);
    if (!q) this.byQuestion.set(questionId, (q = [0, 0, 0, 0]));
    return q;
  }

  addSamples(questionId: string, answers: readonly (number | null)[]): void {
    const counts = this.counts;
    let valid = 0;
    let hi = 0;
    for (const a of answers) {
      if (a === null) continue;
      counts[a]!++;
      valid++;
      if (a > hi) hi = a;
    }
    let same = 0;
    for (let a = 0; a <= hi; a++) {
      const c = counts[a]!;
      same += c * (c - 1);
      counts[a] = 0;
    }
    if (valid < 2) return;
    const agree = same / (valid * (valid - 1));
    this.sampleSum += agree;
    this.sampleItems++;
    const q = this.question(questionId);
    q[2] += agree;
    q[3]++;
  }

  addVariants(questionId: string, items: readonly ItemAcc[]): void {
    let agree = 0;
    let pairs = 0;
    for (let i = 0; i < items.length; i++) {
      const x = items[i]!.votes!;
      if (!x.length) continue;
      for (let j = i + 1; j < items.length; j++) {
        const y = items[j]!.votes!;
        if (!y.length) continue;
        for (const u of x) for (const v of y) if (u.answer === v.answer) agree += u.weight * v.weight;
        pairs++;
      }
    }
    if (!pairs) return;
    this.variantSum += agree / pairs;
    this.variantPairs++;
    const q = this.question(questionId);
    q[0] += agree / pairs;
    q[1]++;
  }

  result(condition: string): ConsistencyScore {
    const qids = [...this.byQuestion.keys()].sort(compareGroupKeys);
    return {
      condition,
      acrossVariants: this.variantPairs ? this.variantSum / this.variantPairs : NaN,
      variantPairs: this.variantPairs,
      acrossSamples: this.sampleItems ? this.sampleSum / this.sampleItems : NaN,
      sampleItems: this.sampleItems,
      byQuestion: qids.map((questionId) => {
        const [vs, vn, ss, sn] = this.byQuestion.get(questionId)!;
        return { questionId, acrossVariants: vn ? vs / vn : NaN, acrossSamples: sn ? ss / sn : NaN };
      }),
    };
  }
}

/**
 * b − a on the items kept in both conditions. Overall and per group: the item-weighted mean difference, with a
 * bootstrap over personas (clusters) and a sign-flip test on per-persona sums (resamples shared by all groups).
 * Per persona: the mean item difference, bootstrap and sign flips over the persona's items.
 */
function pairedDelta(
  a: string, b: string, metric: 'soft' | 'hard', sa: readonly Scored[], sb: readonly (Scored | undefined)[],
  settings: ScoringSettings, perPersona: boolean,
): PairedDelta {
  const opts = (context: string) => ({
    seed: settings.seed, context: `${a}|${b}|${metric}|${context}`, bootstrap: settings.bootstrapResamples,
    permutations: settings.permutationResamples, confidence: settings.confidence,
  });
  const perPersonaDiffs = new Map<string, number[]>();
  const pairedItems: Scored[] = [];
  const diffs: number[] = [];
  for (const x of sa) {
    const y = sb[x.key];
    if (!y?.kept) continue;
    const d = y.m[metric] - x.m[metric];
    const list = perPersonaDiffs.get(x.personaId);
    if (list) list.push(d);
    else perPersonaDiffs.set(x.personaId, [d]);
    pairedItems.push(x);
    diffs.push(d);
  }
  // Personas are the clusters: resamples and sign flips are drawn once and shared by every group.
  const ids = [...perPersonaDiffs.keys()].sort();
  const k = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  // Per group (dense id, `all` first): per-persona sums and counts of the differences, in item order.
  const groupIds = new Map<string, number>([['all', 0]]);
  const clusters = [{ sums: new Float64Array(k), counts: new Float64Array(k) }];
  const add = (gk: string, pi: number, d: number): void => {
    let g = groupIds.get(gk);
    if (g === undefined) {
      groupIds.set(gk, (g = clusters.length));
      clusters.push({ sums: new Float64Array(k), counts: new Float64Array(k) });
    }
    const c = clusters[g]!;
    c.sums[pi]! += d;
    c.counts[pi]!++;
  };
  for (let j = 0; j < pairedItems.length; j++) {
    const x = pairedItems[j]!;
    const d = diffs[j]!;
    const pi = index.get(x.personaId)!;
    add('all', pi, d);
    for (const gk of x.pk) add(gk, pi, d);
    for (const gk of x.qk) add(gk, pi, d);
    add(x.vk, pi, d);
  }
  const resampler = new ClusterResampler(k, opts('clusters'));
  const groupKeys = [...groupIds.keys()].filter((gk) => gk !== 'all').sort(compareGroupKeys);
  const estimates = resampler.estimateMany([clusters[0]!, ...groupKeys.map((gk) => clusters[groupIds.get(gk)!]!)]);
  const groups = groupKeys.map((gk, i) => {
    const [field, value] = gk.split(SEP) as [string, string];
    return { field, value, ...estimates[i + 1]! };
  });
  let personas: (DeltaEstimate & { personaId: string })[] = [];
  if (perPersona && ids.length) {
    const items = new ItemResampler(Math.max(...[...perPersonaDiffs.values()].map((d) => d.length)), opts('items'));
    // Estimated by number of items (the resampler reuses its indices per length), listed by persona id.
    const lists = ids.map((personaId) => perPersonaDiffs.get(personaId)!);
    const byLength = ids.map((_, i) => i).sort((x, y) => lists[x]!.length - lists[y]!.length);
    const personaEstimates: DeltaEstimate[] = new Array<DeltaEstimate>(ids.length);
    for (const i of byLength) personaEstimates[i] = items.estimate(lists[i]!);
    personas = ids.map((personaId, i) => ({ personaId, ...personaEstimates[i]! }));
  }
  // Multiplicity hook: Holm and Benjamini–Hochberg within each table (multiplicity.ts).
  return {
    a, b, metric, overall: estimates[0]!, groups: adjustFamilies(groups, (g) => g.field), personas: adjustFamilies(personas, () => 'personas'),
    multiplicity: { ...MULTIPLICITY_METHODS, families: 'each breakdown field (e.g. all questions, all age groups) is one family; all personas are one family' },
  };
}
