import { describe, expect, it } from 'vitest';
import { summariseBatch } from '../bench/batch-measurement';
import { ENGINES } from '../engines/engine-descriptors';
import { parseBudget } from './budget';
import { evaluateChecks } from './checks';
import { achievedGflops, figure, formatGflops } from './figures';
import type { CellResult, ResultsDocument } from './results';

function cell(flopsPerRow: number | undefined): Extract<CellResult, { state: 'completed' }> {
  return {
    cellId: '0:ort-wasm:fp32',
    engine: 'ort-wasm',
    precision: 'fp32',
    descriptor: ENGINES['ort-wasm'],
    phases: {},
    wallMs: 10,
    state: 'completed',
    tolerance: { applied: 1e-4, manifest: 1e-4, source: 'manifest' },
    agreement: [{ rows: 16, tolerance: 1e-4, maxAbsDiff: 1e-7, meanAbsDiff: 1e-8, top1Mismatches: 0, batchSize: 16 }],
    // Median of [2, 4, 5] ms = 4 ms.
    batches: [summariseBatch(16, [[2, 4, 5]])],
    ...(flopsPerRow === undefined ? {} : { flopsPerRow }),
  };
}

describe('the GFLOP/s figure', () => {
  it('is FLOPs per row × rows ÷ median latency', () => {
    // 456,597,504 FLOPs × 16 rows / 4 ms = 1826.390016 GFLOP/s.
    expect(achievedGflops(456_597_504, 16, 4)).toBeCloseTo(1826.390016, 9);
    const c = cell(1_000_000);
    const f = figure('gflops');
    if (f.scope !== 'batch') throw new Error('gflops is per batch');
    // 1e6 × 16 / (4 ms × 1e6) = 4 GFLOP/s.
    expect(f.value(c, c.batches[0]!)).toBe(4);
    expect(formatGflops(4)).toBe('4.00 GFLOP/s');
  });

  it('is null (shown —, skipped by budgets) when the model was not counted', () => {
    const c = cell(undefined);
    const f = figure('gflops');
    if (f.scope !== 'batch') throw new Error('gflops is per batch');
    expect(f.value(c, c.batches[0]!)).toBeNull();
    expect(achievedGflops(0, 16, 4)).toBeNull();
  });

  it('is judged by a minimum in a budget', () => {
    const results = { cells: [cell(1_000_000)] } as unknown as ResultsDocument;
    const checks = evaluateChecks(results, parseBudget({ schemaVersion: 1, defaults: { minGflops: 5 } })).filter((c) => c.metric === 'gflops');
    expect(checks).toMatchObject([{ status: 'fail', measured: 4, limit: 5, message: 'GFLOP/s 4.00 GFLOP/s < limit 5.00 GFLOP/s' }]);
  });
});
