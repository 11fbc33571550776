import { describe, expect, it } from 'vitest';

import { averageRanks, pearson, spearman, topKByMagnitude, topKOverlap } from './rank-metrics';

describe('averageRanks', () => {
  it('ranks ascending from 1 and averages ties', () => {
    expect([...averageRanks([10, 20, 20, 30])]).toEqual([1, 2.5, 2.5, 4]);
    expect([...averageRanks([3, 1, 2])]).toEqual([3, 1, 2]);
    expect([...averageRanks([5, 5, 5])]).toEqual([2, 2, 2]);
    expect([...averageRanks(Float32Array.from([-1, 0.5, -1, 7, 0.5]))]).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation and −1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('matches 1 − 6Σd²/(n(n²−1)) without ties', () => {
    // d = [1, 1, 1, 1, 0] → 1 − 6·4 / (5·24) = 0.8
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBe(0.8);
  });

  it('uses average ranks with ties', () => {
    // ranks b = [1, 2, 3.5, 5, 3.5]; Σ da·db = 8, Σ da² = 10, Σ db² = 9.5
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 14);
  });

  it('gives 1 when both are constant and 0 when only one is', () => {
    expect(spearman([2, 2, 2], [7, 7, 7])).toBe(1);
    expect(spearman([2, 2, 2], [1, 2, 3])).toBe(0);
    expect(spearman([1, 2, 3], [0, 0, 0])).toBe(0);
    expect(spearman([4], [9])).toBe(1);
  });

  it('rejects empty, unequal and non-finite input', () => {
    expect(() => spearman([], [])).toThrow('at least one value');
    expect(() => spearman([1, 2], [1])).toThrow('differ in length (2 and 1)');
    expect(() => spearman([1, Number.NaN], [1, 2])).toThrow('got NaN and 2 at index 1');
  });
});

describe('pearson', () => {
  it('matches hand-computed correlations', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(pearson([1, 2, 3], [1, 3, 2])).toBe(0.5); // Σ da·db = 1, Σ da² = Σ db² = 2
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
  });

  it('is not a rank measure: a monotone but curved relation is below 1', () => {
    expect(pearson([1, 2, 3], [1, 2, 10])).toBeLessThan(1);
  });

  it('handles constant vectors like spearman', () => {
    expect(pearson([0, 0], [0, 0])).toBe(1);
    expect(pearson([0, 0], [0, 1])).toBe(0);
  });
});

describe('topKByMagnitude and topKOverlap', () => {
  const a = [0.5, -3, 1, 2];
  const b = [3, 0.1, -2, 1];

  it('picks the largest |values|, largest first, ties to the lower index', () => {
    expect(topKByMagnitude(a, 2)).toEqual([1, 3]);
    expect(topKByMagnitude(b, 3)).toEqual([0, 2, 3]);
    expect(topKByMagnitude([1, -1, 1], 2)).toEqual([0, 1]);
  });

  it('counts the shared top-k features over k', () => {
    expect(topKOverlap(a, b, 1)).toBe(0); // {1} vs {0}
    expect(topKOverlap(a, b, 2)).toBe(0); // {1, 3} vs {0, 2}
    expect(topKOverlap(a, b, 3)).toBe(2 / 3); // {1, 3, 2} vs {0, 2, 3}
    expect(topKOverlap(a, b, 4)).toBe(1);
  });

  it('clamps k to the length and overlaps identical vectors fully', () => {
    expect(topKOverlap(a, b, 10)).toBe(1);
    expect(topKOverlap([1, 1, 1, 1], [1, 1, 1, 1], 2)).toBe(1);
  });

  it('rejects a bad k', () => {
    expect(() => topKOverlap(a, b, 0)).toThrow('k must be a positive integer, got 0');
    expect(() => topKByMagnitude(a, 1.5)).toThrow(RangeError);
  });
});
