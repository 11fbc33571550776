import { describe, expect, it } from 'vitest';

import {
  attributionDriftReport,
  compareAttributions,
  stackAttributions,
  summarizeDrift,
} from './attribution-drift';
import type { SliceGroup } from './slices';

// Three explained examples, four features each.
//   e0: the candidate is identical.
//   e1: the candidate reverses the order of importance.
//   e2: the candidate flips every sign but keeps every magnitude.
const reference = [1, -2, 0.5, 3, 1, 2, 3, 4, 1, -2, 3, -4];
const candidate = [1, -2, 0.5, 3, 4, 3, 2, 1, -1, 2, -3, 4];

function group(slice: string, indices: number[]): SliceGroup {
  return { slice, parts: [], indices: Uint32Array.from(indices), n: indices.length };
}

describe('compareAttributions', () => {
  it('ranks by |value| by default: a sign flip keeps the ranking', () => {
    const d = compareAttributions(reference, candidate, 4, { k: 2 });
    expect(d.examples).toBe(3);
    expect(d.rankBy).toBe('absolute');
    expect([...d.spearman]).toEqual([1, -1, 1]);
    // top-2 by |value|: e1 {3, 2} vs {0, 1}; e2 {3, 2} on both sides.
    expect([...d.topKOverlap]).toEqual([1, 0, 1]);
    expect([...d.pearson]).toEqual([1, -1, -1]);
  });

  it('ranks signed values on request: a sign flip reverses the ranking', () => {
    const d = compareAttributions(reference, candidate, 4, { k: 2, rankBy: 'signed' });
    expect([...d.spearman]).toEqual([1, -1, -1]);
  });

  it('clamps k to the width', () => {
    expect(compareAttributions(reference, candidate, 4, { k: 10 }).k).toBe(4);
  });

  it('rejects mismatched shapes, a bad k and non-finite values', () => {
    expect(() => compareAttributions(reference, candidate.slice(4), 4, { k: 2 })).toThrow('candidate has 8 values');
    expect(() => compareAttributions(reference, candidate, 5, { k: 2 })).toThrow('not whole rows');
    expect(() => compareAttributions(reference, candidate, 4, { k: 0 })).toThrow('k must be a positive integer');
    expect(() => compareAttributions([1, Number.NaN], [1, 2], 2, { k: 1 })).toThrow('values must be finite');
  });
});

describe('summarizeDrift and attributionDriftReport', () => {
  const drift = compareAttributions(reference, candidate, 4, { k: 2 });

  it('summarises a slice: means and the worst Spearman', () => {
    expect(summarizeDrift(drift, group('all', [0, 1, 2]))).toEqual({
      slice: 'all',
      n: 3,
      meanSpearman: 1 / 3,
      minSpearman: -1,
      meanTopKOverlap: 2 / 3,
      meanPearson: -1 / 3,
      ci: {},
    });
  });

  it('adds bootstrap intervals on request (a constant slice gives a point)', () => {
    const s = summarizeDrift(drift, group('a', [0, 2]), { iterations: 50, seed: 1, confidence: 0.9 });
    expect(s.ci.spearman).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(s.ci.topKOverlap).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(s.ci.pearson?.estimate).toBe(0);
  });

  it('reports overall and per slice', () => {
    const report = attributionDriftReport(drift, [group('x=a', [0, 2]), group('x=b', [1])], {
      method: 'kernel-shap',
      target: 1,
    });
    expect(report).toMatchObject({ method: 'kernel-shap', target: 1, k: 2, rankBy: 'absolute' });
    expect(report.overall.n).toBe(3);
    expect(report.slices.map((s) => [s.slice, s.n, s.meanSpearman, s.meanTopKOverlap])).toEqual([
      ['x=a', 2, 1, 1],
      ['x=b', 1, -1, 0],
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('rejects empty slices and indices out of range', () => {
    expect(() => summarizeDrift(drift, group('none', []))).toThrow('slice "none" has no examples');
    expect(() => summarizeDrift(drift, group('bad', [3]))).toThrow('example 3 is out of range [0, 2]');
  });
});

describe('stackAttributions', () => {
  it('stacks values of equal width and rejects ragged ones', () => {
    const s = stackAttributions([{ values: [1, 2] }, { values: [3, 4] }]);
    expect(s.width).toBe(2);
    expect([...s.values]).toEqual([1, 2, 3, 4]);
    expect(() => stackAttributions([{ values: [1, 2] }, { values: [3] }])).toThrow('example 1 has 1 values');
  });
});
