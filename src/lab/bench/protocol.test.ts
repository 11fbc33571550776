import { describe, expect, it } from 'vitest';
import type { BenchRules } from './protocol';
import { BENCH_RULES, blockRequest, callsPerSample, FULL_RULES, QUICK_RULES, roundOrder, runBlock, timeOnce, validateBenchRules, warmUp } from './protocol';

/** A fake clock and a fake inference that advances it by a fixed duration per call. */
function fakeBench(durationMs: number | ((call: number) => number)) {
  let t = 0;
  let calls = 0;
  return {
    now: () => t,
    fn: async () => {
      const d = typeof durationMs === 'number' ? durationMs : durationMs(calls);
      calls += 1;
      await Promise.resolve();
      t += d;
    },
    calls: () => calls,
  };
}

const rules = (overrides: Partial<BenchRules>): BenchRules => ({ ...QUICK_RULES, ...overrides });

describe('rule sets', () => {
  it('are frozen, valid and reachable by name', () => {
    expect(Object.isFrozen(QUICK_RULES)).toBe(true);
    expect(BENCH_RULES.quick).toBe(QUICK_RULES);
    expect(BENCH_RULES.full).toBe(FULL_RULES);
    expect(() => validateBenchRules(QUICK_RULES)).not.toThrow();
    expect(() => validateBenchRules(FULL_RULES)).not.toThrow();
  });

  it('rejects bad rules, naming the field and value', () => {
    expect(() => validateBenchRules(rules({ rounds: 0 }))).toThrow('BenchRules.rounds must be at least 1, got 0');
    expect(() => validateBenchRules(rules({ blockMinSamples: -1 }))).toThrow('BenchRules.blockMinSamples must be a non-negative integer, got -1');
    expect(() => validateBenchRules(rules({ blockMinMs: Number.NaN }))).toThrow('BenchRules.blockMinMs must be a finite number ≥ 0 (ms), got NaN');
    expect(() => validateBenchRules(rules({ blockMinSamples: 300 }))).toThrow('BenchRules.blockMinSamples (300) must not exceed blockMaxSamples (200)');
    expect(() => validateBenchRules(rules({ blockMinMs: 2000 }))).toThrow('BenchRules.blockMinMs (2000) must not exceed blockMaxMs (1000)');
  });
});

describe('timeOnce', () => {
  it('times one awaited call on the given clock', async () => {
    const bench = fakeBench(7);
    expect(await timeOnce(bench.fn, bench.now)).toBe(7);
  });
});

describe('warmUp', () => {
  it('runs until both the count and the time are reached', async () => {
    const bench = fakeBench(10);
    const durations = await warmUp(bench.fn, rules({ warmupIterations: 3, warmupMinMs: 50 }), bench.now);
    expect(durations).toEqual([10, 10, 10, 10, 10]);
  });

  it('stops at blockMaxMs for a slow model', async () => {
    const bench = fakeBench(400);
    expect(await warmUp(bench.fn, rules({ warmupIterations: 10, warmupMinMs: 0, blockMaxMs: 1000 }), bench.now)).toEqual([400, 400, 400]);
  });
});

describe('callsPerSample', () => {
  it('is 1 for calls of at least minTimerSteps clock steps', () => {
    expect(callsPerSample(0.1, 0.005, 20)).toBe(1);
    expect(callsPerSample(5, 0.1, 20)).toBe(1);
  });

  it('groups calls shorter than that: 30 µs calls on a 5 µs clock need 4 per sample for 20 steps', () => {
    expect(callsPerSample(0.03, 0.005, 20)).toBe(4);
    expect(callsPerSample(0.03, 0.1, 20)).toBe(67);
  });

  it('falls back to minTimerSteps calls when a call reads as 0 ms', () => {
    expect(callsPerSample(0, 0.1, 20)).toBe(20);
  });
});

describe('runBlock', () => {
  it('stops when both minSamples and minMs are reached; samples are ms per call', async () => {
    const bench = fakeBench(2);
    const { samplesMs } = await runBlock(bench.fn, { ...blockRequest(QUICK_RULES, 1, 0.005), minSamples: 3, minMs: 9 }, bench.now);
    expect(samplesMs).toEqual([2, 2, 2, 2, 2]);
  });

  it('times groups of back-to-back calls and reports the mean per call', async () => {
    const bench = fakeBench((call) => (call % 2 === 0 ? 1 : 3));
    const block = await runBlock(bench.fn, { callsPerSample: 2, minSpanMs: 0, minSamples: 2, maxSamples: 10, minMs: 0, maxMs: 100 }, bench.now);
    expect(block).toEqual({ samplesMs: [2, 2], callsPerSample: 2 });
    expect(bench.calls()).toBe(4);
  });

  it('drops samples too short for the clock and continues with enough calls to span minSpanMs', async () => {
    // 0.03 ms calls, samples must span 0.1 ms: 1 call is too short, so the block moves to ceil(0.1/0.03) = 4.
    const bench = fakeBench(0.03);
    const block = await runBlock(bench.fn, { callsPerSample: 1, minSpanMs: 0.1, minSamples: 3, maxSamples: 3, minMs: 0, maxMs: 100 }, bench.now);
    expect(block.callsPerSample).toBe(4);
    expect(block.samplesMs).toHaveLength(3);
    for (const s of block.samplesMs) expect(s).toBeCloseTo(0.03, 12);
    expect(bench.calls()).toBe(1 + 3 * 4);
  });

  it('honours maxSamples and maxMs', async () => {
    const fast = fakeBench(1);
    expect((await runBlock(fast.fn, { callsPerSample: 1, minSpanMs: 0, minSamples: 1, maxSamples: 4, minMs: 1000, maxMs: 5000 }, fast.now)).samplesMs.length).toBe(4);
    const slow = fakeBench(300);
    expect((await runBlock(slow.fn, { callsPerSample: 1, minSpanMs: 0.1, minSamples: 5, maxSamples: 10, minMs: 0, maxMs: 500 }, slow.now)).samplesMs).toEqual([300, 300]);
  });
});

describe('roundOrder', () => {
  it('rotates so each arm leads once every `count` rounds', () => {
    expect(roundOrder(3, 0)).toEqual([0, 1, 2]);
    expect(roundOrder(3, 1)).toEqual([1, 2, 0]);
    expect(roundOrder(3, 2)).toEqual([2, 0, 1]);
    expect(roundOrder(3, 3)).toEqual([0, 1, 2]);
    expect(roundOrder(0, 5)).toEqual([]);
  });
});
