import { describe, expect, it } from 'vitest';

import { createRng, randomInt } from '../util/random';
import {
  bootstrapRatioOfMediansCi,
  computeStatistics,
  k_median_ci_min_n,
  k_noisy_rme_percent,
  k_noisy_tail_ratio,
  k_z975,
  medianCiLowerRank,
  quantile,
  sortSamples,
  tCritical975,
} from './statistics';

describe('sortSamples', () => {
  it('copies, sorts ascending and keeps duplicates', () => {
    const raw = [3, 1, 2, 1];
    const sorted = sortSamples(raw);
    expect([...sorted]).toEqual([1, 1, 2, 3]);
    expect(raw).toEqual([3, 1, 2, 1]); // input untouched
    expect(Object.isFrozen(sorted)).toBe(true);
  });

  it('sorts numerically, not lexicographically', () => {
    expect([...sortSamples([10, 9, 100, 1.5])]).toEqual([1.5, 9, 10, 100]);
  });

  it('rejects empty input', () => {
    expect(() => sortSamples([])).toThrow(RangeError);
    expect(() => sortSamples([])).toThrow('empty array');
  });

  it('rejects non-finite values, naming value and index', () => {
    expect(() => sortSamples([1, Number.NaN])).toThrow('got NaN at index 1');
    expect(() => sortSamples([Number.POSITIVE_INFINITY])).toThrow('got Infinity at index 0');
    expect(() => sortSamples([1, 2, Number.NEGATIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('quantile (type 7)', () => {
  const oneToTen = sortSamples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('interpolates linearly at h = (n - 1)q', () => {
    expect(quantile(oneToTen, 0)).toBe(1);
    expect(quantile(oneToTen, 1)).toBe(10);
    expect(quantile(oneToTen, 0.5)).toBe(5.5); // h = 4.5 → 5 + 0.5·1
    expect(quantile(oneToTen, 0.75)).toBe(7.75); // h = 6.75 → 7 + 0.75·1
    expect(quantile(oneToTen, 0.9)).toBeCloseTo(9.1, 12); // h = 8.1
    expect(quantile(oneToTen, 0.25)).toBe(3.25); // h = 2.25 (R: quantile(1:10, .25) = 3.25)
  });

  it('gives the middle value for odd n and the single value for n = 1', () => {
    expect(quantile(sortSamples([3, 1, 2]), 0.5)).toBe(2);
    expect(quantile(sortSamples([7]), 0.99)).toBe(7);
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantile(oneToTen, 1.5)).toThrow('got 1.5');
    expect(() => quantile(oneToTen, -0.1)).toThrow(RangeError);
    expect(() => quantile(oneToTen, Number.NaN)).toThrow(RangeError);
  });
});

describe('tCritical975', () => {
  it('reads the exact table for small df', () => {
    expect(tCritical975(1)).toBe(12.7062047);
    expect(tCritical975(2)).toBe(4.3026527);
    expect(tCritical975(9)).toBe(2.2621572);
    expect(tCritical975(30)).toBe(2.0422725);
  });

  it('approximates large df within 1e-7 of scipy.stats.t.ppf(0.975, df)', () => {
    expect(tCritical975(31)).toBeCloseTo(2.0395134, 7);
    expect(tCritical975(40)).toBeCloseTo(2.0210754, 7);
    expect(tCritical975(60)).toBeCloseTo(2.0002978, 7);
    expect(tCritical975(120)).toBeCloseTo(1.9799304, 7);
    expect(tCritical975(1999)).toBeCloseTo(1.9611514, 7);
    expect(tCritical975(1e9)).toBeCloseTo(k_z975, 8);
  });

  it('decreases monotonically across the table/approximation seam', () => {
    for (let df = 1; df < 200; df++) {
      expect(tCritical975(df + 1)).toBeLessThan(tCritical975(df));
    }
  });

  it('rejects df that is not a positive integer', () => {
    expect(() => tCritical975(0)).toThrow('got 0');
    expect(() => tCritical975(2.5)).toThrow(RangeError);
  });
});

describe('medianCiLowerRank', () => {
  // Largest l with P(Binomial(n, 1/2) ≤ l - 1) ≤ 0.025:
  // n = 6: P(B = 0) = 1/64 = 0.0156 ≤ 0.025, P(B ≤ 1) = 7/64 > 0.025 → l = 1.
  // n = 9: P(B ≤ 1) = 10/512 = 0.0195, P(B ≤ 2) = 46/512 = 0.0898 → l = 2.
  // n = 10: P(B ≤ 1) = 11/1024 = 0.0107, P(B ≤ 2) = 56/1024 = 0.0547 → l = 2.
  it('matches hand-computed binomial ranks for small n', () => {
    expect(medianCiLowerRank(6)).toBe(1);
    expect(medianCiLowerRank(8)).toBe(1);
    expect(medianCiLowerRank(9)).toBe(2);
    expect(medianCiLowerRank(10)).toBe(2);
  });

  it('matches scipy for larger n (no underflow past n = 1074)', () => {
    expect(medianCiLowerRank(20)).toBe(6);
    expect(medianCiLowerRank(30)).toBe(10);
    expect(medianCiLowerRank(50)).toBe(18);
    expect(medianCiLowerRank(100)).toBe(40);
    expect(medianCiLowerRank(200)).toBe(86);
    expect(medianCiLowerRank(1000)).toBe(469);
    expect(medianCiLowerRank(2000)).toBe(956);
    expect(medianCiLowerRank(5000)).toBe(2431);
    expect(medianCiLowerRank(100_000)).toBe(49690);
  });

  it('falls back to rank 1 ([min, max]) below k_median_ci_min_n', () => {
    expect(k_median_ci_min_n).toBe(6);
    for (let n = 1; n < k_median_ci_min_n; n++) expect(medianCiLowerRank(n)).toBe(1);
  });
});

describe('computeStatistics', () => {
  it('samples 1..10 (given shuffled)', () => {
    const s = computeStatistics(sortSamples([7, 2, 9, 1, 10, 4, 3, 8, 6, 5]));
    expect(s.n).toBe(10);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.mean).toBe(5.5);
    // Σ(x - 5.5)² = 2·(4.5² + 3.5² + 2.5² + 1.5² + 0.5²) = 82.5; sd = √(82.5 / 9)
    expect(s.sd).toBeCloseTo(Math.sqrt(82.5 / 9), 12); // 3.0276503540974917
    expect(s.sem).toBeCloseTo(Math.sqrt(82.5 / 9) / Math.sqrt(10), 12); // 0.9574271077563381
    // t(0.975, 9) = 2.2621572 → moe = 2.2621572 · 0.9574271 = 2.1658506
    expect(s.moe95).toBeCloseTo(2.1658506, 6);
    expect(s.rme).toBeCloseTo((2.1658506 / 5.5) * 100, 4); // 39.3791 %
    expect(s.p50).toBe(5.5);
    expect(s.p75).toBe(7.75);
    expect(s.p90).toBeCloseTo(9.1, 12); // h = 8.1
    expect(s.p95).toBeCloseTo(9.55, 12); // h = 8.55
    expect(s.p99).toBeCloseTo(9.91, 12); // h = 8.91
    // |x - 5.5| sorted: .5 .5 1.5 1.5 2.5 2.5 3.5 3.5 4.5 4.5 → median 2.5
    expect(s.mad).toBe(2.5);
    // l = 2 for n = 10 → [x(2), x(9)], coverage 1 - 2·11/1024 = 97.85%
    expect(s.medianCi95).toEqual({ low: 2, high: 9 });
    expect(s.noisy).toBe(true);
    expect(s.noiseReasons).toEqual(['high-rme']);
  });

  it('[3, 1, 2]: tiny n falls back to [min, max] and is flagged', () => {
    const s = computeStatistics(sortSamples([3, 1, 2]));
    expect(s.n).toBe(3);
    expect(s.mean).toBe(2);
    expect(s.sd).toBe(1); // Σ(x - 2)² = 2, / (3 - 1) = 1
    expect(s.sem).toBeCloseTo(1 / Math.sqrt(3), 12); // 0.5773502691896258
    expect(s.moe95).toBeCloseTo(4.3026527 / Math.sqrt(3), 12); // 2.4841377
    expect(s.rme).toBeCloseTo((4.3026527 / Math.sqrt(3) / 2) * 100, 10); // 124.2069 %
    expect(s.p50).toBe(2);
    expect(s.p75).toBe(2.5);
    expect(s.p90).toBeCloseTo(2.8, 12);
    expect(s.p95).toBeCloseTo(2.9, 12);
    expect(s.p99).toBeCloseTo(2.98, 12);
    expect(s.mad).toBe(1); // |x - 2| = 1, 1, 0 → median 1
    expect(s.medianCi95).toEqual({ low: 1, high: 3 });
    expect(s.noiseReasons).toEqual(['high-rme', 'too-few-samples']);
  });

  it('a constant series has no spread and is not noisy', () => {
    const s = computeStatistics(sortSamples([4, 4, 4, 4, 4, 4, 4, 4]));
    expect(s).toEqual({
      n: 8,
      min: 4,
      max: 4,
      mean: 4,
      sd: 0,
      sem: 0,
      moe95: 0,
      rme: 0,
      p50: 4,
      p75: 4,
      p90: 4,
      p95: 4,
      p99: 4,
      mad: 0,
      medianCi95: { low: 4, high: 4 },
      noisy: false,
      noiseReasons: [],
    });
  });

  it('a single sample reports zero spread and is flagged too-few-samples', () => {
    const s = computeStatistics(sortSamples([7]));
    expect(s).toMatchObject({
      n: 1,
      min: 7,
      max: 7,
      mean: 7,
      sd: 0,
      sem: 0,
      moe95: 0,
      rme: 0,
      p50: 7,
      p99: 7,
      mad: 0,
      medianCi95: { low: 7, high: 7 },
      noisy: true,
      noiseReasons: ['too-few-samples'],
    });
  });

  it('a tight series is not noisy', () => {
    // 10 × 10 ms and 10 × 11 ms: mean 10.5, sd = √(20·0.25/19) = 0.51299,
    // moe = t(19)·sd/√20 = 2.0930241·0.1147079 = 0.2400883, rme = 2.2866 %
    const xs = [...Array<number>(10).fill(10), ...Array<number>(10).fill(11)];
    const s = computeStatistics(sortSamples(xs));
    expect(s.mean).toBe(10.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 19), 12);
    expect(s.moe95).toBeCloseTo(2.0930241 * Math.sqrt(5 / 19 / 20), 12);
    expect(s.rme).toBeCloseTo(2.28656, 4);
    expect(s.rme).toBeLessThan(k_noisy_rme_percent);
    // l = 6 for n = 20 → [x(6), x(15)] = [10, 11]
    expect(s.medianCi95).toEqual({ low: 10, high: 11 });
    expect(s.noisy).toBe(false);
  });

  it('flags a long tail that the margin of error hides', () => {
    // 980 × 10 ms and 20 × 100 ms (2% stalls): p50 = 10, p99 = x[989] = 100.
    // mean = 11.8; Σ(x - mean)² = 980·1.8² + 20·88.2² = 158760; sd = √(158760/999)
    // moe = t(999)·sd/√1000 ≈ 1.96234·0.398647 = 0.78228 → rme = 6.63 % (below 10 %)
    const xs = [...Array<number>(980).fill(10), ...Array<number>(20).fill(100)];
    const s = computeStatistics(sortSamples(xs));
    expect(s.p50).toBe(10);
    expect(s.p99).toBe(100);
    expect(s.mean).toBeCloseTo(11.8, 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(158760 / 999), 9);
    expect(s.rme).toBeCloseTo(6.6295, 3);
    expect(s.p99 / s.p50).toBeGreaterThan(k_noisy_tail_ratio);
    expect(s.noiseReasons).toEqual(['long-tail']);
    // l = 469 for n = 1000: both order statistics are 10
    expect(s.medianCi95).toEqual({ low: 10, high: 10 });
  });

  it('treats p50 = 0 with p99 > 0 as a long tail, and all zeros as quiet', () => {
    const zerosThenOne = [...Array<number>(99).fill(0), 1];
    expect(computeStatistics(sortSamples(zerosThenOne)).noiseReasons).toContain('long-tail');
    const zeros = computeStatistics(sortSamples(Array<number>(10).fill(0)));
    expect(zeros.rme).toBe(0);
    expect(zeros.noisy).toBe(false);
  });

  it('is not fooled by a large offset (two-pass variance)', () => {
    const base = 1e9;
    const s = computeStatistics(sortSamples([base + 1, base + 2, base + 3]));
    expect(s.sd).toBe(1);
    expect(s.mad).toBe(1);
  });
});

describe('bootstrapRatioOfMediansCi', () => {
  const baseline = [10, 11, 9, 10.5, 10.2, 9.8, 10.1, 9.9, 10.3, 12, 9.7, 10];
  const slower = baseline.map((x) => x * 1.5);

  it('computes the point ratio from the full-sample medians', () => {
    // median(baseline) = (10 + 10.1)/2 = 10.05; candidate is exactly 1.5×
    const r = bootstrapRatioOfMediansCi(baseline, slower, { iterations: 200, seed: 1, confidence: 0.95 });
    expect(r.ratio).toBeCloseTo(1.5, 12);
    expect(r.low).toBeLessThanOrEqual(r.ratio);
    expect(r.high).toBeGreaterThanOrEqual(r.ratio);
    expect(r.low).toBeGreaterThan(1.2);
    expect(r.high).toBeLessThan(1.9);
  });

  it('gives a degenerate interval for constant series', () => {
    const r = bootstrapRatioOfMediansCi([5, 5, 5], [10, 10, 10, 10], {
      iterations: 50,
      seed: 9,
      confidence: 0.9,
    });
    expect(r).toEqual({ ratio: 2, low: 2, high: 2 });
  });

  it('is deterministic for a seed and varies with it', () => {
    const opts = { iterations: 500, seed: 42, confidence: 0.95 };
    const a = bootstrapRatioOfMediansCi(baseline, slower, opts);
    const b = bootstrapRatioOfMediansCi(baseline, slower, opts);
    expect(a).toEqual(b);
    const c = bootstrapRatioOfMediansCi(baseline, slower, { ...opts, seed: 43 });
    expect(c.ratio).toBe(a.ratio);
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
  });

  it('matches a naive sort-per-resample implementation exactly', () => {
    const cand = [14, 15.5, 13.9, 16, 15, 14.2, 30, 15.1, 14.8];
    const opts = { iterations: 300, seed: 123, confidence: 0.9 };
    const fast = bootstrapRatioOfMediansCi(baseline, cand, opts);

    // Same draw order: per iteration, baseline indices then candidate indices.
    const rng = createRng(opts.seed);
    const median = (xs: number[]): number => quantile(sortSamples(xs), 0.5);
    const resample = (xs: readonly number[]): number[] => {
      const sorted = [...xs].sort((p, q) => p - q);
      return sorted.map(() => sorted[randomInt(rng, sorted.length)] ?? Number.NaN);
    };
    const ratios: number[] = [];
    for (let i = 0; i < opts.iterations; i++) {
      const b = median(resample(baseline));
      const c = median(resample(cand));
      ratios.push(c / b);
    }
    const sortedRatios = sortSamples(ratios);
    expect(fast.ratio).toBe(median(cand) / median(baseline));
    expect(fast.low).toBe(quantile(sortedRatios, 0.05));
    expect(fast.high).toBe(quantile(sortedRatios, 0.95));
  });

  it('narrows as the confidence level drops', () => {
    const wide = bootstrapRatioOfMediansCi(baseline, slower, { iterations: 1000, seed: 5, confidence: 0.99 });
    const narrow = bootstrapRatioOfMediansCi(baseline, slower, { iterations: 1000, seed: 5, confidence: 0.5 });
    expect(narrow.low).toBeGreaterThanOrEqual(wide.low);
    expect(narrow.high).toBeLessThanOrEqual(wide.high);
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });

  it('reports an unbounded high end when resampled baseline medians can be 0', () => {
    const r = bootstrapRatioOfMediansCi([0, 0, 1, 1, 1], [1, 1, 1], {
      iterations: 500,
      seed: 2,
      confidence: 0.95,
    });
    expect(r.ratio).toBe(1);
    expect(r.high).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(r.low)).toBe(false);
  });

  it('validates its inputs, naming the problem', () => {
    const ok = { iterations: 10, seed: 1, confidence: 0.95 };
    expect(() => bootstrapRatioOfMediansCi([], [1], ok)).toThrow('empty array');
    expect(() => bootstrapRatioOfMediansCi([1], [Number.NaN], ok)).toThrow('got NaN at index 0');
    expect(() => bootstrapRatioOfMediansCi([0, 0, 1], [1], ok)).toThrow('baseline median must be positive');
    expect(() => bootstrapRatioOfMediansCi([1], [1], { ...ok, iterations: 0 })).toThrow(
      'iterations must be a positive integer, got 0',
    );
    expect(() => bootstrapRatioOfMediansCi([1], [1], { ...ok, confidence: 1 })).toThrow(
      'confidence must be in (0, 1), got 1',
    );
    expect(() => bootstrapRatioOfMediansCi([1], [1], { ...ok, seed: 0.5 })).toThrow(RangeError);
  });
});
