import type { PersonaQuestionCell, ResultsInput } from './types';

/**
 * The drill-down grid of one persona: per question, soft alignment per condition (mean over the scored
 * variants) and the respondent's answer. Unscored questions stay in the grid with null scores.
 */
export function personaQuestionCells(input: ResultsInput, personaId: string): PersonaQuestionCell[] {
  const cells = new Map<string, PersonaQuestionCell & { n: Record<string, number> }>();
  for (const q of input.questions) cells.set(q.id, { questionId: q.id, theme: q.theme, soft: {}, surveyAnswer: null, n: {} });
  for (const it of input.items) {
    if (it.personaId !== personaId) continue;
    const cell = cells.get(it.questionId);
    if (!cell) continue;
    if (typeof it.surveyAnswer === 'number') cell.surveyAnswer = it.surveyAnswer;
    if (it.dropped || typeof it.soft !== 'number') {
      if (!(it.condition in cell.soft)) cell.soft[it.condition] = null;
      continue;
    }
    cell.soft[it.condition] = (cell.soft[it.condition] ?? 0) + it.soft;
    cell.n[it.condition] = (cell.n[it.condition] ?? 0) + 1;
  }
  return [...cells.values()].map(({ n, ...cell }) => {
    for (const c of Object.keys(cell.soft)) cell.soft[c] = n[c] ? (cell.soft[c] as number) / n[c] : null;
    return cell;
  });
}
