import { describe, expect, it } from 'vitest';
import { testResults } from '../results/test-results';
import { timingDisclosure } from './run-plan';

/** Round medians with a given max/min spread. */
const spread = (x: number) => [1, x, 1, 1];

describe('timingDisclosure', () => {
  it('judges stability on the median spread it prints, never "Stable" above the limit', () => {
    // Two of four measurements spread wider than 1.5× (not most of them), and the median, 1.53×, is above it.
    const cells = testResults([
      { engine: 'ort-wasm', rounds: { 1: spread(1.1), 16: spread(1.46) } },
      { engine: 'tfjs-cpu', rounds: { 1: spread(1.6), 16: spread(1.9) } },
    ]).cells;
    const t = timingDisclosure(cells, 4);
    expect(t.spread).toBe(1.53);
    expect(t.verdict).toBe('unstable');
    expect(t.note).toMatch(/^Unstable — repeat: the median spread of round medians is 1\.53×, above 1\.5× \(2 of 4 measurements spread wider\)/);
    const steady = timingDisclosure(testResults([{ engine: 'ort-wasm', rounds: { 1: spread(1.1), 16: spread(1.2) } }]).cells, 4);
    expect(steady.verdict).toBe('stable');
    expect(steady.note).toMatch(/^Stable: median spread of round medians 1\.15× over 4 interleaved rounds/);
  });

  it('counts an unbounded spread (a round median of 0) as unstable instead of dropping it', () => {
    const cells = testResults([
      { engine: 'ort-wasm', rounds: { 1: [0, 1, 1, 1] } },
      { engine: 'tfjs-cpu', rounds: { 1: [0, 1, 1, 1] } },
      { engine: 'tfjs-wasm', rounds: { 1: spread(1.1) } },
    ]).cells;
    const t = timingDisclosure(cells, 4);
    expect(t.verdict).toBe('unstable');
    expect(t.spread).toBeNull();
    expect(t.note).toContain('unbounded (a round median of 0)');
  });
});
