import type { PromptContext } from './PromptContext';

/**
 * A context with every standard variable (a real Egypt respondent and WVS Q2), used to check templates when no
 * persona is selected, and as the example in the docs.
 */
export const SAMPLE_CONTEXT: PromptContext = {
  lang: 'en',
  dir: 'ltr',
  persona: {
    id: 'egypt-0001', countryKey: 'egypt', region: 'Fayoum', sex: 'male', age: 46, country: 'Egypt',
    marital_status: 'married', education: 'higher', social_class: 'lower middle class',
  },
  question: {
    id: 'Q2', theme: 'SOCIAL VALUES, ATTITUDES & STEREOTYPES', description: 'Important in life: Friends',
    text: 'How important are friends in life?', variant: 0, variantCount: 4,
    options: ['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know"],
    optionCount: 5, dontKnowIndex: 4, hasDontKnow: true, scale: 'ordinal',
  },
};
