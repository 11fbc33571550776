import { describe, expect, it } from 'vitest';
import { judgeDrift, unjudgedDriftLimits } from './drift-judge';
import type { FidelityReport, SliceGap, SliceMetrics } from './types';

const slice = (name: string, n: number, over: Partial<SliceMetrics>) => ({ slice: name, n, flipRate: 0, ...over }) as SliceMetrics;

function tprGap(highest: [string, number, number], lowest: [string, number, number]): SliceGap {
  const side = ([s, n, value]: [string, number, number]) => ({ slice: s, n, value });
  return { state: 'computed', metric: 'truePositiveRate', higherIsBetter: true, minSliceSize: 30, highest: side(highest), lowest: side(lowest), gap: highest[2] - lowest[2], ci: null, excludedSlices: [] };
}

const report = {
  minSliceSize: 30,
  overall: slice('all', 500, { accuracy: 0.8, referenceAccuracy: 0.81, accuracyDrop: 0.01 }),
  groupings: [
    {
      columns: ['ethnicity'],
      slices: [
        slice('ethnicity=afam', 40, { flipRate: 0.05, accuracy: 0.7, referenceAccuracy: 0.75, accuracyDrop: 0.05 }),
        slice('ethnicity=cauc', 460, { accuracy: 0.81, referenceAccuracy: 0.816, accuracyDrop: 0.006 }),
      ],
      gaps: [tprGap(['ethnicity=cauc', 230, 0.82], ['ethnicity=afam', 35, 0.7])],
    },
    {
      columns: ['region'],
      slices: [slice('region=west', 12, { accuracyDrop: 0.5 })],
      gaps: [{ state: 'too-few-slices', metric: 'truePositiveRate', higherIsBetter: true, minSliceSize: 30, eligibleSlices: 1, excludedSlices: ['region=west'] }],
    },
  ],
  attributionDrift: null,
} as unknown as FidelityReport;

describe('judgeDrift', () => {
  it('names the slice, its size and how many rows flipped', () => {
    const failed = judgeDrift(report, { maxFlipRate: 0.01 }).filter((v) => v.status === 'fail');
    expect(failed.map((v) => v.message)).toEqual(['flip rate in slice "ethnicity=afam" (40 rows) 5.00% > limit 1.00%: 2 of 40 rows flipped']);
  });

  it('judges the accuracy drop against the reference in every slice large enough, and skips small ones by name', () => {
    const verdicts = judgeDrift(report, { maxAccuracyDrop: 0.02 });
    expect(verdicts.map((v) => [v.slice, v.status])).toEqual([
      ['all', 'pass'],
      ['ethnicity=afam', 'fail'],
      ['ethnicity=cauc', 'pass'],
      ['region=west', 'too-small'],
    ]);
    expect(verdicts[1]?.message).toBe('accuracy drop in slice "ethnicity=afam" (40 rows) 5.0 pts (70.00% vs the reference\'s 75.00%) > limit 2.0 pts');
    expect(verdicts[1]?.value).toBeCloseTo(0.05, 12);
  });

  it('judges the true-positive-rate gap per grouping, naming both slices and their positives, and never a grouping with one eligible slice', () => {
    const verdicts = judgeDrift(report, { maxTruePositiveRateGap: 0.1 });
    expect(verdicts.map((v) => [v.slice, v.status, v.n])).toEqual([
      ['ethnicity=cauc vs ethnicity=afam', 'fail', 35],
      ['region', 'too-small', 0],
    ]);
    expect(verdicts[0]?.message).toBe(
      'true-positive-rate gap by ethnicity 12.0 pts ("ethnicity=cauc" 82.00% of 230 positives vs "ethnicity=afam" 70.00% of 35 positives) > limit 10.0 pts',
    );
    expect(verdicts[1]?.message).toContain('1 slice(s) with at least 30 positive rows');
  });

  it('says which asked-for limits a report cannot judge at all', () => {
    const old = { ...report, overall: slice('all', 500, {}), groupings: [{ columns: ['g'], slices: [], gaps: [] }] } as unknown as FidelityReport;
    expect(unjudgedDriftLimits(old, { maxFlipRate: 0.01, maxAccuracyDrop: 0.02, maxTruePositiveRateGap: 0.1, minAttributionRankCorrelation: 0.9 })).toEqual([
      'attribution-rank-correlation',
      'accuracy-drop',
      'tpr-gap',
    ]);
    expect(unjudgedDriftLimits(report, { maxFlipRate: 0.01 })).toEqual([]);
  });
});
