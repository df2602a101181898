import { majorityVote, type Vote } from './majorityVote';
import type { FilteredItems } from './filterItems';
import type { ParsedSamples } from './parseSamples';
import type { ScoringCondition } from './scoreResponses';
import { Acc, SEP, compareGroupKeys, itemKey, sortSamples, voteMetrics, type ItemAcc, type QuestionInfo } from './scoringModel';
import type { ConditionScore, ConsistencyScore, ScoringSettings } from './types';

/**
 * Phase 6, the views across paraphrase variants: per condition, one vote over all samples of the variants of a
 * (persona, question) scored against the survey answer (`acrossVariants`, an extra view; the paper scores variants
 * as separate items), and the consistency of the model across variants and across samples, before any survey
 * filter. Fills both into `conditionScores`.
 */
export function poolVariants(
  conditions: readonly ScoringCondition[], settings: ScoringSettings, questions: ReadonlyMap<string, QuestionInfo>,
  parsed: ParsedSamples, filtered: FilteredItems, conditionScores: ConditionScore[],
): void {
  const { items, pairOf, pairQuestion } = parsed;
  const { survey, personaIndex } = filtered;
  const skip = new Set(settings.skipQuestions);
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
        const s = survey.of(personaId, questionId, qi);
        if (typeof s === 'number') {
          byPair[pair] = { pi: personaIndex.indexOf(personaId), votes, s, q: qi };
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
