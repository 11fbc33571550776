import { describe, expect, it } from 'vitest';
import { agrees, batchOf, compareWithGolden } from './agreement';

const golden = [
  [0.9, 0.1],
  [0.2, 0.8],
];

describe('compareWithGolden', () => {
  it('measures max and mean |Δ| and arg-max flips', () => {
    const a = compareWithGolden(new Float32Array([0.9, 0.1, 0.6, 0.4]), golden, 1e-4, 2);
    expect(a.maxAbsDiff).toBeCloseTo(0.4, 6);
    expect(a.meanAbsDiff).toBeCloseTo(0.2, 6);
    expect(a.top1Mismatches).toBe(1);
    expect(agrees(a)).toBe(false);
  });
  it('accepts float32 rounding within tolerance', () => {
    const a = compareWithGolden(new Float32Array([0.9, 0.1, 0.2, 0.8]), golden, 1e-6, 1);
    expect(a.maxAbsDiff).toBeLessThan(1e-7);
    expect(agrees(a)).toBe(true);
  });
  it('fails NaN outputs instead of passing them', () => {
    const a = compareWithGolden(new Float32Array([Number.NaN, 0.1, 0.2, 0.8]), golden, 1, 1);
    expect(a.maxAbsDiff).toBe(Number.POSITIVE_INFINITY);
    expect(agrees(a)).toBe(false);
  });
  it('rejects outputs of the wrong size', () => {
    expect(() => compareWithGolden(new Float32Array(3), golden, 1, 1)).toThrow('Expected 2×2 outputs, got 3 values');
  });
});

describe('batchOf', () => {
  it('pads a short last batch by wrapping around', () => {
    expect([...batchOf([[1, 2], [3, 4], [5, 6]], 2, 3)]).toEqual([5, 6, 1, 2, 3, 4]);
  });
});
