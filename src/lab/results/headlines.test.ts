import { describe, expect, it } from 'vitest';
import { engineHeadlines } from './headlines';
import { testResults } from './test-results';

describe('engineHeadlines', () => {
  it("orders one engine's settings as the run's ranks are ordered, so none reads faster than the one called best", () => {
    // The first setting's rounds swing (2 ms, then 20 ms): median 11 ms, geometric mean 6.3 ms; the second is a steady 8 ms.
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [2, 2, 2, 20, 20, 20] } },
      { engine: 'ort-wasm', rounds: { 1: [8, 8, 8, 8, 8, 8] } },
    ]);
    const [headline] = engineHeadlines(results.cells);
    const settings = headline!.byBatch[0]!.settings;
    expect(settings.map((s) => s.cellId)).toEqual(['0:ort-wasm:fp32', '1:ort-wasm:fp32']);
    expect(settings[1]!.vsBest!.ratio).toBeGreaterThan(1);
  });

  it('in a staged run, orders and pairs the bridge with its stage-mates through its own rounds, not the later stages\' host', () => {
    // The bridge: 10 ms in stage 1 (rounds 0–2), 20 ms in stage 2 (rounds 3–5, a slower host); its stage-mate 11 ms in stage 1.
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [10, 10, 10, 20, 20, 20] } },
      { engine: 'ort-wasm', rounds: { 1: [11, 11, 11] } },
      { engine: 'tfjs-cpu', rounds: { 1: [40, 40, 40] } },
    ]);
    const ids = [[0, 1, 2, 3, 4, 5], [0, 1, 2], [3, 4, 5]];
    const cells = results.cells.map((c, i) => (c.state === 'completed' ? { ...c, batches: c.batches.map((b) => ({ ...b, roundIds: ids[i]! })) } : c));
    const settings = engineHeadlines(cells).find((h) => h.engine === 'ort-wasm')!.byBatch[0]!.settings;
    expect(settings.map((s) => s.cellId)).toEqual(['0:ort-wasm:fp32', '1:ort-wasm:fp32']);
    expect(settings[1]!.vsBest!.ratio).toBeCloseTo(1.1, 10);
  });
});
