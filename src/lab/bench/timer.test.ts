import { describe, expect, it } from 'vitest';

import {
  k_timer_default_samples,
  k_timer_max_reads_per_sample,
  measureTimerResolution,
} from './timer';

/**
 * A fake clock quantised to `stepMs` whose underlying time advances by
 * `readsPerStep`-ths of a step on every read (like a real clock read in a
 * tight loop). Integer tick counting avoids float drift.
 */
function quantisedClock(stepMs: number, readsPerStep: number): { now: () => number; reads: () => number } {
  let reads = 0;
  return {
    now: () => {
      const value = Math.floor(reads / readsPerStep) * stepMs;
      reads++;
      return value;
    },
    reads: () => reads,
  };
}

describe('measureTimerResolution', () => {
  it('finds a 0.1 ms step (Chrome without cross-origin isolation)', () => {
    const clock = quantisedClock(0.1, 100);
    const r = measureTimerResolution(clock.now);
    expect(r.stepMs).toBeCloseTo(0.1, 12);
    expect(r.samples).toBe(k_timer_default_samples);
  });

  it('finds a 0.005 ms step (cross-origin isolated)', () => {
    const clock = quantisedClock(0.005, 5);
    const r = measureTimerResolution(clock.now, 50);
    expect(r.stepMs).toBeCloseTo(0.005, 12);
    expect(r.samples).toBe(50);
  });

  it('takes the minimum step, not the typical one', () => {
    // Each sample reads t0 then sees a change on the next read; the steps
    // it sees are 1 ms, except every fifth sample, which sees 0.25 ms.
    const values: number[] = [];
    for (let s = 0; s < 20; s++) values.push(10 * s, 10 * s + (s % 5 === 4 ? 0.25 : 1));
    let i = 0;
    const r = measureTimerResolution(() => values[i++] ?? 999, 20);
    expect(r.stepMs).toBe(0.25);
    expect(r.samples).toBe(20);
  });

  it('returns within a bounded number of reads for a clock that never moves', () => {
    let reads = 0;
    const r = measureTimerResolution(() => {
      reads++;
      return 42;
    });
    expect(r).toEqual({ stepMs: Number.POSITIVE_INFINITY, samples: 0 });
    // One read for t0, then the per-sample budget; then it gives up.
    expect(reads).toBe(1 + k_timer_max_reads_per_sample);
  });

  it('ignores a backwards step', () => {
    const values = [5, 4, 4, 4.5, 10, 10.5];
    let i = 0;
    const r = measureTimerResolution(() => values[i++] ?? 99, 3);
    // samples: 5→4 (backwards, skipped), 4→4.5, 10→10.5
    expect(r).toEqual({ stepMs: 0.5, samples: 2 });
  });

  it('measures the real performance.now as a positive finite step', () => {
    const r = measureTimerResolution();
    expect(r.samples).toBe(k_timer_default_samples);
    expect(r.stepMs).toBeGreaterThan(0);
    expect(r.stepMs).toBeLessThan(20);
  });

  it('rejects a sample count that is not a positive integer', () => {
    expect(() => measureTimerResolution(() => 0, 0)).toThrow('got 0');
    expect(() => measureTimerResolution(() => 0, 1.5)).toThrow(RangeError);
  });
});
