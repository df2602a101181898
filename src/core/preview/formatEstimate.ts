import type { ExperimentEstimate } from './previewModel';

/** `1,234 tokens`; `… tokens` while counting. */
export function formatTokens(tokens: number | null): string {
  return tokens === null ? 'counting tokens…' : `${tokens.toLocaleString('en-US')} token${tokens === 1 ? '' : 's'}`;
}

/** A price with enough digits to be meaningful for one request ($0.000123) and cents for big sums. */
export function formatCost(cost: number | null): string {
  if (cost === null) return 'no price';
  if (cost === 0) return '$0';
  if (cost >= 1) return `$${cost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${cost.toPrecision(3).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1')}`;
}

/** One line for the whole experiment, e.g. `12,120 requests · ~1.2M input tokens · est. $1.23 (sampled)`. */
export function formatExperimentEstimate(e: ExperimentEstimate): string {
  const compact = (n: number) => n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : n.toLocaleString('en-US');
  const parts = [
    `${e.requests.toLocaleString('en-US')} requests`,
    `${e.exact ? '' : '~'}${compact(e.inputTokens)} input tokens`,
    `≤ ${compact(e.outputTokensMax)} output tokens`,
    e.cost === null ? 'no price for some model' : `est. ${formatCost(e.cost)}`,
  ];
  const how = e.exact ? 'every item rendered' : `mean of ${e.sampledItems.toLocaleString('en-US')} rendered items`;
  return `${parts.join(' · ')} (${how}${e.failedItems ? `, ${e.failedItems} failed to render` : ''})`;
}
