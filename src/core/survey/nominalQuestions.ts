/** Questions the paper scores as nominal (exact match), among its 31 selected WVS questions. */
export const PAPER_NOMINAL_QUESTIONS: readonly string[] = ['Q19', 'Q21', 'Q149', 'Q150', 'Q171', 'Q175', 'Q209', 'Q210', 'Q221'];
