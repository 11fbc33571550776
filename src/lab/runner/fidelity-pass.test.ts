import { describe, expect, it } from 'vitest';
import { fidelityBatch } from './fidelity-pass';

describe('fidelityBatch', () => {
  it('keeps tabular batches large and image batches within a million values, as a power of two', () => {
    expect(fidelityBatch(9)).toBe(4096);
    expect(fidelityBatch(784)).toBe(1024);
    expect(fidelityBatch(32 * 32 * 3)).toBe(256);
    expect(fidelityBatch(10_000_000)).toBe(1);
  });
});
