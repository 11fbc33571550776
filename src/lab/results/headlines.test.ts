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
});
