import { describe, expect, it } from 'vitest';
import { latencyTrend } from './trend';

describe('latencyTrend', () => {
  it('fits an exact line: +1 ms per minute with a zero-width interval', () => {
    const t = latencyTrend([0, 60_000, 120_000, 180_000], [10, 11, 12, 13]);
    expect(t).toMatchObject({ n: 4, slopeMsPerMin: 1, low: 1, high: 1, verdict: 'slower-over-time' });
    expect(t?.relativePerMin).toBeCloseTo(1 / 11.5, 12);
  });

  it('hand-computed interval on noisy data (df = 3)', () => {
    // x = 0,1,2,3,4 min; y = 10, 12, 10, 12, 11: slope 0.2, residuals -0.6, 1.2, -1, 0.8, -0.4 give SSE 3.6, s = sqrt(3.6/3), se = s/sqrt(10).
    const t = latencyTrend([0, 1, 2, 3, 4].map((m) => m * 60_000), [10, 12, 10, 12, 11])!;
    expect(t.slopeMsPerMin).toBeCloseTo(0.2, 12);
    const se = Math.sqrt(3.6 / 3 / 10);
    expect(t.high - t.slopeMsPerMin).toBeCloseTo(3.1824463 * se, 9);
    expect(t.verdict).toBe('no-drift');
  });

  it('needs three rounds and a time spread', () => {
    expect(latencyTrend([0, 1], [1, 2])).toBeNull();
    expect(latencyTrend([5, 5, 5], [1, 2, 3])).toBeNull();
    expect(() => latencyTrend([0], [1, 2])).toThrow('1 times but 2 medians');
  });
});
