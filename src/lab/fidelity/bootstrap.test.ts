import { describe, expect, it } from 'vitest';

import {
  bootstrapCi,
  bootstrapCis,
  bootstrapStratifiedCi,
  bootstrapStratifiedCis,
  k_default_bootstrap,
} from './bootstrap';

/** Mean of data[i] over the indices, summed left to right (as the reference does). */
function meanOf(data: readonly number[]): (indices: Uint32Array) => number {
  return (indices) => {
    let sum = 0;
    for (const i of indices) sum += data[i] ?? Number.NaN;
    return sum / indices.length;
  };
}

// Expected values come from an independent Python script: mulberry32 in
// integer arithmetic, index = floor(u·n), replicates in iteration order, and
// numpy.quantile (type 7) for the bounds.
describe('bootstrapCi', () => {
  it('matches the reference replicates and bounds for rows 0..n−1', () => {
    const data = [0, 0, 1, 1, 1];
    const replicates: number[] = [];
    const mean = meanOf(data);
    const ci = bootstrapCi(
      5,
      (ix) => {
        const v = mean(ix);
        replicates.push(v);
        return v;
      },
      { iterations: 8, seed: 42, confidence: 0.5 },
    );
    // First call is the estimate on the observed rows.
    expect(replicates).toEqual([0.6, 0.8, 0.8, 0.4, 0.8, 0.4, 0.4, 0.6, 0.6]);
    expect(ci).toEqual({ estimate: 0.6, low: 0.4, high: 0.8 });
  });

  it('resamples the given slice indices and interpolates type-7 quantiles', () => {
    const data = [10, 20, 30, 40, 50, 60, 70, 80];
    const ci = bootstrapCi(Uint32Array.from([2, 5, 7]), meanOf(data), {
      iterations: 4,
      seed: 7,
      confidence: 0.5,
    });
    // Replicates 46.67, 66.67, 50, 46.67 → sorted [46.67, 46.67, 50, 66.67];
    // Q(0.25): h = 0.75 → 46.67; Q(0.75): h = 2.25 → 50 + 0.25·16.67 = 54.17.
    expect(ci.estimate).toBe(170 / 3);
    expect(ci.low).toBeCloseTo(46.666666666666664, 12);
    expect(ci.high).toBeCloseTo(54.16666666666667, 12);
  });

  it('is deterministic for a seed and changes with it', () => {
    const data = Array.from({ length: 200 }, (_, i) => (i * 37) % 11);
    const opts = { iterations: 300, seed: 5, confidence: 0.9 };
    const a = bootstrapCi(200, meanOf(data), opts);
    expect(bootstrapCi(200, meanOf(data), opts)).toEqual(a);
    expect(bootstrapCi(200, meanOf(data), { ...opts, seed: 6 })).not.toEqual(a);
    expect(a.low).toBeLessThan(a.estimate);
    expect(a.high).toBeGreaterThan(a.estimate);
  });

  it('collapses to the estimate for a constant statistic', () => {
    expect(bootstrapCi(10, () => 0.25, k_default_bootstrap)).toEqual({ estimate: 0.25, low: 0.25, high: 0.25 });
  });

  it('rejects no rows, bad options and non-finite statistics', () => {
    const opts = { iterations: 10, seed: 1, confidence: 0.95 };
    expect(() => bootstrapCi(0, () => 0, opts)).toThrow('at least one row');
    expect(() => bootstrapCi(new Uint32Array(0), () => 0, opts)).toThrow('at least one row');
    expect(() => bootstrapCi(3, () => 0, { ...opts, iterations: 0 })).toThrow('iterations');
    expect(() => bootstrapCi(3, () => 0, { ...opts, seed: 0.5 })).toThrow('seed');
    expect(() => bootstrapCi(3, () => 0, { ...opts, confidence: 1 })).toThrow('confidence');
    expect(() => bootstrapCi(3, () => Number.NaN, opts)).toThrow('got NaN on the observed rows');
    let calls = 0;
    expect(() => bootstrapCi(3, () => (calls++ === 2 ? Number.POSITIVE_INFINITY : 0), opts)).toThrow(
      'got Infinity on resample 1',
    );
  });
});

describe('bootstrapCis', () => {
  it('gives each statistic exactly its own bootstrapCi (same seed, same draws)', () => {
    const data = Array.from({ length: 50 }, (_, i) => (i * 13) % 7);
    const slice = Uint32Array.from({ length: 30 }, (_, i) => i + 10);
    const opts = { iterations: 100, seed: 8, confidence: 0.95 };
    const mean = meanOf(data);
    const share = (ix: Uint32Array): number => ix.filter((i) => (data[i] ?? 0) > 3).length / ix.length;
    expect(bootstrapCis(slice, { mean, share }, opts)).toEqual({
      mean: bootstrapCi(slice, mean, opts),
      share: bootstrapCi(slice, share, opts),
    });
  });

  it('names the statistic that failed', () => {
    expect(() => bootstrapCis(3, { ok: () => 0, bad: () => Number.NaN }, k_default_bootstrap)).toThrow('(bad)');
  });
});

describe('bootstrapStratifiedCi', () => {
  it('resamples within each stratum, stratum by stratum (reference values)', () => {
    const data = [1, 0, 1, 0, 0];
    const strata = [Uint32Array.from([0, 1, 2]), Uint32Array.from([3, 4])];
    const seen: number[][] = [];
    const ci = bootstrapStratifiedCi(
      strata,
      (s) => {
        seen.push(s.map((x) => x.length));
        const [a, b] = s;
        if (a === undefined || b === undefined) throw new Error('two strata expected');
        return meanOf(data)(a) - meanOf(data)(b);
      },
      { iterations: 4, seed: 3, confidence: 0.9 },
    );
    // Each stratum keeps its size in every resample.
    expect(seen).toEqual(Array.from({ length: 5 }, () => [3, 2]));
    // Replicates 2/3, 1/3, 1, 1 → Q(0.05) = 1/3 + 0.15·(1/3) = 0.3833…, Q(0.95) = 1.
    expect(ci.estimate).toBeCloseTo(2 / 3, 15);
    expect(ci.low).toBeCloseTo(0.3833333333333333, 12);
    expect(ci.high).toBe(1);
  });

  it('gives several statistics their own intervals from one set of draws', () => {
    const strata = [Uint32Array.from([0, 1, 2]), Uint32Array.from([3, 4])];
    const first = (s: readonly Uint32Array[]): number => s[0]?.[0] ?? 0;
    const second = (s: readonly Uint32Array[]): number => s[1]?.[1] ?? 0;
    const opts = { iterations: 20, seed: 2, confidence: 0.8 };
    expect(bootstrapStratifiedCis(strata, { first, second }, opts)).toEqual({
      first: bootstrapStratifiedCi(strata, first, opts),
      second: bootstrapStratifiedCi(strata, second, opts),
    });
  });

  it('rejects no strata and empty strata', () => {
    const opts = { iterations: 10, seed: 1, confidence: 0.95 };
    expect(() => bootstrapStratifiedCi([], () => 0, opts)).toThrow('at least one stratum');
    expect(() => bootstrapStratifiedCi([Uint32Array.of(1), new Uint32Array(0)], () => 0, opts)).toThrow(
      'stratum 1 is empty',
    );
  });
});
