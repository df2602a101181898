import type { Lang, Persona, Question } from '../model';
import { directionOf } from './textDirection';
import type { PromptContext, PromptPersona, PromptQuestion } from './PromptContext';


/** Why a prompt cannot be built: the persona or question lacks the language or variant. */
export class PromptContextError extends Error {
  override readonly name = 'PromptContextError';
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

// The persona and question parts are shared by every prompt of that persona / question variant: built once.
const personaParts = new WeakMap<Persona, Map<Lang, PromptPersona>>();
const questionParts = new WeakMap<Question, Map<string, PromptQuestion>>();

function personaPart(persona: Persona, lang: Lang): PromptPersona {
  let byLang = personaParts.get(persona);
  if (!byLang) personaParts.set(persona, (byLang = new Map()));
  let part = byLang.get(lang);
  if (!part) {
    const values = persona.values[lang];
    if (!values) throw new PromptContextError(`persona ${persona.id} has no "${lang}" values`, `values.${lang}`);
    part = { ...values, id: persona.id, countryKey: persona.country };
    byLang.set(lang, part);
  }
  return part;
}

function questionPart(question: Question, variant: number, lang: Lang): PromptQuestion {
  let byKey = questionParts.get(question);
  if (!byKey) questionParts.set(question, (byKey = new Map()));
  const key = `${lang}#${variant}`;
  let part = byKey.get(key);
  if (!part) {
    const variants = question.variants[lang];
    if (!variants) throw new PromptContextError(`${question.id} has no "${lang}" variant`, `${question.id}.variants.${lang}`);
    const text = variants[variant];
    if (text === undefined) throw new PromptContextError(`${question.id} has no variant ${variant} in "${lang}" (it has ${variants.length})`, `${question.id}.variants.${lang}`);
    const options = question.options[lang];
    if (!options) throw new PromptContextError(`${question.id} has no "${lang}" options`, `${question.id}.options.${lang}`);
    part = {
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
    };
    byKey.set(key, part);
  }
  return part;
}

/**
 * The exact variables a template receives for one persona × question × paraphrase variant in one language.
 * Throws PromptContextError when the persona or question has no values in that language or no such variant.
 * Personas and questions are treated as immutable (their parts of the context are cached).
 */
export function buildPromptContext(persona: Persona, question: Question, variant: number, lang: Lang): PromptContext {
  return {
    lang,
    dir: directionOf(lang),
    persona: personaPart(persona, lang),
    question: questionPart(question, variant, lang),
  };
}
