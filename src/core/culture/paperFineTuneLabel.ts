import type { CountryTable } from './types';

/**
 * The answer label CultureLLM put in its fine-tuning files (`*_WVQ_*_50.jsonl`) for one country and question.
 * Rule, re-derived from the released data: floor of the arithmetic mean of ALL respondents' raw codes, the
 * negative missing codes included (this mean is exactly the `Avg` row the released per-country CSVs carry).
 * E.g. Iraq Q28: mean 2.109 → 2. Note that this is not the majority answer, and that including the negative
 * codes pulls the mean down. When no respondent answered (every code negative, the question was not asked in
 * that country) the rule gives a negative number; the released files still carry a label (4 for Q36 and
 * Q226 in Iraq and Jordan) that no rule on the answers can produce, so we return null there.
 */
export function paperFineTuneLabel(table: CountryTable, questionId: string): number | null {
  const column = table.codes[questionId];
  if (!column || column.length === 0) return null;
  let sum = 0;
  let answered = 0;
  for (let i = 0; i < column.length; i++) {
    sum += column[i]!;
    if (column[i]! >= 0) answered++;
  }
  if (answered === 0) return null;
  return Math.floor(sum / column.length);
}
