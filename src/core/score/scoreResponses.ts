import type { Persona, Question } from '../model';
import { aggregateScores } from './aggregateScores';
import { filterItems } from './filterItems';
import { pairedDelta } from './pairedDelta';
import { parseSamples } from './parseSamples';
import { poolVariants } from './poolVariants';
import { scoreDistributions } from './scoreDistributions';
import { scoreKeptItems } from './scoreKeptItems';
import { questionInfos } from './scoringModel';
import type { PairedDelta, ScoreReport, ScoringSample, ScoringSettings } from './types';

export { ageBucket, ITEM_GROUP_FIELDS, PERSONA_GROUP_FIELDS } from './scoringModel';

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


/**
 * Score sampled replies against the real answers of the personas' respondents (AlKhamissi et al. 2024).
 * Steps: parse every sample → majority vote per (condition, persona, question, variant) item → drop items with
 * no valid sample, no respondent, a missing survey answer, or (same-answer filter) the same answer as the twin
 * respondent of the other country → (paper protocol, several conditions) keep only items kept in every
 * condition → per-item soft/hard scores and random baselines → means, breakdowns, distributions, consistency
 * and paired deltas. Pure: reads nothing, writes nothing; rescoring with other settings never re-queries.
 *
 * The phases live in their own modules: parseSamples → filterItems (vote, funnel) → scoreKeptItems (common items,
 * item scores) → aggregateScores, poolVariants (across variants, consistency), scoreDistributions, pairedDelta.
 */
export function scoreResponses(input: ScoreInput, settings: ScoringSettings): ScoreReport {
  const include = { items: true, unparsed: true, personaDeltas: true, distributions: true, ...input.include };
  const warnings: string[] = [];
  const q = input.read?.quarantined.length ?? 0;
  if (q) warnings.push(`${q} unreadable line(s) of ${input.read!.file} quarantined, not scored: ${input.read!.quarantined.slice(0, 10).map((x) => `line ${x.line}`).join(', ')}${q > 10 ? ', …' : ''}`);
  const questions = questionInfos(input.questions, settings);
  const conditions = input.conditions;

  const parsed = parseSamples(input, settings, questions, warnings, include.unparsed);
  const filtered = filterItems(input, settings, questions, parsed, warnings);
  const scored = scoreKeptItems(conditions.length, parsed.itemCount, settings, filtered);
  const { conditionScores, groups, personaScores, itemRows } = aggregateScores(conditions, scored, filtered, parsed.parse, questions, include.items);
  poolVariants(conditions, settings, questions, parsed, filtered, conditionScores);
  const distributions = include.distributions ? scoreDistributions(conditions, scored, filtered, questions) : [];

  const condIndex = new Map(conditions.map((c, i) => [c.id, i]));
  const pairs = input.compare ?? (conditions.length >= 2 ? [[conditions[0]!.id, conditions[1]!.id] as [string, string]] : []);
  const deltas: PairedDelta[] = [];
  for (const [a, b] of pairs) {
    const ia = condIndex.get(a);
    const ib = condIndex.get(b);
    if (ia === undefined || ib === undefined) { warnings.push(`cannot compare ${a} and ${b}: unknown condition`); continue; }
    for (const metric of ['soft', 'hard'] as const) deltas.push(pairedDelta(a, b, metric, scored[ia]!, filtered.candidateById[ib]!, settings, include.personaDeltas && metric === 'soft'));
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
    unparsed: parsed.unparsed,
    warnings,
  };
}
