import type { PreviewCatalog, PreviewSelection, ResolvedSelection } from './previewModel';

/**
 * A selection made valid for a catalog: unknown or missing persona/question → the first one, a variant
 * out of range → 0, an unknown model → the first model (or none). Undefined when the catalog has no
 * persona or no question (nothing can be rendered).
 */
export function resolveSelection(catalog: PreviewCatalog, s: PreviewSelection): ResolvedSelection | undefined {
  const persona = catalog.personas.find((p) => p.id === s.personaId) ?? catalog.personas[0];
  const question = catalog.questions.find((q) => q.id === s.questionId) ?? catalog.questions[0];
  if (!persona || !question) return undefined;
  const variant = Number.isInteger(s.variant) && s.variant! >= 0 && s.variant! < question.variants ? s.variant! : 0;
  const model = catalog.models.find((m) => m.id === s.modelId) ?? catalog.models[0];
  return { personaId: persona.id, questionId: question.id, variant, modelId: model?.id ?? null };
}
