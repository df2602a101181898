import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCost, formatExperimentEstimate, formatTokens } from '../../../../src/core/preview/formatEstimate';

test('formatTokens / formatCost / formatExperimentEstimate read well', () => {
  assert.equal(formatTokens(null), 'counting tokens…');
  assert.equal(formatTokens(1), '1 token');
  assert.equal(formatTokens(1234), '1,234 tokens');
  assert.equal(formatCost(null), 'no price');
  assert.equal(formatCost(0), '$0');
  assert.equal(formatCost(0.000123456), '$0.000123');
  assert.equal(formatCost(0.05), '$0.05');
  assert.equal(formatCost(1234.5), '$1,234.50');
  assert.equal(formatExperimentEstimate({ experimentFile: 'e', requests: 12120, items: 2424, inputTokens: 1_234_567, outputTokensMax: 60600, cost: 0.4, sampledItems: 80, exact: false, failedItems: 0 }),
    '12,120 requests · ~1.2M input tokens · ≤ 61k output tokens · est. $0.4 (mean of 80 rendered items)');
});
