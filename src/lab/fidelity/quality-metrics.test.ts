import { describe, expect, it } from 'vitest';

import { allRowsSlice } from './slices';
import type { SliceGroup } from './slices';
import {
  accuracy,
  calibration,
  expectedCalibrationError,
  k_default_ece_bins,
  k_min_slice_size,
  positiveRate,
  predictedClassRates,
  scoreRows,
  sliceGap,
  sliceGapCi,
} from './quality-metrics';

// Six binary rows, binary fractions so every sum is exact.
//   row  probabilities     label  top-1  conf   correct
//   r0   [0.125, 0.875]    1      1      0.875  1
//   r1   [0.875, 0.125]    1      0      0.875  0
//   r2   [0.375, 0.625]    1      1      0.625  1
//   r3   [0.625, 0.375]    0      0      0.625  1
//   r4   [0.5,   0.5  ]    1      0      0.5    0   (tie → class 0)
//   r5   [0,     1    ]    1      1      1      1   (1 falls in the last bin)
const probabilities = Float32Array.from([0.125, 0.875, 0.875, 0.125, 0.375, 0.625, 0.625, 0.375, 0.5, 0.5, 0, 1]);
const labels = [1, 1, 1, 0, 1, 1];
const all = allRowsSlice(6).indices;

describe('scoreRows', () => {
  const q = scoreRows(probabilities, 2, labels);

  it('reads top-1 class, confidence and correctness', () => {
    expect([...q.predicted]).toEqual([1, 0, 1, 0, 0, 1]);
    expect([...q.confidence]).toEqual([0.875, 0.875, 0.625, 0.625, 0.5, 1]);
    expect([...q.correct]).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('reads a single sigmoid output as [1 − p, p]', () => {
    const s = scoreRows([0.875, 0.25, 0.5], 1, [1, 0, 1]);
    expect([...s.predicted]).toEqual([1, 0, 0]);
    expect([...s.confidence]).toEqual([0.875, 0.75, 0.5]);
    expect([...s.correct]).toEqual([1, 1, 0]);
  });

  it('rejects bad labels, a label count mismatch and non-finite confidences', () => {
    expect(() => scoreRows(probabilities, 2, [1, 1, 1, 0, 1])).toThrow('5 labels for 6 rows');
    expect(() => scoreRows([0.5, 0.5], 2, [2])).toThrow('label 2 at row 0 is not a class in [0, 1]');
    expect(() => scoreRows([0.5, 0.5], 2, [0.5])).toThrow('label 0.5');
    expect(() => scoreRows([Number.NaN, Number.NaN], 2, [0])).toThrow('non-finite top-1 probability');
  });
});

describe('accuracy, positiveRate, predictedClassRates', () => {
  const q = scoreRows(probabilities, 2, labels);

  it('on all rows', () => {
    expect(accuracy(q, all)).toBe(4 / 6);
    expect(positiveRate(q, all)).toBe(0.5); // r0, r2, r5 predicted 1
    expect(positiveRate(q, all, 0)).toBe(0.5);
    expect(predictedClassRates(q, all)).toEqual([0.5, 0.5]);
  });

  it('on a multiset of indices', () => {
    expect(accuracy(q, Uint32Array.from([1, 1, 0]))).toBe(1 / 3);
    expect(positiveRate(q, Uint32Array.from([0, 0, 0, 1]))).toBe(0.75);
  });

  it('per class for a multiclass model', () => {
    const m = scoreRows([0.5, 0.25, 0.25, 0.125, 0.125, 0.75, 0.25, 0.5, 0.25, 0, 0, 1], 3, [0, 2, 1, 0]);
    expect(predictedClassRates(m, allRowsSlice(4).indices)).toEqual([0.25, 0.25, 0.5]);
  });
});

describe('expected calibration error', () => {
  const q = scoreRows(probabilities, 2, labels);

  it('matches the hand computation with 4 bins', () => {
    // bin [0.5, 0.75): r2 r3 r4, conf 1.75/3, acc 2/3 → (3/6)·|2/3 − 1.75/3| = 0.25/6
    // bin [0.75, 1]:   r0 r1 r5, conf 2.75/3, acc 2/3 → (3/6)·|2/3 − 2.75/3| = 0.75/6
    expect(expectedCalibrationError(q, all, 4)).toBe(1 / 6);
  });

  it('matches the hand computation with the default 10 bins', () => {
    // bin 5: r4 |0 − 0.5|; bin 6: r2 r3 |2 − 1.25|; bin 8: r0 r1 |1 − 1.75|; bin 9: r5 |1 − 1|; / 6
    expect(k_default_ece_bins).toBe(10);
    expect(expectedCalibrationError(q, all)).toBe(2 / 6);
  });

  it('is 0 for a perfectly calibrated bin and 1 for a confident wrong one', () => {
    const perfect = scoreRows([0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25], 2, [1, 1, 1, 1]);
    // Four rows at confidence 0.75, three of them right: acc = conf = 0.75.
    expect(expectedCalibrationError(perfect, allRowsSlice(4).indices)).toBe(0);
    const wrong = scoreRows([0, 1], 2, [0]);
    expect(expectedCalibrationError(wrong, Uint32Array.of(0))).toBe(1);
  });

  it('gives the reliability diagram with empty bins as null', () => {
    const c = calibration(q, undefined, 4);
    expect(c.ece).toBe(1 / 6);
    expect(c.bins).toEqual([
      { low: 0, high: 0.25, count: 0, meanConfidence: null, accuracy: null },
      { low: 0.25, high: 0.5, count: 0, meanConfidence: null, accuracy: null },
      { low: 0.5, high: 0.75, count: 3, meanConfidence: 1.75 / 3, accuracy: 2 / 3 },
      { low: 0.75, high: 1, count: 3, meanConfidence: 2.75 / 3, accuracy: 2 / 3 },
    ]);
  });

  it('rejects bad bins, empty sets and indices out of range', () => {
    expect(() => calibration(q, undefined, 0)).toThrow('bins must be a positive integer, got 0');
    expect(() => calibration(q, new Uint32Array(0))).toThrow('at least one row');
    expect(() => calibration(q, Uint32Array.of(6))).toThrow('row index 6 is out of range [0, 5]');
  });
});

describe('sliceGap', () => {
  const values = [
    { slice: 'a', n: 50, value: 0.75 },
    { slice: 'b', n: 40, value: 0.5 },
    { slice: 'c', n: k_min_slice_size - 1, value: 0.125 },
    { slice: 'd', n: 100, value: null },
    { slice: 'e', n: 30, value: 0.75 },
  ];

  it('spans the highest and lowest eligible slices, first listed on ties', () => {
    expect(sliceGap(values, { metric: 'accuracy', higherIsBetter: true })).toEqual({
      state: 'computed',
      metric: 'accuracy',
      higherIsBetter: true,
      minSliceSize: 30,
      highest: { slice: 'a', n: 50, value: 0.75 },
      lowest: { slice: 'b', n: 40, value: 0.5 },
      gap: 0.25,
      ci: null,
      excludedSlices: ['c', 'd'],
    });
  });

  it('honours a custom minimum size', () => {
    const g = sliceGap(values, { metric: 'ece', higherIsBetter: false, minSliceSize: 1 });
    expect(g.state === 'computed' && g.lowest.slice).toBe('c');
  });

  it('reports too few slices instead of a gap', () => {
    expect(sliceGap(values.slice(1, 4), { metric: 'positiveRate', higherIsBetter: null })).toEqual({
      state: 'too-few-slices',
      metric: 'positiveRate',
      higherIsBetter: null,
      minSliceSize: 30,
      eligibleSlices: 1,
      excludedSlices: ['c', 'd'],
    });
  });
});

describe('sliceGapCi', () => {
  function group(slice: string, indices: number[]): SliceGroup {
    return { slice, parts: [], indices: Uint32Array.from(indices), n: indices.length };
  }
  // Rows 0..39 all correct, rows 40..79 alternate, rows 80..84 all wrong (too small).
  const correct = Uint8Array.from({ length: 85 }, (_, i) => (i < 40 ? 1 : i < 80 ? (i % 2) : 0));
  const q = {
    rows: 85,
    classes: 2,
    predicted: new Uint32Array(85),
    confidence: new Float64Array(85).fill(0.75),
    correct,
    labels: new Uint32Array(85),
  };
  const groups = [
    group('a', Array.from({ length: 40 }, (_, i) => i)),
    group('b', Array.from({ length: 40 }, (_, i) => 40 + i)),
    group('tiny', [80, 81, 82, 83, 84]),
  ];
  const opts = { iterations: 500, seed: 11, confidence: 0.95 };

  it('estimates the gap of the eligible slices and brackets it, deterministically', () => {
    const ci = sliceGapCi(groups, (ix) => accuracy(q, ix), opts);
    expect(ci?.estimate).toBe(0.5); // 1 − 0.5; the tiny slice (accuracy 0) is left out
    expect(ci?.low).toBeLessThan(0.5);
    expect(ci?.high).toBeGreaterThan(0.5);
    expect(ci?.high).toBeLessThanOrEqual(1);
    expect(sliceGapCi(groups, (ix) => accuracy(q, ix), opts)).toEqual(ci);
  });

  it('is exact when each slice is constant, and null with fewer than two eligible slices', () => {
    const constant = [groups[0], group('c', [80, 81, 82, 83, 84])].filter((g) => g !== undefined);
    expect(sliceGapCi(constant, (ix) => accuracy(q, ix), opts, 5)).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(sliceGapCi(constant, (ix) => accuracy(q, ix), opts)).toBeNull();
  });
});
