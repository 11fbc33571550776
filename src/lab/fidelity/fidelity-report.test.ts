import { describe, expect, it } from 'vitest';

import { compareRows } from './agreement-metrics';
import { buildFidelityReport, equalisedOddsGap, k_higher_is_better } from './fidelity-report';
import { scoreRows } from './quality-metrics';
import type { SliceGap } from './types';

/** Two-column probabilities [1 − p, p] from class-1 probabilities. */
function binary(p1: readonly number[]): Float32Array {
  return Float32Array.from(p1.flatMap((p) => [1 - p, p]));
}

// Eight rows, slice g: rows 0–3 "a", rows 4–7 "b".
//   candidate p1   0.875 0.75 0.25 0.125 | 0.875 0.625 0.375 0.25
//   predicted      1     1    0    0     | 1     1     0     0
//   label          1     1    0    0     | 1     0     1     0
//   reference p1   0.75 (row 0) and 0.375 (row 5, a flip); the rest equal.
const candidate = binary([0.875, 0.75, 0.25, 0.125, 0.875, 0.625, 0.375, 0.25]);
const reference = binary([0.75, 0.75, 0.25, 0.125, 0.875, 0.375, 0.375, 0.25]);
const labels = [1, 1, 0, 0, 1, 0, 1, 0];
const sliceColumns = { g: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] };

function inputs() {
  return {
    rows: 8,
    agreement: compareRows(reference, candidate, 2),
    quality: scoreRows(candidate, 2, labels),
    sliceColumns,
    groupings: [['g']],
    minSliceSize: 4,
  };
}

describe('buildFidelityReport', () => {
  it('computes overall and per-slice metrics (hand-computed)', () => {
    const report = buildFidelityReport({ ...inputs(), bootstrap: null });
    expect(report.bootstrap).toBeNull();
    expect(report.positiveClass).toBe(1);
    expect(report.eceBins).toBe(10);
    expect(report.overall).toMatchObject({
      slice: 'all',
      n: 8,
      accuracy: 0.75,
      // bins 6 (rows 5, 6), 7 (rows 1, 2, 7), 8 (rows 0, 3, 4): (1.25 + 0.75 + 0.375) / 8
      ece: 0.296875,
      positiveRate: 0.5,
      flipRate: 0.125,
      meanAbsDp: 0.375 / 8,
      maxAbsDp: 0.25,
      nonFiniteRows: 0,
      ci: {},
    });
    const [a, b] = report.groupings[0]?.slices ?? [];
    expect(a).toMatchObject({ slice: 'g=a', n: 4, accuracy: 1, ece: 0.1875, positiveRate: 0.5, flipRate: 0 });
    expect(a).toMatchObject({ meanAbsDp: 0.03125, maxAbsDp: 0.125 });
    expect(b).toMatchObject({ slice: 'g=b', n: 4, accuracy: 0.5, ece: 0.40625, positiveRate: 0.5, flipRate: 0.25 });
    expect(b).toMatchObject({ meanAbsDp: 0.0625, maxAbsDp: 0.25 });
    expect(b?.reliability?.[6]).toEqual({ low: 0.6, high: 0.7, count: 2, meanConfidence: 0.625, accuracy: 0 });
  });

  it('computes the gap of every measured metric between slices', () => {
    const report = buildFidelityReport({ ...inputs(), bootstrap: null });
    const gaps = report.groupings[0]?.gaps ?? [];
    const summary = (g: SliceGap): unknown[] =>
      g.state === 'computed' ? [g.metric, g.highest.slice, g.lowest.slice, g.gap, g.higherIsBetter] : [g.state];
    expect(gaps.map(summary)).toEqual([
      ['accuracy', 'g=a', 'g=b', 0.5, true],
      ['ece', 'g=b', 'g=a', 0.21875, false],
      ['positiveRate', 'g=a', 'g=b', 0, null],
      ['flipRate', 'g=b', 'g=a', 0.25, false],
      ['meanAbsDp', 'g=b', 'g=a', 0.03125, false],
      // Two positives and two negatives per slice: under the minimum of 4, so no gap.
      ['too-few-slices'],
      ['too-few-slices'],
    ]);
    expect(k_higher_is_better.accuracy).toBe(true);
  });

  it('adds intervals whose estimates equal the point values, deterministically, as plain JSON', () => {
    const opts = { iterations: 200, seed: 3, confidence: 0.9 };
    const report = buildFidelityReport({ ...inputs(), bootstrap: opts });
    expect(report.bootstrap).toEqual(opts);
    const b = report.groupings[0]?.slices[1];
    expect(Object.keys(b?.ci ?? {})).toEqual(['accuracy', 'ece', 'positiveRate', 'flipRate', 'meanAbsDp', 'truePositiveRate', 'falsePositiveRate']);
    expect(b?.ci.truePositiveRate?.estimate).toBe(0.5);
    expect(b?.ci.accuracy?.estimate).toBe(0.5);
    expect(b?.ci.flipRate?.estimate).toBe(0.25);
    expect(b?.ci.accuracy?.low).toBeLessThanOrEqual(0.5);
    expect(b?.ci.accuracy?.high).toBeGreaterThanOrEqual(0.5);
    const gap = report.groupings[0]?.gaps[0];
    expect(gap?.state === 'computed' && gap.ci?.estimate).toBe(0.5);
    expect(buildFidelityReport({ ...inputs(), bootstrap: opts })).toEqual(report);
    // No NaN or Infinity anywhere: the JSON round trip is lossless.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('computes base rate, true- and false-positive rates per slice, their gaps counted over positives and negatives, and the accuracy drop against the reference', () => {
    const report = buildFidelityReport({ ...inputs(), referenceQuality: scoreRows(reference, 2, labels), minSliceSize: 2, bootstrap: null });
    // Overall: labels 1 at rows 0, 1, 4, 6 (predicted 1, 1, 1, 0); labels 0 at rows 2, 3, 5, 7 (predicted 0, 0, 1, 0).
    expect(report.overall).toMatchObject({ baseRate: 0.5, positives: 4, negatives: 4, truePositiveRate: 0.75, falsePositiveRate: 0.25 });
    // The reference predicts 1 1 0 0 | 1 0 0 0: accuracy 7/8 against the cell's 6/8.
    expect(report.overall).toMatchObject({ referenceAccuracy: 0.875, accuracyDrop: 0.125 });
    const [a, b] = report.groupings[0]?.slices ?? [];
    expect(a).toMatchObject({ baseRate: 0.5, positives: 2, negatives: 2, truePositiveRate: 1, falsePositiveRate: 0, referenceAccuracy: 1, accuracyDrop: 0 });
    expect(b).toMatchObject({ baseRate: 0.5, positives: 2, negatives: 2, truePositiveRate: 0.5, falsePositiveRate: 0.5, referenceAccuracy: 0.75, accuracyDrop: 0.25 });
    const gap = (metric: string) => report.groupings[0]?.gaps.find((g) => g.metric === metric);
    expect(gap('truePositiveRate')).toMatchObject({ state: 'computed', gap: 0.5, highest: { slice: 'g=a', n: 2, value: 1 }, lowest: { slice: 'g=b', n: 2, value: 0.5 } });
    expect(gap('falsePositiveRate')).toMatchObject({ state: 'computed', gap: 0.5, highest: { slice: 'g=b', n: 2 }, lowest: { slice: 'g=a', n: 2 } });
    // The drop is a per-slice figure beside accuracy, not a gap of its own.
    expect(gap('accuracyDrop')).toBeUndefined();
  });

  it('leaves the fairness rates null on a slice without rows of that label, and out of the report for a multiclass model', () => {
    const report = buildFidelityReport({ rows: 4, quality: scoreRows(binary([0.9, 0.8, 0.2, 0.1]), 2, [1, 1, 1, 1]), bootstrap: { iterations: 50, seed: 1, confidence: 0.95 } });
    expect(report.overall).toMatchObject({ baseRate: 1, positives: 4, negatives: 0, truePositiveRate: 0.5, falsePositiveRate: null });
    expect(report.overall.ci.falsePositiveRate).toBeUndefined();
    const multi = buildFidelityReport({ rows: 2, quality: scoreRows([0.2, 0.5, 0.3, 0.6, 0.2, 0.2], 3, [1, 0]), bootstrap: null });
    expect(multi.overall.truePositiveRate).toBeUndefined();
    expect(multi.overall.baseRate).toBeUndefined();
  });

  it('leaves metrics null when their inputs are missing', () => {
    const report = buildFidelityReport({ rows: 8, quality: scoreRows(candidate, 2, labels), bootstrap: null });
    expect(report.overall).toMatchObject({ accuracy: 0.75, flipRate: null, meanAbsDp: null, nonFiniteRows: null });
    expect(report.groupings).toEqual([]);
    const agreementOnly = buildFidelityReport({
      rows: 8,
      agreement: compareRows(reference, candidate, 2),
      sliceColumns,
      groupings: [['g']],
      minSliceSize: 4,
      bootstrap: null,
    });
    expect(agreementOnly.overall).toMatchObject({ accuracy: null, ece: null, reliability: null, flipRate: 0.125 });
    expect(agreementOnly.groupings[0]?.gaps.map((g) => g.metric)).toEqual(['flipRate', 'meanAbsDp']);
  });

  it('marks gaps with too few large slices, using the default minimum size', () => {
    const { minSliceSize: _unused, ...rest } = inputs();
    const report = buildFidelityReport({ ...rest, bootstrap: null });
    expect(report.minSliceSize).toBe(30);
    expect(report.groupings[0]?.gaps[0]).toMatchObject({ state: 'too-few-slices', eligibleSlices: 0 });
  });

  it('rejects inputs that do not cover the rows', () => {
    expect(() => buildFidelityReport({ ...inputs(), rows: 7 })).toThrow('agreement covers 8 rows, expected 7');
    expect(() => buildFidelityReport({ ...inputs(), sliceColumns: { g: ['a'] } })).toThrow(
      'slice column "g" has 1 values, expected 8',
    );
    expect(() => buildFidelityReport({ ...inputs(), groupings: [['h']] })).toThrow('unknown slice column "h"');
  });
});

describe('equalisedOddsGap', () => {
  it('is the larger of the TPR and FPR gaps, null when either is missing', () => {
    const report = buildFidelityReport({ ...inputs(), minSliceSize: 2, bootstrap: null });
    expect(equalisedOddsGap(report.groupings[0]?.gaps ?? [])).toBe(0.5);
    expect(equalisedOddsGap(buildFidelityReport({ ...inputs(), bootstrap: null }).groupings[0]?.gaps ?? [])).toBeNull();
  });
});
