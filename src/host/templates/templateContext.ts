import { buildPromptContext } from '../../core/template/buildPromptContext';
import type { PromptContext } from '../../core/template/PromptContext';
import { SAMPLE_CONTEXT } from '../../core/template/sampleContext';
import { templateLanguage } from '../../core/template/templateFiles';
import type { WorkspaceSelection } from '../selection/SelectionService';
import { CULTURE_SAMPLE_CONTEXT, cultureTemplateKind, PARAPHRASE_SAMPLE_CONTEXT } from '../../core/culture/cultureSampleContext';

/**
 * The context a template would receive for the selected persona and question, in the template's language
 * (from its file name, else English); the sample context when nothing is selected or the data lacks the language.
 */
export function templateContext(fileName: string, selection: WorkspaceSelection): { context: PromptContext; sample: boolean } {
  const lang = templateLanguage(fileName) ?? 'en';
  // CultureLLM templates see a culture and a seed question, not a persona.
  const culture = cultureTemplateKind(fileName);
  if (culture) return { context: { ...(culture === 'culture' ? CULTURE_SAMPLE_CONTEXT : PARAPHRASE_SAMPLE_CONTEXT), lang } as unknown as PromptContext, sample: true };
  if (selection.persona && selection.question) {
    try {
      return { context: buildPromptContext(selection.persona, selection.question, selection.variant, lang), sample: false };
    } catch {
      // Fall through: the persona or question has no such language; diagnostics on the data files say why.
    }
  }
  return { context: { ...SAMPLE_CONTEXT, lang }, sample: true };
}
