import { describe, expect, it } from 'vitest';
import { aggregateGflops, bestOf, calibratedIterations, threadScalingNote } from './ceilings';

describe('ceiling arithmetic', () => {
  it('takes the best repeat', () => {
    expect(bestOf([3, 7.5, 5])).toBe(7.5);
    expect(bestOf([])).toBe(0);
  });

  it('judges threads that ran at once by the slowest', () => {
    // 2 workers × 9.6e9 FLOPs in max(100, 120) ms = 160 GFLOP/s.
    expect(aggregateGflops(9.6e9, [100, 120])).toBe(160);
  });

  it('scales the calibration run to the target duration, within the i32 range', () => {
    expect(calibratedIterations(1_000_000, 10, 150)).toBe(15_000_000);
    expect(calibratedIterations(1_000_000, 0.001, 150)).toBe(2 ** 31 - 1);
    expect(calibratedIterations(1000, 0, 150)).toBe(16_000);
  });
});

describe('threadScalingNote', () => {
  const point = (threads: number, gflops: number) => ({ threads, gflops, repeats: [gflops] });
  it('says nothing when more threads are faster', () => {
    expect(threadScalingNote([point(1, 30), point(2, 55)])).toBeNull();
  });
  it('says so when more threads are not faster', () => {
    expect(threadScalingNote([point(1, 34.9), point(2, 31.3)])).toBe(
      '2 threads measured 31.3 GFLOP/s, no more than 1 thread (34.9): other work shared the cores, or some are not real cores, so the multi-thread ceilings understate this hardware.',
    );
  });
});
