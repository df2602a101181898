import type { ExperimentSpec } from '../experiment';
import { parseAnswer } from '../score/parseAnswer';
import { scoringSettings } from '../score/scoringSettings';
import type { WorkItem } from './WorkItem';

/** The write-time parse of a reply (informational; scoring re-parses), shared by live runs and batch import. */
export function createAnswerParser(spec: ExperimentSpec): (text: string, item: Pick<WorkItem, 'condition' | 'options'>) => number | null {
  const settings = scoringSettings(spec.scoring?.profile ?? 'paper');
  const anthro = new Set(spec.conditions.filter((c) => /anthro/i.test(c.template)).map((c) => c.id));
  return (text, item) => parseAnswer(text, { options: item.options ?? [], reasoning: anthro.has(item.condition) }, settings).answer;
}
