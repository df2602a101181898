import type { Lang, Persona, Question } from '../model';
import type { PromptContext } from './PromptContext';

const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/** Why a prompt cannot be built: the persona or question lacks the language or variant. */
export class PromptContextError extends Error {
  override readonly name = 'PromptContextError';
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

/**
 * The exact variables a template receives for one persona × question × paraphrase variant in one language.
 * Throws PromptContextError when the persona or question has no values in that language or no such variant.
 */
export function buildPromptContext(persona: Persona, question: Question, variant: number, lang: Lang): PromptContext {
  const values = persona.values[lang];
  if (!values) throw new PromptContextError(`persona ${persona.id} has no "${lang}" values`, `values.${lang}`);
  const variants = question.variants[lang];
  if (!variants) throw new PromptContextError(`${question.id} has no "${lang}" variant`, `${question.id}.variants.${lang}`);
  const text = variants[variant];
  if (text === undefined) throw new PromptContextError(`${question.id} has no variant ${variant} in "${lang}" (it has ${variants.length})`, `${question.id}.variants.${lang}`);
  const options = question.options[lang];
  if (!options) throw new PromptContextError(`${question.id} has no "${lang}" options`, `${question.id}.options.${lang}`);
  return {
    lang,
    dir: RTL.has(lang.split('-')[0]) ? 'rtl' : 'ltr',
    persona: { ...values, id: persona.id, countryKey: persona.country },
    question: {
      id: question.id,
      theme: question.theme,
      description: question.description[lang] ?? question.description.en ?? '',
      text,
      variant,
      variantCount: variants.length,
      options,
      optionCount: options.length,
      dontKnowIndex: question.dontKnowIndex,
      hasDontKnow: question.dontKnowIndex !== null,
      scale: question.scale,
    },
  };
}
