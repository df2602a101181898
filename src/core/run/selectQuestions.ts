import type { ExperimentSpec } from '../experiment';
import type { Question } from '../model';

/** The questions an experiment asks, in the experiment's order ("all" or absent = every question). */
export function selectQuestions(questions: readonly Question[], spec: ExperimentSpec): Question[] {
  if (!spec.questions || spec.questions === 'all') return [...questions];
  const byId = new Map(questions.map((q) => [q.id, q]));
  return spec.questions.map((id) => byId.get(id)).filter((q): q is Question => q !== undefined);
}
