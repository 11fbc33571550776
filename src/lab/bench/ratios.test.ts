import { describe, expect, it } from 'vitest';
import { pairedRatio, rankByRatios, roundMedians, seriesRatio, sharesRounds, summariseRounds } from './ratios';

describe('roundMedians and summariseRounds', () => {
  it('takes each round\'s median and bounds their median with order statistics', () => {
    expect(roundMedians([[3, 1, 2], [5, 4], []])).toEqual([2, 4.5]);
    const s = summariseRounds([10, 12, 11, 13, 9, 14]);
    // n = 6: the 95% distribution-free interval is [min, max]; median of 6 values is the mean of the middle two.
    expect(s).toEqual({ median: 11.5, low: 9, high: 14, spread: 14 / 9, rounds: 6, unstable: true });
    expect(summariseRounds([10, 11, 12, 10, 11, 12]).unstable).toBe(false);
  });
});

describe('pairedRatio', () => {
  it('is the geometric mean of per-round ratios with a t interval on their logs', () => {
    // Ratios 0.5 and 2 → logs ±ln 2: mean 0, sd √2·ln 2, half-width t(0.975,1)·sd/√2 = 12.706·ln 2.
    const r = pairedRatio([1, 4], [2, 2]);
    expect(r.ratio).toBeCloseTo(1, 12);
    expect(Math.log(r.high)).toBeCloseTo(12.7062047 * Math.LN2, 6);
    expect(r.verdict).toBe('indistinguishable');
  });

  it('calls a consistent 2× ratio slower even when the host drifts 1.5× between rounds', () => {
    // Cell a is 2× cell b in every round while both drift together: the ratio is exact.
    const b = [1, 1.5, 1, 1.5, 1, 1.5];
    const a = b.map((x) => 2 * x);
    const r = pairedRatio(a, b);
    expect(r.ratio).toBeCloseTo(2, 12);
    expect(r.low).toBeCloseTo(2, 12);
    expect(r.high).toBeCloseTo(2, 12);
    expect(r.verdict).toBe('slower');
    expect(pairedRatio(b, a).verdict).toBe('faster');
  });

  it('hand-computed interval for ratios 1.1, 1.2, 1.3 (df = 2): three rounds that scatter ±10% cannot tell 1.2× from 1', () => {
    const logs = [Math.log(1.1), Math.log(1.2), Math.log(1.3)];
    const mean = (logs[0]! + logs[1]! + logs[2]!) / 3;
    const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    const half = 4.3026527 * (sd / Math.sqrt(3));
    const r = pairedRatio([1.1, 1.2, 1.3], [1, 1, 1]);
    expect(r.low).toBeCloseTo(Math.exp(mean - half), 10);
    expect(r.high).toBeCloseTo(Math.exp(mean + half), 10);
    expect(r.low).toBeLessThan(1);
    expect(r.verdict).toBe('indistinguishable');
  });

  it('is indistinguishable with fewer than two paired rounds', () => {
    expect(pairedRatio([2], [1])).toMatchObject({ ratio: 2, rounds: 1, verdict: 'indistinguishable' });
    expect(pairedRatio([], [1]).rounds).toBe(0);
  });
});

describe('rankByRatios', () => {

  it('orders by the statistic its ratios are built on: a cell shown closer to the fastest is never ranked below one shown further', () => {
    // B's rounds swing (2 ms, then 20 ms): median 11 ms, geometric mean 6.3 ms; C is a steady 8 ms.
    const ranked = rankByRatios([
      { key: 'A', medians: [1, 1, 1, 1, 1, 1] },
      { key: 'C', medians: [8, 8, 8, 8, 8, 8] },
      { key: 'B', medians: [2, 2, 2, 20, 20, 20] },
    ]);
    expect(ranked.map((r) => r.key)).toEqual(['A', 'B', 'C']);
    expect(ranked[1]!.vsFastest!.ratio).toBeLessThan(ranked[2]!.vsFastest!.ratio);
  });
  it('gives a tie where the interval holds 1 and a new rank only when distinguishably slower', () => {
    const ranked = rankByRatios([
      { key: 'slow', medians: [4, 6, 4, 6] },
      { key: 'fast', medians: [1, 1.5, 1, 1.5] },
      // 1.08× then 0.98× fast, alternating: indistinguishable from it.
      { key: 'tie', medians: [1.08, 1.47, 1.08, 1.47] },
    ]);
    expect(ranked.map((r) => [r.key, r.rank])).toEqual([
      ['fast', 1],
      ['tie', 1],
      ['slow', 3],
    ]);
    expect(ranked[0]?.vsFastest).toBeNull();
    expect(ranked[2]?.vsFastest?.ratio).toBeCloseTo(4, 12);
  });
});

describe('seriesRatio (staged runs)', () => {
  // The bridge B was sampled in rounds 0–5; A in rounds 0–2 (stage 1), C in rounds 3–5 (stage 2, host twice as slow).
  const bridge = { medians: [1, 1.1, 1, 2, 2.2, 2], ids: [0, 1, 2, 3, 4, 5] };
  const a = { medians: [2, 2.2, 2], ids: [0, 1, 2] };
  const c = { medians: [6, 6.6, 6], ids: [3, 4, 5] };

  it('pairs two series on the rounds they shared, by round number', () => {
    expect(sharesRounds(a, bridge)).toBe(true);
    expect(sharesRounds(a, c)).toBe(false);
    const r = seriesRatio(c, bridge);
    expect(r.ratio).toBeCloseTo(3, 12);
    expect(r.rounds).toBe(3);
    expect(r.bridged).toBeUndefined();
  });

  it('chains two stages through the bridge: A/C = (A/B) × (B/C), not the ratio of raw medians taken on two host states', () => {
    const r = seriesRatio(a, c, bridge);
    // A is 2× the bridge, C is 3× it: A/C = 2/3, though A's raw medians are a third of C's.
    expect(r.ratio).toBeCloseTo(2 / 3, 12);
    expect(r.bridged).toBe(true);
    expect(r.verdict).toBe('faster');
  });

  it('gives a bridged ratio the summed variance of both factors, on Welch–Satterthwaite degrees of freedom', () => {
    const b = { medians: [1, 1, 1, 1, 1, 1], ids: [0, 1, 2, 3, 4, 5] };
    const x = { medians: [1.1, 1.2, 1.3], ids: [0, 1, 2] };
    const y = { medians: [1 / 1.1, 1 / 1.2, 1 / 1.3], ids: [3, 4, 5] };
    const chained = seriesRatio(x, y, b);
    // Both factors have the same log variance s² over 3 rounds: se² = 2s²/3, df = 4.
    const logs = [Math.log(1.1), Math.log(1.2), Math.log(1.3)];
    const mean = logs.reduce((t, v) => t + v, 0) / 3;
    const s2 = logs.reduce((t, v) => t + (v - mean) ** 2, 0) / 2;
    const half = 2.7764451 * Math.sqrt((2 * s2) / 3);
    expect(Math.log(chained.ratio)).toBeCloseTo(2 * mean, 10);
    expect(Math.log(chained.high) - Math.log(chained.ratio)).toBeCloseTo(half, 6);
    expect(Math.log(chained.ratio) - Math.log(chained.low)).toBeCloseTo(half, 6);
  });

  it('without a bridge, two series that shared no round are indistinguishable, with no ratio', () => {
    const r = seriesRatio(a, c);
    expect(r.verdict).toBe('indistinguishable');
    expect(r.ratio).toBeNaN();
  });

  it('ranks cells of two stages by their ratio to the bridge, not by raw medians', () => {
    const ranked = rankByRatios(
      [
        { key: 'A', ...a },
        { key: 'C', medians: [1.6, 1.76, 1.6], ids: [3, 4, 5] },
        { key: 'B', ...bridge },
      ],
      bridge,
    );
    // C is 0.8× the bridge (its raw medians, 1.6, were taken on the slower host), A is 2×.
    expect(ranked.map((r) => r.key)).toEqual(['C', 'B', 'A']);
    expect(ranked[2]?.vsFastest?.ratio).toBeCloseTo(2.5, 10);
    expect(ranked[2]?.vsFastest?.bridged).toBe(true);
  });
});
