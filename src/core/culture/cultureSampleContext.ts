import type { CultureTemplateContext } from './cultureTemplateContext';
import type { ParaphraseContext } from './augmentSeeds';

/** The variables of a culture template, with sample values: editor diagnostics, completion and hover use its shape. */
export const CULTURE_SAMPLE_CONTEXT: CultureTemplateContext = {
  lang: 'en', dir: 'ltr',
  culture: { id: 'arabic', name: 'Arabic', nameEn: 'Arabic', language: 'ar', countries: 'Iraq, Jordan' },
  question: {
    id: 'Q27', text: 'Do you agree with One of my main goals in life has been to make my parents proud?', lang: 'en', min: 1, max: 4,
    scale: [{ code: 1, label: 'Strongly agree' }, { code: 2, label: 'agree' }, { code: 3, label: 'Disagree' }, { code: 4, label: 'Strongly disagree' }], variant: 0, variantCount: 1,
  },
};

/** The variables of a paraphrase template (`prompts/paraphrase.*.hbs`). */
export const PARAPHRASE_SAMPLE_CONTEXT: ParaphraseContext = { k: 5, lang: 'en', question: { ...CULTURE_SAMPLE_CONTEXT.question } };

/** Which sample context a template file needs: `culture.*.hbs` and `paraphrase.*.hbs` are CultureLLM templates. */
export function cultureTemplateKind(fileName: string): 'culture' | 'paraphrase' | undefined {
  const base = fileName.replace(/^.*[\\/]/, '');
  return /^culture\./.test(base) ? 'culture' : /^paraphrase\./.test(base) ? 'paraphrase' : undefined;
}
