import { describe, expect, it } from 'vitest';
import { measureOverhead } from './harness-overhead';

describe('measureOverhead', () => {
  it('pairs each lab sample with a raw one over the same calls', async () => {
    // A fake clock: every call takes 2 ms; the lab path reads the clock no more often than the raw loop.
    let t = 0;
    const fn = () => {
      t += 2;
      return Promise.resolve();
    };
    const m = await measureOverhead(fn, 4, 3, () => t);
    expect(m.labMs).toEqual([2, 2, 2, 2]);
    expect(m.rawMs).toEqual([2, 2, 2, 2]);
    expect(m.labMedianMs).toBe(2);
    expect(m.ratio).toMatchObject({ ratio: 1, rounds: 4, verdict: 'indistinguishable' });
  });
});
