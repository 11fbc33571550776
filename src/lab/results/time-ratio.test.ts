import { describe, expect, it } from 'vitest';
import { summariseBatch } from '../bench/batch-measurement';
import { formatRatio, timeRatio } from './time-ratio';

const fill = (n: number, ms: number) => Array.from({ length: n }, (_, i) => ms * (1 + (i % 5) * 0.001));

describe('timeRatio across runs', () => {
  it('resamples rounds, not raw samples: a host that swung 17× between rounds gives a wide interval, not a tight one', () => {
    // Fast rounds hold four times as many samples (blocks are time-limited), so the raw samples' median sits in them.
    const swinging = summariseBatch(1, [fill(200, 0.04), fill(50, 0.7), fill(50, 0.7), fill(200, 0.04), fill(50, 0.7), fill(200, 0.04)], [], 1);
    const steady = summariseBatch(1, Array.from({ length: 6 }, () => fill(100, 0.025)), [], 1);
    const r = timeRatio({ run: 'today', batch: swinging }, { run: 'last-week', batch: steady });
    expect(r.method).toBe('bootstrap-medians');
    expect(r.high).not.toBeNull();
    // Between "1.6× (the fast rounds)" and "28× (the slow ones)": the interval spans the swing instead of hiding it.
    expect(r.low).toBeLessThan(2);
    expect(r.high!).toBeGreaterThan(20);
  });

  it('gives no interval when a run has a single round', () => {
    const one = summariseBatch(1, [fill(50, 1)], [], 1);
    const six = summariseBatch(1, Array.from({ length: 6 }, () => fill(50, 0.5)), [], 1);
    const r = timeRatio({ run: 'a', batch: one }, { run: 'b', batch: six });
    expect(r.high).toBeNull();
    expect(r.verdict).toBe('indistinguishable');
    expect(formatRatio(r)).toBe('2.00× (0–∞)');
  });
});
