import { describe, expect, it } from 'vitest';
import { summariseKernels } from './kernel-profile';

describe('summariseKernels', () => {
  it('adds nodes of one type, divides by runs and folds the tail', () => {
    const summary = summariseKernels(
      {
        source: 'tfjs-profile',
        runs: 2,
        timings: [
          { name: 'MatMul', ms: 3 },
          { name: 'Relu', ms: 1 },
          { name: 'MatMul', ms: 3 },
          { name: 'Add', ms: 1 },
          { name: 'Softmax', ms: 2 },
        ],
      },
      2,
    );
    // Total 10 ms over 2 runs: MatMul 6 (60%), Softmax 2 (20%), then Add and Relu 1 each folded.
    expect(summary.kernelMsPerRun).toBe(5);
    expect(summary.top).toEqual([
      { name: 'MatMul', msPerRun: 3, callsPerRun: 1, share: 0.6 },
      { name: 'Softmax', msPerRun: 1, callsPerRun: 0.5, share: 0.2 },
    ]);
    expect(summary.others).toEqual({ kinds: 2, share: 0.2 });
  });

  it('breaks ties by name and ignores timings a profiler could not take', () => {
    const summary = summariseKernels({ source: 'tfjs-profile', runs: 1, timings: [{ name: 'b', ms: 1 }, { name: 'a', ms: 1 }, { name: 'c', ms: Number.NaN }] });
    expect(summary.top.map((k) => k.name)).toEqual(['a', 'b']);
    expect(summary.top[0]?.share).toBe(0.5);
  });

  it('refuses a profile of no runs', () => {
    expect(() => summariseKernels({ source: 'tfjs-profile', runs: 0, timings: [] })).toThrow(RangeError);
  });
});
