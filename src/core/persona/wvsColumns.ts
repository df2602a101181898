/** Persona field → WVS wave-7 variable code (the CSV header is `"<code> <label>"`). */
export type WvsColumnMapping = Record<string, string>;

/** The paper's mapping (AlKhamissi et al. 2024). `country` is the country of birth, as in the paper. */
export const WVS_COLUMNS: WvsColumnMapping = {
  region: 'N_REGION_WVS',
  sex: 'Q260',
  age: 'Q262',
  country: 'Q266',
  marital_status: 'Q273',
  education: 'Q275R',
  social_class: 'Q287',
};

/** Column naming the survey country (e.g. `Egypt`), used for the persona's country key. */
export const WVS_SURVEY_COUNTRY_COLUMN = 'B_COUNTRY';
