import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderScheduler, type SchedulerClock } from '../../../../src/core/preview/RenderScheduler';

function fakeClock() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const clock: SchedulerClock = {
    now: () => t,
    setTimeout: (fn, ms) => { const id = next++; timers.push({ at: t + ms, fn, id }); return id; },
    clearTimeout: (id) => { const i = timers.findIndex((x) => x.id === id); if (i >= 0) timers.splice(i, 1); },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const due = timers[0];
      if (!due || due.at > end) break;
      timers.shift();
      t = due.at;
      due.fn();
    }
    t = end;
  };
  return { clock, advance, pendingTimers: () => timers.length };
}

test('RenderScheduler: the first render is immediate, a burst of edits renders at most once per window', () => {
  const { clock, advance } = fakeClock();
  const runs: Array<[number, number]> = [];
  const s = new RenderScheduler((v) => runs.push([v, clock.now()]), 100, clock);
  s.now();
  assert.deepEqual(runs, [[1, 0]]);
  // typing every 20 ms for 300 ms (the last keystroke lands just after the render at 300)
  for (let i = 0; i < 15; i++) { advance(20); s.edit(); }
  advance(200);
  const times = runs.map(([, t]) => t);
  assert.deepEqual(times, [0, 100, 200, 300, 400]);
  // no edit waited more than the window
  assert.ok(times.slice(1).every((t, i) => t - times[i] <= 100));
});

test('RenderScheduler: an edit after a quiet period renders at once (leading edge)', () => {
  const { clock, advance } = fakeClock();
  const runs: number[] = [];
  const s = new RenderScheduler(() => runs.push(clock.now()), 100, clock);
  s.now();
  advance(500);
  s.edit();
  assert.deepEqual(runs, [0, 500]);
});

test('RenderScheduler: versions increase; only the newest is latest; now() supersedes a pending edit', () => {
  const { clock, advance, pendingTimers } = fakeClock();
  const versions: number[] = [];
  const s = new RenderScheduler((v) => versions.push(v), 100, clock);
  const v1 = s.now();
  s.edit();
  assert.equal(s.pending, true);
  const v2 = s.now();
  assert.equal(pendingTimers(), 0, 'the trailing render was cancelled');
  assert.ok(v2 > v1);
  assert.equal(s.isLatest(v1), false);
  assert.equal(s.isLatest(v2), true);
  advance(1000);
  assert.deepEqual(versions, [1, 2]);
  s.dispose();
  s.edit();
  s.now();
  assert.deepEqual(versions, [1, 2], 'nothing after dispose');
});
