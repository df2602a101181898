import type { ScalePoint, SeedQuestion } from './types';
import type { CultureSpec } from './types';

const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/** A question variant as asked: the seed text (variant 0) or an accepted paraphrase, in a language. */
export interface QuestionVariant {
  text: string;
  lang: string;
}

/** What a culture template (`prompts/culture.<lang>.hbs`) receives. */
export interface CultureTemplateContext {
  /** The template's language and its direction. */
  lang: string;
  dir: 'ltr' | 'rtl';
  culture: {
    id: string;
    /** The culture's name in the template's language (else English), e.g. "العربية" in culture.ar.hbs. */
    name: string;
    nameEn: string;
    /** The culture's own language code. */
    language: string;
    /** Its countries, comma-separated ("Iraq, Jordan"). */
    countries: string;
  };
  question: {
    id: string;
    text: string;
    /** Language of `text` and `scale` (the template's when the question has it, else English). */
    lang: string;
    min: number;
    max: number;
    /** The labelled scale points, in the paper's order ({{#each question.scale}}{{code}}. {{label}}{{/each}}). */
    scale: ScalePoint[];
    /** 0 = the seed, 1… = accepted paraphrases. */
    variant: number;
    variantCount: number;
  };
}

/** The template variables for one culture × seed question × variant in a template language. */
export function cultureTemplateContext(culture: CultureSpec, q: SeedQuestion, variants: readonly QuestionVariant[], variant: number, lang: string): CultureTemplateContext {
  const v = variants[variant];
  if (!v) throw new RangeError(`${q.id} has no variant ${variant} (it has ${variants.length})`);
  const scaleLang = q.options[v.lang] ? v.lang : 'en';
  return {
    lang,
    dir: RTL.has(lang.split('-')[0]!) ? 'rtl' : 'ltr',
    culture: {
      id: culture.id, name: culture.name[lang] ?? culture.name.en ?? culture.id, nameEn: culture.name.en ?? culture.id, language: culture.lang,
      countries: culture.countries.map((c) => c.name ?? c.file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '')).join(', '),
    },
    question: { id: q.id, text: v.text, lang: v.lang, min: q.min, max: q.max, scale: q.options[scaleLang] ?? q.options.en!, variant, variantCount: variants.length },
  };
}

/**
 * The variants of a seed question for a template language: the seed in that language when the survey has it
 * (else English), then the accepted paraphrases (whatever their language).
 */
export function questionVariants(q: SeedQuestion, lang: string, paraphrases: readonly QuestionVariant[] = []): QuestionVariant[] {
  const seedLang = q.text[lang] && q.options[lang] ? lang : 'en';
  return [{ text: q.text[seedLang]!, lang: seedLang }, ...paraphrases];
}
