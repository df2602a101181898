/** Demographic fields every persona has in every language (PersonaValues), in prompt order. */
export const PERSONA_FIELDS = ['region', 'sex', 'age', 'country', 'marital_status', 'education', 'social_class'] as const;

/** The five fields that identify a respondent across countries (SCORING.md: "twin" matching). */
export const TWIN_FIELDS = ['sex', 'age', 'marital_status', 'education', 'social_class'] as const;
