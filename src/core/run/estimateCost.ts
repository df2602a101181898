/** The prices and output bound of a model (the preview's ModelOption has them). */
export interface ModelPricing {
  pricePer1kInput: number | null;
  pricePer1kOutput: number | null;
  maxTokens: number | null;
}

/**
 * Cost of one request: input tokens at the input price plus the most the reply can cost (maxTokens at the
 * output price, × samples when the endpoint returns n samples in one request). Null when there is no price.
 */
export function estimateCost(inputTokens: number, model: ModelPricing | null, outputSamples = 1): number | null {
  if (!model || model.pricePer1kInput === null) return null;
  const output = model.pricePer1kOutput !== null && model.maxTokens !== null ? (model.maxTokens * outputSamples * model.pricePer1kOutput) / 1000 : 0;
  return (inputTokens * model.pricePer1kInput) / 1000 + output;
}
