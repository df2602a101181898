import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../../../src/core/run/RateLimiter';

test('tokens-per-minute: a burst of one second, then paced by tokens', async () => {
  const limiter = new RateLimiter(undefined, 120_000); // 2,000 tokens/s
  const t0 = Date.now();
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 5 }, async () => {
    await limiter.acquire(1000);
    starts.push(Date.now() - t0);
  }));
  starts.sort((a, b) => a - b);
  assert.ok(starts[1] < 100, `two fit the burst: ${starts}`);
  assert.ok(starts[4] >= 1350 && starts[4] < 2200, `the fifth waits for 3,000 more tokens: ${starts}`);
});

test('pauseUntil (after a 429 with Retry-After) holds every caller back', async () => {
  const limiter = new RateLimiter();
  limiter.pauseUntil(Date.now() + 300);
  const t0 = Date.now();
  await Promise.all([limiter.acquire(1), limiter.acquire(1)]);
  assert.ok(Date.now() - t0 >= 290);
});

test('acquire rejects when the run is cancelled while waiting', async () => {
  const limiter = new RateLimiter(60); // 1 request/s
  await limiter.acquire(1);
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('cancelled')), 50);
  await assert.rejects(limiter.acquire(1, ac.signal), /cancelled/);
});
