import { parseAnswer } from './parseAnswer';
import type { ScoreInput } from './scoreResponses';
import {
  FAILED, FIRST_REASON, NO_ANSWERS, NO_IDS, NO_KEYS, OUTCOMES, UNSCORED, parseContext,
  type CachedParse, type ItemAcc, type PersonaRec, type QuestionInfo,
} from './scoringModel';
import type { ParseRule, ParseSummary, ScoringSample, ScoringSettings, UnparsedReason, UnparsedSample } from './types';

/** Phase 1's result: every item of every condition with its parsed samples, and the parse counts. */
export interface ParsedSamples {
  /** Per condition: items by dense item id, and in order of first sample. */
  itemById: (ItemAcc | undefined)[][];
  items: ItemAcc[][];
  /** What scoring keeps per persona id seen in the samples. */
  ids: Map<string, PersonaRec>;
  /** Number of item ids (an item id is shared by the same persona, question and variant in every condition). */
  itemCount: number;
  /** The (persona, question) pair of each item id, and the question of each pair (dense ids). */
  pairOf: number[];
  pairQuestion: string[];
  parse: ParseSummary[];
  unparsed: UnparsedSample[];
}

/**
 * Phase 1, parse and group: every sampled reply parsed into an option number (cached per condition and
 * question: replies repeat a lot), grouped into items (condition, persona, question, variant), outcomes counted
 * per condition. Samples of unknown conditions or questions are counted into `warnings`.
 */
export function parseSamples(input: ScoreInput, settings: ScoringSettings, questions: ReadonlyMap<string, QuestionInfo>, warnings: string[], includeUnparsed: boolean): ParsedSamples {
  const conditions = input.conditions;
  const condIndex = new Map(conditions.map((c, i) => [c.id, i]));
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
    if (c.parsed.answer === null && includeUnparsed) {
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
  return { itemById, items, ids, itemCount: nextId, pairOf, pairQuestion, parse, unparsed };
}
