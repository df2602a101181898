import type { ResultsInput, ScoredItem } from '../../../../src/core/results/types';

/**
 * A tiny hand-checkable run: 4 personas, 2 questions (2 themes), 1 variant, conditions `en` and `ar`.
 * `ar` is better for the women (+0.5 on Q1) and worse for p4 on Q2; p3 has an unparsed `en` item on Q2.
 */
export function tinyInput(): ResultsInput {
  const items: ScoredItem[] = [];
  const add = (condition: string, personaId: string, questionId: string, soft: number | null, hard = soft === 1 ? 1 : 0) =>
    items.push(soft === null
      ? { condition, personaId, questionId, variant: 0, dropped: 'unparsed' }
      : { condition, personaId, questionId, variant: 0, soft, hard, rSoft: 0.5, rHard: 0.25, modelAnswer: 1, surveyAnswer: 1 });
  // en
  add('en', 'p1', 'Q1', 0.5); add('en', 'p1', 'Q2', 1);
  add('en', 'p2', 'Q1', 0.5); add('en', 'p2', 'Q2', 1);
  add('en', 'p3', 'Q1', 1); add('en', 'p3', 'Q2', null);
  add('en', 'p4', 'Q1', 1); add('en', 'p4', 'Q2', 1);
  // ar
  add('ar', 'p1', 'Q1', 1); add('ar', 'p1', 'Q2', 1);
  add('ar', 'p2', 'Q1', 1); add('ar', 'p2', 'Q2', 1);
  add('ar', 'p3', 'Q1', 1); add('ar', 'p3', 'Q2', 0);
  add('ar', 'p4', 'Q1', 1); add('ar', 'p4', 'Q2', 0);
  const persona = (id: string, sex: string, age: number) => ({
    id, country: 'egypt', age,
    fields: { region: 'EG-C: Cairo', sex, age: age < 30 ? '18–29' : '30–44', marital_status: 'Married', education: 'Middle', social_class: 'Working class' },
  });
  return {
    runId: 'tiny', experimentName: 'Tiny', createdAt: '2026-01-01T00:00:00Z', recorded: true,
    conditions: [
      { id: 'en', label: 'English', lang: 'en', model: 'm', template: 'prompts/persona.en.hbs' },
      { id: 'ar', label: 'Arabic', lang: 'ar', model: 'm', template: 'prompts/persona.ar.hbs' },
    ],
    personas: [persona('p1', 'Female', 25), persona('p2', 'Female', 40), persona('p3', 'Male', 25), persona('p4', 'Male', 40)],
    questions: [{ id: 'Q1', theme: 'Values', scale: 'ordinal' }, { id: 'Q2', theme: 'Trust', scale: 'ordinal' }],
    items, compare: ['en', 'ar'], seed: 7,
  };
}
