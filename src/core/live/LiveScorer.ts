// Incremental scoring for live results: every record that lands updates one item (parse, vote, filters) and the
// per-persona / per-condition partial sums it touches, never rescoring the rest. The rules are scoring's own
// (parseAnswer, majorityVote, scoreItem, the same funnel and the paper's common-items protocol), and a snapshot
// equals `scoreResponses` on the same records: per-condition scores and funnel, the headline delta with its
// persona bootstrap CI and sign-flip p-value (test/unit/core/live/LiveScorer.test.ts checks it on the example run).
import type { Persona, Question } from '../model';
import { majorityVote } from '../score/majorityVote';
import { ClusterResampler } from '../score/pairedStatistics';
import { parseAnswer, type ParseContext } from '../score/parseAnswer';
import { respondentKey } from '../score/respondentKey';
import type { ScoringCondition } from '../score/scoreResponses';
import { normalise, type ItemMetrics, type ItemQuestion } from '../score/scoreItem';
import { parseContext, voteMetrics } from '../score/scoringModel';
import type { AlignmentScores, DeltaEstimate, ItemFunnel, ScoringSettings } from '../score/types';

/** What the scorer needs about the run's plan: how many samples each persona will get, which variants are asked. */
export interface LivePlan {
  samples: number;
  /** Variant indices asked for a question in a condition. */
  variants(conditionId: string, questionId: string): readonly number[];
}

export interface LiveScorerInput {
  questions: Question[];
  conditions: ScoringCondition[];
  /** The run's personas (respondents with their answers), in plan order. */
  personas: Persona[];
  twins?: Persona[];
  settings: ScoringSettings;
  /** Headline pair (delta = b − a); default the first two conditions. */
  pair?: [string, string] | null;
  plan?: LivePlan;
}

/** One record as the live scorer reads it (a ResponseRecord is one). */
export interface LiveRecord {
  hash?: string;
  condition: string;
  personaId: string;
  questionId: string;
  variant: number;
  sample: number;
  text: string | null;
}

export interface LiveConditionScore {
  condition: string;
  scores: AlignmentScores;
  funnel: ItemFunnel;
  /** Items the plan asks in this condition (0 without a plan). */
  itemsPlanned: number;
}

export interface LiveHeadline {
  a: string;
  b: string;
  /** Soft b − a over the items kept in both: the persona bootstrap CI and sign-flip test of scoring. */
  soft: DeltaEstimate;
  /** Hard b − a (point estimate). */
  hard: number;
  /** Paired items behind it. */
  items: number;
}

export interface LiveScores {
  /** Records read (one per sample: the first answer wins, a failure is replaced by a later answer, as the run reader does). */
  records: number;
  samplesPlanned: number;
  personasPlanned: number;
  /** Personas with at least one record / with every planned sample. */
  personasStarted: number;
  personasComplete: number;
  conditions: LiveConditionScore[];
  headline: LiveHeadline | null;
}

type Bucket = 'skippedQuestion' | 'noValidSample' | 'noRespondent' | 'missingSurveyAnswer' | 'sameAnswer' | 'notCommon' | 'kept';

interface QInfo extends ItemQuestion {
  id: string;
  index: number;
  question: Question;
  memo: (ItemMetrics | undefined)[];
}

interface Item {
  /** Sample indices and parsed answers, kept sorted by sample index (what the vote sees). */
  idx: number[];
  answers: (number | null)[];
  /** The item's own outcome: a drop bucket, or null when it is a candidate (then `m` holds its scores). */
  own: Exclude<Bucket, 'notCommon' | 'kept'> | null;
  m: ItemMetrics | null;
  /** The scores it adds to its condition's sums now (kept), or null. */
  km: ItemMetrics | null;
  /** What it counts as now (own bucket, notCommon or kept). */
  bucket: Bucket | null;
}

interface Slot {
  persona: PersonaState;
  q: QInfo;
  variant: number;
  items: (Item | undefined)[];
  /** Paired soft / hard difference it contributes (b − a), or null. */
  pairedSoft: number | null;
  pairedHard: number | null;
}

interface PersonaState {
  id: string;
  persona: Persona | undefined;
  /** Survey answer (or drop bucket) by question index. */
  survey: (number | Bucket | undefined)[];
  slots: Map<number, Slot>;
  /** Kept items per condition (for the distinct-persona counts). */
  kept: Int32Array;
  pairedSoft: number;
  pairedHard: number;
  pairedCount: number;
  received: number;
  planned: number;
  /** Planned samples seen (see `add`). */
  samplesSeen: Set<number>;
  /** Per sample (the key of samplesSeen): whether the record kept for it is an answer (true) or a failure (false). */
  recorded: Map<number, boolean>;
  /** Upper bound of its paired items, from the survey alone (the confidence sequence's bound). */
  maxPaired: number;
}

interface CondTotals {
  soft: number;
  hard: number;
  rs: number;
  rh: number;
  n: number;
  personas: number;
  funnel: ItemFunnel;
  itemsPlanned: number;
}

const SEP = '\u0000';
const NONE: string[] = [];

export class LiveScorer {
  readonly settings: ScoringSettings;
  readonly conditions: readonly ScoringCondition[];
  readonly pair: [string, string] | null;
  private readonly condIndex: Map<string, number>;
  private readonly questions = new Map<string, QInfo>();
  private readonly personaById = new Map<string, Persona>();
  private readonly twinByKey = new Map<string, Persona | null>();
  private readonly skip: Set<string>;
  private readonly states = new Map<string, PersonaState>();
  private readonly totals: CondTotals[];
  /** Parsed answers by condition, question and reply text (replies repeat a lot: "2", "(3) Agree"). */
  private readonly parseCaches: Map<string, number | null>[][];
  private readonly contexts: ParseContext[][];
  private readonly pa: number;
  private readonly pb: number;
  private readonly common: boolean;
  private readonly plannedPerPersona: number;
  private records = 0;
  private complete = 0;
  /** Personas that just got their last planned sample (drained by `takeCompleted`). */
  private completedQueue: string[] = [];
  readonly personasPlanned: number;
  readonly samplesPlanned: number;
  /** Largest a priori paired-item count of a planned persona (the confidence sequence's `maxCount`). */
  readonly maxPairedItems: number;

  constructor(private readonly input: LiveScorerInput) {
    const { settings, conditions } = input;
    this.settings = settings;
    this.conditions = conditions;
    this.condIndex = new Map(conditions.map((c, i) => [c.id, i]));
    for (const q of input.questions) {
      const n = Math.max(0, ...Object.values(q.options).map((o) => o.length));
      this.questions.set(q.id, {
        id: q.id, index: this.questions.size, question: q, n, memo: [],
        dontKnow: q.dontKnowIndex === null || q.dontKnowIndex === undefined ? null : q.dontKnowIndex + 1,
        nominal: settings.nominalQuestions.includes(q.id) || q.scale === 'nominal',
      });
    }
    for (const p of input.personas) this.personaById.set(p.id, p);
    for (const t of input.twins ?? []) {
      const k = respondentKey(t.values.en ?? Object.values(t.values)[0]!);
      this.twinByKey.set(k, this.twinByKey.has(k) ? null : t);
    }
    this.skip = new Set(settings.skipQuestions);
    this.parseCaches = conditions.map(() => input.questions.map(() => new Map()));
    this.contexts = conditions.map((c) => input.questions.map((q) => parseContext(q, c)));
    const wanted = input.pair === undefined ? (conditions.length >= 2 ? [conditions[0]!.id, conditions[1]!.id] as [string, string] : null) : input.pair;
    this.pair = wanted && this.condIndex.has(wanted[0]) && this.condIndex.has(wanted[1]) && wanted[0] !== wanted[1] ? wanted : null;
    this.pa = this.pair ? this.condIndex.get(this.pair[0])! : -1;
    this.pb = this.pair ? this.condIndex.get(this.pair[1])! : -1;
    this.common = settings.commonItems && conditions.length > 1;
    const plan = input.plan;
    let perPersona = 0;
    const itemsPlanned = conditions.map((c) => {
      let items = 0;
      if (plan) for (const q of input.questions) items += plan.variants(c.id, q.id).length;
      perPersona += items * (plan?.samples ?? 0);
      return items * input.personas.length;
    });
    this.plannedPerPersona = perPersona;
    this.totals = conditions.map((_, i) => ({
      soft: 0, hard: 0, rs: 0, rh: 0, n: 0, personas: 0, itemsPlanned: itemsPlanned[i]!,
      funnel: { itemsSeen: 0, noValidSample: 0, noRespondent: 0, missingSurveyAnswer: 0, sameAnswer: 0, notCommon: 0, skippedQuestion: 0, kept: 0 },
    }));
    this.personasPlanned = input.personas.length;
    this.samplesPlanned = perPersona * input.personas.length;
    let maxPaired = 0;
    for (const p of input.personas) maxPaired = Math.max(maxPaired, this.state(p.id).maxPaired);
    this.maxPairedItems = maxPaired;
  }

  /**
   * Adds one record; returns false when it is not scored: the sample already has an answer (as in the
   * run reader) or an unknown condition/question.
   */
  add(r: LiveRecord): boolean {
    const ci = this.condIndex.get(r.condition);
    const q = this.questions.get(r.questionId);
    if (ci === undefined || !q) return false;
    const ps = this.state(r.personaId);
    // Completeness counts each planned (condition, question, variant, sample) once, whatever its hash: two items
    // with the same prompt share a request hash, and a failed sample asked again on resume gets a second record.
    const sampleKey = ((q.index * 4096 + r.variant) * this.conditions.length + ci) * 1024 + r.sample;
    if (!ps.samplesSeen.has(sampleKey)) {
      ps.samplesSeen.add(sampleKey);
      if (++ps.received === ps.planned && ps.planned > 0) {
        this.complete++;
        this.completedQueue.push(ps.id);
      }
    }
    // One record per sample, the first answer wins (a failure is replaced by a later answer), as the run reader does.
    const kept = ps.recorded.get(sampleKey);
    if (kept === true || (kept === false && r.text === null)) return false;
    const key = q.index * 4096 + r.variant;
    if (kept === false) {
      const slot = ps.slots.get(key)!;
      const it = slot.items[ci]!;
      it.answers[it.idx.indexOf(r.sample)] = this.parse(ci, q, r.text);
      ps.recorded.set(sampleKey, true);
      this.rescoreItem(ci, slot, it);
      this.resettle(slot);
      return true;
    }
    ps.recorded.set(sampleKey, r.text !== null);
    this.records++;
    let slot = ps.slots.get(key);
    if (!slot) ps.slots.set(key, (slot = { persona: ps, q, variant: r.variant, items: new Array(this.conditions.length), pairedSoft: null, pairedHard: null }));
    let it = slot.items[ci];
    const fresh = !it;
    if (!it) slot.items[ci] = it = { idx: [], answers: [], own: null, m: null, km: null, bucket: null };
    // Insert in sample order (after equal indices, as a stable sort would).
    let at = it.idx.length;
    while (at > 0 && it.idx[at - 1]! > r.sample) at--;
    it.idx.splice(at, 0, r.sample);
    it.answers.splice(at, 0, this.parse(ci, q, r.text));
    if (fresh) this.totals[ci]!.funnel.itemsSeen++;
    this.rescoreItem(ci, slot, it);
    this.resettle(slot);
    return true;
  }

  /** Personas that received their last planned sample since the previous call. */
  takeCompleted(): string[] {
    if (this.completedQueue.length === 0) return NONE;
    const out = this.completedQueue;
    this.completedQueue = [];
    return out;
  }

  /** A persona's paired soft differences (sum, count) and whether every planned sample of it has arrived. */
  paired(personaId: string): { sum: number; count: number; complete: boolean } {
    const ps = this.states.get(personaId);
    if (!ps) return { sum: 0, count: 0, complete: false };
    return { sum: ps.pairedSoft, count: ps.pairedCount, complete: ps.planned > 0 && ps.received >= ps.planned };
  }

  get recordCount(): number {
    return this.records;
  }

  /** Per-condition scores and funnel, and the headline delta with scoring's bootstrap CI and p-value. */
  scores(options: { resamples?: number } = {}): LiveScores {
    const conditions: LiveConditionScore[] = this.conditions.map((c, i) => {
      const t = this.totals[i]!;
      const n = t.n || NaN;
      const soft = t.soft / n;
      const hard = t.hard / n;
      const randomSoft = t.rs / n;
      const randomHard = t.rh / n;
      return {
        condition: c.id,
        scores: { soft, hard, randomSoft, randomHard, softNorm: normalise(soft, randomSoft), hardNorm: normalise(hard, randomHard), items: t.n, personas: t.personas },
        funnel: { ...t.funnel }, itemsPlanned: t.itemsPlanned,
      };
    });
    let started = 0;
    for (const s of this.states.values()) if (s.received > 0) started++;
    return {
      records: this.records, samplesPlanned: this.samplesPlanned, personasPlanned: this.personasPlanned,
      personasStarted: started, personasComplete: this.complete, conditions, headline: this.headline(options.resamples),
    };
  }

  private headline(resamples?: number): LiveHeadline | null {
    if (!this.pair) return null;
    const [a, b] = this.pair;
    // Clusters as scoring forms them: personas with a paired item, sorted by id.
    const ids: string[] = [];
    for (const s of this.states.values()) if (s.pairedCount > 0) ids.push(s.id);
    ids.sort();
    const k = ids.length;
    const sums = new Float64Array(k);
    const counts = new Float64Array(k);
    let hard = 0;
    let items = 0;
    ids.forEach((id, i) => {
      const s = this.states.get(id)!;
      sums[i] = s.pairedSoft;
      counts[i] = s.pairedCount;
      hard += s.pairedHard;
      items += s.pairedCount;
    });
    const st = this.settings;
    const R = resamples ?? st.bootstrapResamples;
    const opts = { seed: st.seed, context: `${a}|${b}|soft|clusters`, bootstrap: R, permutations: resamples ?? st.permutationResamples, confidence: st.confidence };
    const soft = k ? new ClusterResampler(k, opts).estimate(sums, counts) : { delta: NaN, ciLow: NaN, ciHigh: NaN, pValue: NaN, n: 0 };
    return { a, b, soft, hard: items ? hard / items : NaN, items };
  }

  private state(personaId: string): PersonaState {
    let s = this.states.get(personaId);
    if (!s) {
      s = {
        id: personaId, persona: this.personaById.get(personaId), survey: [], slots: new Map(), kept: new Int32Array(this.conditions.length),
        pairedSoft: 0, pairedHard: 0, pairedCount: 0, received: 0, samplesSeen: new Set(), recorded: new Map(), planned: this.personaById.has(personaId) ? this.plannedPerPersona : 0, maxPaired: 0,
      };
      this.states.set(personaId, s);
      const plan = this.input.plan;
      if (plan && this.pair && s.persona) {
        for (const q of this.questions.values()) {
          if (typeof this.surveyAnswer(s, q) !== 'number') continue;
          const vb = new Set(plan.variants(this.pair[1], q.id));
          s.maxPaired += plan.variants(this.pair[0], q.id).filter((v) => vb.has(v)).length;
        }
      }
    }
    return s;
  }

  private parse(ci: number, q: QInfo, text: string | null): number | null {
    if (text === null) return null;
    const cache = this.parseCaches[ci]![q.index]!;
    let a = cache.get(text);
    if (a === undefined) {
      a = parseAnswer(text, this.contexts[ci]![q.index]!, this.settings).answer;
      cache.set(text, a);
    }
    return a;
  }

  /** Survey answer of the persona's respondent, or the bucket that drops the item (scoring's rules, same order). */
  private surveyAnswer(ps: PersonaState, q: QInfo): number | Bucket {
    let r = ps.survey[q.index];
    if (r !== undefined) return r;
    const st = this.settings;
    const p = ps.persona;
    if (this.skip.has(q.id)) r = 'skippedQuestion';
    else if (!p) r = 'noRespondent';
    else {
      const s = p.answers[q.id];
      // The same-answer test before the missing-answer test, as scoring (filterItems.ts) and the authors' scripts.
      const twin = st.sameAnswerFilter && this.input.twins ? (this.twinByKey.get(respondentKey(p.values.en ?? Object.values(p.values)[0]!)) ?? null) : null;
      if (twin && (twin.answers[q.id] ?? null) === (s ?? null)) r = 'sameAnswer';
      else if (s === null || s === undefined || !Number.isInteger(s) || s < 1 || s > q.n) r = 'missingSurveyAnswer';
      else r = s;
    }
    ps.survey[q.index] = r;
    return r;
  }

  private rescoreItem(ci: number, slot: Slot, it: Item): void {
    const q = slot.q;
    it.m = null;
    if (this.skip.has(q.id)) {
      it.own = 'skippedQuestion';
      return;
    }
    const st = this.settings;
    const cond = this.conditions[ci]!;
    const votes = majorityVote(it.answers, st.tieBreak, st.seed, st.tieBreak === 'random' ? `${cond.id}${SEP}${slot.persona.id}${SEP}${q.id}${SEP}${slot.variant}` : '');
    if (votes.length === 0) {
      it.own = 'noValidSample';
      return;
    }
    const s = this.surveyAnswer(slot.persona, q);
    if (typeof s !== 'number') {
      it.own = s as Item['own'];
      return;
    }
    it.own = null;
    it.m = voteMetrics(votes, s, q);
  }

  /** Re-derives what every item of the slot counts as (common items) and moves the sums that changed. */
  private resettle(slot: Slot): void {
    const C = this.conditions.length;
    let candidates = 0;
    for (let c = 0; c < C; c++) if (slot.items[c] && slot.items[c]!.own === null) candidates++;
    const ps = slot.persona;
    for (let c = 0; c < C; c++) {
      const it = slot.items[c];
      if (!it) continue;
      const next: Bucket = it.own ?? (this.common && candidates !== C ? 'notCommon' : 'kept');
      const t = this.totals[c]!;
      if (it.bucket === 'kept') this.unkeep(t, ps, c, it);
      if (it.bucket !== next) {
        if (it.bucket) t.funnel[it.bucket]--;
        t.funnel[next]++;
        it.bucket = next;
      }
      if (next === 'kept') this.keep(t, ps, c, it);
    }
    // Paired contribution (b − a) on items kept in both.
    let soft: number | null = null;
    let hard: number | null = null;
    if (this.pair) {
      const a = slot.items[this.pa];
      const b = slot.items[this.pb];
      if (a?.bucket === 'kept' && b?.bucket === 'kept') {
        soft = b.m!.soft - a.m!.soft;
        hard = b.m!.hard - a.m!.hard;
      }
    }
    if (slot.pairedSoft !== null) {
      ps.pairedSoft -= slot.pairedSoft;
      ps.pairedHard -= slot.pairedHard!;
      ps.pairedCount--;
    }
    if (soft !== null) {
      ps.pairedSoft += soft;
      ps.pairedHard += hard!;
      ps.pairedCount++;
    }
    // A persona back to no paired item gets exact zeros (no float residue from add/subtract).
    if (ps.pairedCount === 0) ps.pairedSoft = ps.pairedHard = 0;
    slot.pairedSoft = soft;
    slot.pairedHard = hard;
  }

  private keep(t: CondTotals, ps: PersonaState, c: number, it: Item): void {
    const m = it.m!;
    it.km = m;
    t.soft += m.soft;
    t.hard += m.hard;
    t.rs += m.randomSoft;
    t.rh += m.randomHard;
    t.n++;
    if (ps.kept[c]!++ === 0) t.personas++;
  }

  private unkeep(t: CondTotals, ps: PersonaState, c: number, it: Item): void {
    const m = it.km!;
    it.km = null;
    t.soft -= m.soft;
    t.hard -= m.hard;
    t.rs -= m.randomSoft;
    t.rh -= m.randomHard;
    t.n--;
    if (--ps.kept[c]! === 0) t.personas--;
  }
}
