import type { Persona } from '../model';
import { majorityVote } from './majorityVote';
import type { ParsedSamples } from './parseSamples';
import { respondentKey } from './respondentKey';
import type { ScoreInput } from './scoreResponses';
import {
  ALL_KEY, GroupIndex, PERSONA_GROUP_FIELDS, PersonaIndex, SEP, VARIANT_KEYS, ageBucket, itemKey, personaValues, sortSamples,
  type PersonaRec, type QuestionInfo, type Scored,
} from './scoringModel';
import type { ItemFunnel, ScoringSettings } from './types';

/**
 * The survey answer of an item's respondent, or the funnel bucket saying why there is none. It depends on
 * (persona, question) only, so it is memoised per persona row; `noTwin` counts lookups whose respondent has no
 * (or an ambiguous) twin, which the same-answer filter cannot apply to.
 */
export class SurveyAnswers {
  noTwin = 0;
  private readonly personas: Map<string, Persona>;
  private readonly twinByKey = new Map<string, Persona | null>();
  private readonly twinOf = new Map<string, Persona | null>();
  private readonly skip: Set<string>;
  private readonly hasTwins: boolean;

  constructor(input: ScoreInput, private readonly settings: ScoringSettings, private readonly ids: ReadonlyMap<string, PersonaRec>) {
    this.personas = new Map(input.personas.map((p) => [p.id, p]));
    this.hasTwins = !!input.twins;
    for (const t of input.twins ?? []) {
      const k = respondentKey(t.values.en ?? Object.values(t.values)[0]!);
      this.twinByKey.set(k, this.twinByKey.has(k) ? null : t); // null = ambiguous
    }
    this.skip = new Set(settings.skipQuestions);
  }

  persona(personaId: string): Persona | undefined {
    return this.personas.get(personaId);
  }

  private lookup(personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel {
    if (this.skip.has(questionId)) return 'skippedQuestion';
    const p = this.personas.get(personaId);
    if (!p) return 'noRespondent';
    const s = p.answers[questionId];
    // The same-answer test comes before the missing-answer test, as in the authors' scripts
    // (wvs_compute_alignment.py): a respondent and a twin who both lack an answer count as "same answer". Only the
    // funnel counts change; the kept items are the same.
    let twinMissing = false;
    if (this.settings.sameAnswerFilter && this.hasTwins) {
      let twin = this.twinOf.get(personaId);
      if (twin === undefined) this.twinOf.set(personaId, (twin = this.twinByKey.get(respondentKey(p.values.en ?? Object.values(p.values)[0]!)) ?? null));
      if (!twin) twinMissing = true;
      else if ((twin.answers[questionId] ?? null) === (s ?? null)) return 'sameAnswer';
    }
    if (s === null || s === undefined || !Number.isInteger(s) || s < 1 || s > qi.n) return 'missingSurveyAnswer';
    if (twinMissing) this.noTwin++;
    return s;
  }

  /** The answer of a persona seen in the samples. */
  of(personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel {
    return this.in(this.ids.get(personaId)!.survey, personaId, questionId, qi);
  }

  /** Memo per persona row: the answer, or −answer when there was no twin (counted per call), or the funnel bucket. */
  in(row: PersonaRec['survey'], personaId: string, questionId: string, qi: QuestionInfo): number | keyof ItemFunnel {
    let r = row[qi.index];
    if (r === undefined) {
      const before = this.noTwin;
      r = this.lookup(personaId, questionId, qi);
      if (this.noTwin !== before && typeof r === 'number') r = -r;
      row[qi.index] = r;
      return typeof r === 'number' ? Math.abs(r) : r;
    }
    if (typeof r === 'number' && r < 0) {
      this.noTwin++;
      return -r;
    }
    return r;
  }
}

/** Phase 2's result: the candidates of each condition (voted, with a survey answer), the funnel, the group ids. */
export interface FilteredItems {
  funnels: ItemFunnel[];
  /** Candidates in item order, and by item id (for the common-items protocol and paired deltas). */
  candidates: Scored[][];
  candidateById: (Scored | undefined)[][];
  groups: GroupIndex;
  /** Group id of `all`. */
  allGroup: number;
  personaIndex: PersonaIndex;
  survey: SurveyAnswers;
}

/**
 * Phase 2, vote and filter: the majority vote of every item, then the funnel — skipped question, no valid
 * sample, no respondent, same answer as the twin (filter), missing survey answer — each dropped item counted
 * once. A candidate gets its survey answer and its breakdown group keys (computed once per persona and question).
 */
export function filterItems(input: ScoreInput, settings: ScoringSettings, questions: ReadonlyMap<string, QuestionInfo>, parsed: ParsedSamples, warnings: string[]): FilteredItems {
  const conditions = input.conditions;
  const { items, parse, ids } = parsed;
  const skip = new Set(settings.skipQuestions);
  const survey = new SurveyAnswers(input, settings, ids);
  const funnels: ItemFunnel[] = conditions.map(() => ({ itemsSeen: 0, noValidSample: 0, noRespondent: 0, missingSurveyAnswer: 0, sameAnswer: 0, notCommon: 0, skippedQuestion: 0, kept: 0 }));
  const candidates: Scored[][] = conditions.map(() => []);
  const candidateById: (Scored | undefined)[][] = conditions.map(() => new Array<Scored | undefined>(parsed.itemCount));
  // Breakdown group keys, computed once per persona and per item, and their dense ids.
  const personaGroupCache = new Map<string, string[]>();
  const questionGroupCache = new Map<string, string[]>();
  const variantGroupIds = new Map<number, number>();
  const groups = new GroupIndex();
  const groupId = (gk: string): number => groups.id(gk);
  const allGroup = groupId(ALL_KEY);
  const personaIndex = new PersonaIndex();
  const personaKeys = (personaId: string): string[] => {
    let pk = personaGroupCache.get(personaId);
    if (!pk) {
      const values = personaValues(survey.persona(personaId));
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
      const s = survey.in(rec.survey, it.personaId, it.questionId, qi);
      if (typeof s !== 'number') { f[s]++; continue; }
      const pk = (rec.pk ??= personaKeys(it.personaId));
      const qk = (qi.qk ??= questionKeys(it.questionId));
      const vk = VARIANT_KEYS[it.variant] ?? `variant${SEP}${it.variant}`;
      const pg = (rec.pg ??= pk.map(groupId));
      const qg = (qi.qg ??= qk.map(groupId));
      let vg = variantGroupIds.get(it.variant);
      if (vg === undefined) variantGroupIds.set(it.variant, (vg = groupId(vk)));
      if (rec.pi < 0) rec.pi = personaIndex.indexOf(it.personaId);
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
  if (survey.noTwin) warnings.push(`${survey.noTwin} items had no (or an ambiguous) twin respondent: the same-answer filter could not apply to them`);
  return { funnels, candidates, candidateById, groups, allGroup, personaIndex, survey };
}
