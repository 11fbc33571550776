import { describe, expect, it } from 'vitest';
import { fidelityBatch } from './fidelity-pass';

describe('fidelityBatch', () => {
  it('keeps tabular batches large and image batches within a million values, as a power of two', () => {
    expect(fidelityBatch(9)).toBe(4096);
    expect(fidelityBatch(784)).toBe(1024);
    expect(fidelityBatch(32 * 32 * 3)).toBe(256);
    expect(fidelityBatch(10_000_000)).toBe(1);
  });

  it('is no larger than the power of two that holds the pass\'s largest run of rows', () => {
    expect(fidelityBatch(784, 340)).toBe(512);
    expect(fidelityBatch(784, 100)).toBe(128);
    expect(fidelityBatch(784, 2000)).toBe(1024);
    expect(fidelityBatch(9, 1)).toBe(1);
  });
});
