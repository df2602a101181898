import type { Lang, PersonaValues, ScaleKind } from '../model';

/** The persona as a template sees it: its values in the prompt language plus id and country key. */
export interface PromptPersona extends PersonaValues {
  id: string;
  /** Country key of the persona's survey, lower case (`egypt`, `united states`). */
  countryKey: string;
}

/** The question as a template sees it, in the prompt language. */
export interface PromptQuestion {
  id: string;
  theme: string;
  description: string;
  /** The text of the selected paraphrase variant. */
  text: string;
  /** 0-based paraphrase variant index. */
  variant: number;
  variantCount: number;
  options: string[];
  optionCount: number;
  /** 0-based "Don't know" index, or null. */
  dontKnowIndex: number | null;
  hasDontKnow: boolean;
  scale: ScaleKind;
}

/** Everything a prompt template receives (the preview shows it as a variable table). */
export interface PromptContext {
  lang: Lang;
  /** Text direction of the language: `rtl` for Arabic. */
  dir: 'ltr' | 'rtl';
  persona: PromptPersona;
  question: PromptQuestion;
}
