import { describe, expect, it, vi } from 'vitest';

import {
  BENCH_RULES,
  FULL_RULES,
  QUICK_RULES,
  runTimedLoop,
  timeOnce,
  validateBenchRules,
  type BenchRules,
} from './protocol';

/** A fake clock and a fake inference that advances it by a fixed duration. */
function fakeBench(durationMs: number | ((call: number) => number)): {
  now: () => number;
  fn: () => Promise<void>;
  calls: () => number;
} {
  let t = 0;
  let calls = 0;
  return {
    now: () => t,
    fn: async () => {
      const d = typeof durationMs === 'number' ? durationMs : durationMs(calls);
      calls++;
      await Promise.resolve();
      t += d;
    },
    calls: () => calls,
  };
}

const noYield = async (): Promise<void> => {};

const rules = (overrides: Partial<BenchRules>): BenchRules => ({ ...QUICK_RULES, ...overrides });

describe('rule sets', () => {
  it('are frozen, valid and reachable by name', () => {
    expect(Object.isFrozen(QUICK_RULES)).toBe(true);
    expect(Object.isFrozen(FULL_RULES)).toBe(true);
    expect(Object.isFrozen(BENCH_RULES)).toBe(true);
    expect(BENCH_RULES.quick).toBe(QUICK_RULES);
    expect(BENCH_RULES.full).toBe(FULL_RULES);
    expect(() => validateBenchRules(QUICK_RULES)).not.toThrow();
    expect(() => validateBenchRules(FULL_RULES)).not.toThrow();
  });

  it('rejects bad rules, naming the field and value', () => {
    expect(() => validateBenchRules(rules({ minSamples: -1 }))).toThrow(
      'BenchRules.minSamples must be a non-negative integer, got -1',
    );
    expect(() => validateBenchRules(rules({ warmupIterations: 1.5 }))).toThrow('warmupIterations');
    expect(() => validateBenchRules(rules({ minTimeMs: Number.NaN }))).toThrow(
      'BenchRules.minTimeMs must be a finite number ≥ 0 (ms), got NaN',
    );
    expect(() => validateBenchRules(rules({ maxSamples: 0, minSamples: 0, warmupIterations: 0 }))).toThrow(
      'maxSamples must be at least 1',
    );
    expect(() => validateBenchRules(rules({ minSamples: 300 }))).toThrow(
      'BenchRules.minSamples (300) must not exceed maxSamples (200)',
    );
    expect(() => validateBenchRules(rules({ minTimeMs: 3000 }))).toThrow('minTimeMs (3000)');
    expect(() => validateBenchRules(rules({ warmupIterations: 201 }))).toThrow('warmupIterations (201)');
    expect(() => validateBenchRules(rules({ warmupMinMs: 2001 }))).toThrow('warmupMinMs (2001)');
  });
});

describe('timeOnce', () => {
  it('returns the duration of one awaited call', async () => {
    const bench = fakeBench(12.5);
    expect(await timeOnce(bench.fn, bench.now)).toBe(12.5);
    expect(bench.calls()).toBe(1);
  });

  it('propagates what fn throws', async () => {
    const boom = new Error('boom');
    await expect(timeOnce(() => Promise.reject(boom), () => 0)).rejects.toBe(boom);
  });

  it('uses performance.now by default', async () => {
    const d = await timeOnce(async () => {});
    expect(d).toBeGreaterThanOrEqual(0);
  });
});

describe('runTimedLoop', () => {
  it('QUICK, 10 ms per run: 10 warm-up runs (100 ms), then 20 samples (200 ms)', async () => {
    const bench = fakeBench(10);
    const r = await runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toEqual(Array<number>(10).fill(10));
    expect(r.samples).toEqual(Array<number>(20).fill(10));
    expect(r.stoppedBy).toBe('min-reached');
    expect(bench.calls()).toBe(30);
  });

  it('QUICK, 1 ms per run: both the minimums and the sample cap meet at 200; min-reached wins', async () => {
    const bench = fakeBench(1);
    const r = await runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toHaveLength(100);
    expect(r.samples).toHaveLength(200);
    expect(r.stoppedBy).toBe('min-reached');
  });

  it('QUICK, 0.5 ms per run: the sample cap stops it before 200 ms', async () => {
    const bench = fakeBench(0.5);
    const r = await runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toHaveLength(200); // 100 ms of warm-up
    expect(r.samples).toHaveLength(QUICK_RULES.maxSamples);
    expect(r.stoppedBy).toBe('max-samples');
  });

  it('QUICK, 300 ms per run: 3 warm-up runs, then the time cap stops it at 7 samples', async () => {
    const bench = fakeBench(300);
    const r = await runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toHaveLength(3);
    expect(r.samples).toHaveLength(7); // 6 × 300 = 1800 < 2000 ≤ 7 × 300
    expect(r.stoppedBy).toBe('max-time');
  });

  it('FULL, 5 ms per run: 100 warm-up runs (500 ms), 200 samples (1 s)', async () => {
    const bench = fakeBench(5);
    const r = await runTimedLoop(bench.fn, FULL_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toHaveLength(100);
    expect(r.samples).toHaveLength(200);
    expect(r.stoppedBy).toBe('min-reached');
  });

  it('FULL, 0.25 ms per run: capped at 2000 samples (500 ms)', async () => {
    const bench = fakeBench(0.25);
    const r = await runTimedLoop(bench.fn, FULL_RULES, { now: bench.now, yieldToEventLoop: noYield });
    expect(r.warmup).toHaveLength(2000); // warm-up cap: 2000 runs = 500 ms
    expect(r.samples).toHaveLength(2000);
    expect(r.stoppedBy).toBe('max-samples');
  });

  it('keeps raw samples in run order, apart from warm-up', async () => {
    // Durations 1, 2, 3, ...: warm-up takes the first 2, sampling the next 4.
    const bench = fakeBench((call) => call + 1);
    const r = await runTimedLoop(
      bench.fn,
      { warmupIterations: 2, warmupMinMs: 0, minSamples: 4, minTimeMs: 0, maxSamples: 10, maxTimeMs: 1000 },
      { now: bench.now, yieldToEventLoop: noYield },
    );
    expect(r.warmup).toEqual([1, 2]);
    expect(r.samples).toEqual([3, 4, 5, 6]);
  });

  it('skips warm-up when its rules ask for none', async () => {
    const bench = fakeBench(10);
    const r = await runTimedLoop(
      bench.fn,
      { warmupIterations: 0, warmupMinMs: 0, minSamples: 3, minTimeMs: 0, maxSamples: 3, maxTimeMs: 1000 },
      { now: bench.now, yieldToEventLoop: noYield },
    );
    expect(r.warmup).toEqual([]);
    expect(r.samples).toEqual([10, 10, 10]);
  });

  it('caps warm-up by maxSamples and maxTimeMs as well', async () => {
    const byCount = fakeBench(1);
    const r1 = await runTimedLoop(
      byCount.fn,
      { warmupIterations: 2, warmupMinMs: 50, minSamples: 1, minTimeMs: 10, maxSamples: 5, maxTimeMs: 100 },
      { now: byCount.now, yieldToEventLoop: noYield },
    );
    expect(r1.warmup).toHaveLength(5); // only 5 ms of the 50 ms asked for
    expect(r1.samples).toHaveLength(5);
    expect(r1.stoppedBy).toBe('max-samples');

    const byTime = fakeBench(40);
    const r2 = await runTimedLoop(
      byTime.fn,
      { warmupIterations: 10, warmupMinMs: 0, minSamples: 1, minTimeMs: 0, maxSamples: 10, maxTimeMs: 100 },
      { now: byTime.now, yieldToEventLoop: noYield },
    );
    expect(r2.warmup).toHaveLength(3); // 80 < 100 ≤ 120
    expect(r2.samples).toHaveLength(1);
  });

  it('reports progress after each sample with a pace-based target, ending at target === done', async () => {
    const bench = fakeBench(10);
    const progress: Array<[number, number]> = [];
    await runTimedLoop(bench.fn, QUICK_RULES, {
      now: bench.now,
      yieldToEventLoop: noYield,
      onProgress: (done, target) => progress.push([done, target]),
    });
    // 10 ms per sample → 200 ms needs 20 samples.
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, 20]));
  });

  it('yields to the event loop every 50 ms of wall time, never inside a sample', async () => {
    const bench = fakeBench(10);
    const yields = vi.fn(async () => {});
    await runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, yieldToEventLoop: yields });
    // warm-up ends at 50, 100; sampling ends at 150, 200, 250 (300 returns).
    expect(yields).toHaveBeenCalledTimes(5);
  });

  it('aborts between iterations with an AbortError, after the in-flight run finishes', async () => {
    const controller = new AbortController();
    const bench = fakeBench(10);
    const fn = async (): Promise<void> => {
      await bench.fn();
      if (bench.calls() === 15) controller.abort(); // the 5th sample
    };
    const run = runTimedLoop(fn, QUICK_RULES, {
      now: bench.now,
      signal: controller.signal,
      yieldToEventLoop: noYield,
    });
    await expect(run).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Benchmark aborted after 10 warm-up runs and 5 samples',
    });
    expect(bench.calls()).toBe(15);
  });

  it('aborts during warm-up', async () => {
    const controller = new AbortController();
    const bench = fakeBench(10);
    const fn = async (): Promise<void> => {
      await bench.fn();
      if (bench.calls() === 2) controller.abort();
    };
    await expect(
      runTimedLoop(fn, QUICK_RULES, { now: bench.now, signal: controller.signal, yieldToEventLoop: noYield }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(bench.calls()).toBe(2);
  });

  it('never calls fn when already aborted', async () => {
    const bench = fakeBench(10);
    await expect(
      runTimedLoop(bench.fn, QUICK_RULES, { now: bench.now, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(bench.calls()).toBe(0);
  });

  it('lets a macrotask abort reach a loop whose fn resolves through microtasks only', async () => {
    // Real clock, default yield: without yielding, the timer below could not
    // fire until the 10 s minimum had passed.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const longRules: BenchRules = {
      warmupIterations: 0,
      warmupMinMs: 0,
      minSamples: 1,
      minTimeMs: 10_000,
      maxSamples: 1e9,
      maxTimeMs: 10_000,
    };
    await expect(
      runTimedLoop(async () => {}, longRules, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('propagates what fn throws, unchanged', async () => {
    const boom = new TypeError('engine failed');
    await expect(
      runTimedLoop(() => Promise.reject(boom), QUICK_RULES, { now: () => 0, yieldToEventLoop: noYield }),
    ).rejects.toBe(boom);
  });

  it('validates rules before running anything', async () => {
    const bench = fakeBench(1);
    await expect(runTimedLoop(bench.fn, rules({ minSamples: 500 }))).rejects.toThrow(RangeError);
    expect(bench.calls()).toBe(0);
  });

  it('works with the default clock and yield', async () => {
    const r = await runTimedLoop(async () => {}, {
      warmupIterations: 1,
      warmupMinMs: 0,
      minSamples: 5,
      minTimeMs: 0,
      maxSamples: 5,
      maxTimeMs: 1000,
    });
    expect(r.warmup).toHaveLength(1);
    expect(r.samples).toHaveLength(5);
    expect(r.stoppedBy).toBe('min-reached');
  });
});
