import type { ExperimentSpec } from '../experiment';
import type { Persona, Question } from '../model';
import { ageBucket } from '../score/scoreResponses';
import type { ScoreReport, ScoringSettings } from '../score/types';
import type { Coverage, ReadSummary, ResultsCondition, ResultsInput, ResultsPersona, ScoredItem } from './types';

export interface RunMeta {
  runId: string;
  experiment: ExperimentSpec;
  createdAt: string;
  recorded: boolean;
  responses?: number;
  failedResponses?: number;
  read?: ReadSummary;
}

/**
 * Adapts scoring's report (src/core/score/) to the results views' input: kept items become scored items,
 * the item funnel becomes the coverage line, personas get their canonical (English) fields and age group.
 */
export function fromScoreReport(report: ScoreReport, meta: RunMeta, questions: Question[], personas: Persona[], settings: ScoringSettings): ResultsInput {
  const spec = meta.experiment;
  const conditions: ResultsCondition[] = spec.conditions.map((c) => ({ id: c.id, label: c.label ?? c.id, lang: c.lang, model: c.model, template: c.template }));
  const items: ScoredItem[] = report.items.map((it) => ({
    condition: it.condition, personaId: it.personaId, questionId: it.questionId, variant: it.variant,
    soft: it.soft, hard: it.hard, rSoft: it.randomSoft, rHard: it.randomHard,
    modelAnswer: it.votes.length === 1 ? it.votes[0].answer : null, surveyAnswer: it.surveyAnswer,
  }));
  const coverage: Record<string, Coverage> = {};
  for (const c of report.conditions) {
    const f = c.funnel;
    coverage[c.condition] = {
      items: f.itemsSeen, scored: f.kept, unparsed: f.noValidSample,
      noSurveyAnswer: f.missingSurveyAnswer + f.noRespondent + f.skippedQuestion, sameAnswer: f.sameAnswer, noResponse: 0, notCommon: f.notCommon,
    };
  }
  const rp: ResultsPersona[] = personas.map((p) => {
    const v = p.values.en ?? Object.values(p.values)[0];
    const str = (k: string) => (v && v[k] !== undefined && v[k] !== null && v[k] !== '' ? String(v[k]) : 'unknown');
    const age = v ? Number(v.age) : NaN;
    return {
      id: p.id, country: p.country, age: Number.isFinite(age) ? age : undefined,
      fields: { region: str('region'), sex: str('sex'), age: ageBucket(age, settings.ageBuckets), marital_status: str('marital_status'), education: str('education'), social_class: str('social_class') },
    };
  });
  const asked = new Set(report.items.map((i) => i.questionId));
  for (const u of report.unparsed) asked.add(u.questionId);
  return {
    runId: meta.runId, experimentName: spec.name, createdAt: meta.createdAt, recorded: meta.recorded,
    conditions, personas: rp,
    questions: questions.filter((q) => asked.has(q.id)).map((q) => ({ id: q.id, theme: q.theme, scale: q.scale })),
    items, compare: spec.scoring?.compare, seed: settings.seed, samples: spec.samples,
    responses: meta.responses, failedResponses: meta.failedResponses, coverage,
    stats: { settings: report.settings, conditions: report.conditions, groups: report.groups, deltas: report.deltas },
    ...(meta.read ? { read: meta.read } : {}),
  };
}
