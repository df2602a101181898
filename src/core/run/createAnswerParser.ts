import type { ExperimentSpec } from '../experiment';
import { parseAnswer } from '../score/parseAnswer';
import { scoringSettings } from '../score/scoringSettings';
import type { WorkItem } from './WorkItem';

/** The write-time parse of a reply (informational; scoring re-parses), shared by live runs and batch import. */
export function createAnswerParser(spec: ExperimentSpec): (text: string, item: Pick<WorkItem, 'condition' | 'options'>) => number | null {
  const settings = scoringSettings(spec.scoring?.profile ?? 'paper');
  // Declared by the condition (or its template's front matter, see declareTemplateReasoning), never guessed from a name.
  const reasoning = new Set(spec.conditions.filter((c) => c.reasoning === true).map((c) => c.id));
  return (text, item) => parseAnswer(text, { options: item.options ?? [], reasoning: reasoning.has(item.condition) }, settings).answer;
}
