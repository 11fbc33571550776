import { describe, expect, it } from 'vitest';

import {
  compareRows,
  flipRate,
  meanAbsDp,
  psnr,
  psnrPerImage,
  summarizeAgreement,
  summarizePsnr,
} from './agreement-metrics';

// Binary fractions, exact in float32, so every expected value is exact.
const reference = Float32Array.from([
  0.5, 0.25, 0.25, // r0: identical in the candidate
  0.5, 0.375, 0.125, // r1: top-1 moves from class 0 to class 1, |Δp| = 0.125
  0.75, 0.125, 0.125, // r2: same top-1, |Δp| = max(0.25, 0.125, 0.125) = 0.25
  0.25, 0.5, 0.25, // r3: the candidate is NaN
]);
const candidate = Float32Array.from([
  0.5, 0.25, 0.25,
  0.375, 0.5, 0.125,
  0.5, 0.25, 0.25,
  Number.NaN, 0.5, 0.25,
]);

describe('compareRows', () => {
  const rows = compareRows(reference, candidate, 3);

  it('flags flips, max-over-classes |Δp| and non-finite rows per row', () => {
    expect(rows.rows).toBe(4);
    expect([...rows.flips]).toEqual([0, 1, 0, 1]);
    expect([...rows.absDp]).toEqual([0, 0.125, 0.25, 0]);
    expect([...rows.nonFinite]).toEqual([0, 0, 0, 1]);
  });

  it('breaks top-1 ties toward the lowest class, so equal ties never flip', () => {
    const tie = compareRows([0.5, 0.5, 0.25, 0.75], [0.5, 0.5, 0.5, 0.5], 2);
    expect([...tie.flips]).toEqual([0, 1]); // row 1: class 1 → tie → class 0
    expect([...tie.absDp]).toEqual([0, 0.25]);
  });

  it('reads one sigmoid output as [1 − p, p]', () => {
    const sig = compareRows([0.75, 0.25], [0.25, 0.5], 1);
    expect([...sig.flips]).toEqual([1, 0]); // 0.5 is not above 0.5: still class 0
    expect([...sig.absDp]).toEqual([0.5, 0.25]);
  });

  it('rejects shapes that differ or are not whole rows', () => {
    expect(() => compareRows([0.5, 0.5], [0.5, 0.5, 0.5, 0.5], 2)).toThrow('candidate has 4 values');
    expect(() => compareRows([0.5, 0.5, 1], [0.5, 0.5, 1], 2)).toThrow('not whole rows of 2');
    expect(() => compareRows([], [], 0)).toThrow('classes must be a positive integer');
  });
});

describe('summarizeAgreement', () => {
  const rows = compareRows(reference, candidate, 3);

  it('summarises all rows: the NaN row flips but stays out of |Δp|', () => {
    expect(summarizeAgreement(rows)).toEqual({
      n: 4,
      flips: 2,
      flipRate: 0.5,
      meanAbsDp: 0.125, // (0 + 0.125 + 0.25) / 3 finite rows
      maxAbsDp: 0.25,
      nonFiniteRows: 1,
    });
  });

  it('summarises a slice', () => {
    expect(summarizeAgreement(rows, Uint32Array.from([0, 1]))).toEqual({
      n: 2,
      flips: 1,
      flipRate: 0.5,
      meanAbsDp: 0.0625,
      maxAbsDp: 0.125,
      nonFiniteRows: 0,
    });
  });

  it('gives zero |Δp| when every row in the set is non-finite', () => {
    expect(summarizeAgreement(rows, Uint32Array.of(3))).toMatchObject({ meanAbsDp: 0, maxAbsDp: 0, flipRate: 1 });
  });

  it('rejects empty sets and indices out of range', () => {
    expect(() => summarizeAgreement(rows, new Uint32Array(0))).toThrow('at least one row');
    expect(() => summarizeAgreement(rows, Uint32Array.of(4))).toThrow('row index 4 is out of range [0, 3]');
  });
});

describe('flipRate and meanAbsDp on multisets (bootstrap resamples)', () => {
  const rows = compareRows(reference, candidate, 3);
  it('counts repeated indices again', () => {
    expect(flipRate(rows, Uint32Array.from([1, 1, 0]))).toBe(2 / 3);
    expect(meanAbsDp(rows, Uint32Array.from([2, 2, 0, 3]))).toBe(0.5 / 3);
    expect(meanAbsDp(rows, Uint32Array.from([3, 3]))).toBe(0);
  });
});

describe('psnr', () => {
  it('is 10·log10(peak² / MSE)', () => {
    expect(psnr([0, 0, 0, 0], [1, 1, 1, 1], 10)).toBe(20); // MSE 1 → 10·log10(100)
    expect(psnr([0, 0, 0, 0], [1, 1, 0, 0], 1)).toBeCloseTo(10 * Math.log10(2), 12); // MSE 0.5
    expect(psnr([0, 0], [255, 255], 255)).toBe(0);
  });

  it('is +Infinity for identical arrays and NaN when a value is NaN', () => {
    expect(psnr([1, 2], [1, 2], 1)).toBe(Number.POSITIVE_INFINITY);
    expect(psnr([1, 2], [1, Number.NaN], 1)).toBeNaN();
  });

  it('rejects empty or unequal arrays and bad peaks', () => {
    expect(() => psnr([], [], 1)).toThrow('at least one value');
    expect(() => psnr([1], [1, 2], 1)).toThrow('candidate has 2 values');
    expect(() => psnr([1], [1], 0)).toThrow('peak must be a positive finite number, got 0');
  });
});

describe('psnrPerImage and summarizePsnr', () => {
  const reference = [0, 0, 0, 0, 0, 0];
  const candidate = [0, 0, 1, 1, 10, 0];
  const values = psnrPerImage(reference, candidate, 2, 10);

  it('computes one PSNR per image', () => {
    // img0 identical; img1 MSE 1 → 20 dB; img2 MSE 50 → 10·log10(2) dB.
    expect(values[0]).toBe(Number.POSITIVE_INFINITY);
    expect(values[1]).toBe(20);
    expect(values[2]).toBeCloseTo(10 * Math.log10(2), 12);
  });

  it('counts identical images apart and averages the others', () => {
    const s = summarizePsnr(values);
    expect(s.n).toBe(3);
    expect(s.identical).toBe(1);
    expect(s.meanDb).toBeCloseTo((20 + 10 * Math.log10(2)) / 2, 12);
    expect(s.minDb).toBeCloseTo(10 * Math.log10(2), 12);
    expect(summarizePsnr(values, Uint32Array.of(0))).toEqual({ n: 1, identical: 1, meanDb: null, minDb: null });
  });

  it('rejects NaN PSNRs', () => {
    expect(() => summarizePsnr([20, Number.NaN])).toThrow('image 1 has PSNR NaN');
  });
});
