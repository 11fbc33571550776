import { describe, expect, it } from 'vitest';
import { summariseBatch } from '../bench/batch-measurement';
import { ENGINES } from '../engines/engine-descriptors';
import { parseBudget } from './budget';
import { evaluateChecks, failedChecks } from './checks';
import type { AttributionDriftSlice, FidelityReport, SliceMetrics } from '../fidelity/types';
import type { BatchMeasurement, CellResult, ResultsDocument } from './results';

/** Samples split into rounds of 3. */
function batch(batchSize: number, samplesMs: number[]): BatchMeasurement {
  const rounds: number[][] = [];
  for (let i = 0; i < samplesMs.length; i += 3) rounds.push(samplesMs.slice(i, i + 3));
  return summariseBatch(batchSize, rounds);
}

const SAMPLES = [1.0, 1.1, 0.9, 1.05, 0.95, 1.2, 1.0, 0.98, 1.02, 1.01, 0.99, 1.3];

function completed(cellId: string, engine: 'ort-wasm' | 'tfjs-cpu', samples = SAMPLES): CellResult {
  return {
    cellId,
    engine,
    precision: 'fp32',
    descriptor: ENGINES[engine],
    phases: {},
    wallMs: 10,
    state: 'completed',
    tolerance: { applied: 1e-4, manifest: 1e-4, source: 'manifest' },
    agreement: [{ rows: 64, tolerance: 1e-4, maxAbsDiff: 1.2e-7, meanAbsDiff: 3e-8, top1Mismatches: 0, batchSize: 1 }],
    batches: [batch(1, samples)],
  };
}

function doc(cells: CellResult[]): ResultsDocument {
  return { cells } as unknown as ResultsDocument;
}

describe('evaluateChecks', () => {
  it('passes a generous budget', () => {
    const checks = evaluateChecks(doc([completed('0:ort-wasm:fp32', 'ort-wasm')]), parseBudget({ schemaVersion: 1, defaults: { maxP95Ms: 100, maxAbsDiff: 1e-4 } }));
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['run completed-any', 'pass'],
      ['0:ort-wasm:fp32 state', 'pass'],
      ['0:ort-wasm:fp32 b1 p95', 'pass'],
      ['0:ort-wasm:fp32 max-abs-diff', 'pass'],
    ]);
  });

  it('fails a tight P95 and names the cell, limit and measured value; per-engine overrides win', () => {
    const results = doc([completed('0:ort-wasm:fp32', 'ort-wasm'), completed('1:tfjs-cpu:fp32', 'tfjs-cpu')]);
    const budget = parseBudget({ schemaVersion: 1, defaults: { maxP95Ms: 0.5 }, cells: { 'tfjs-cpu': { maxP95Ms: 10 } } });
    const failed = failedChecks(evaluateChecks(results, budget));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ cellId: '0:ort-wasm:fp32', metric: 'p95', limit: 0.5 });
    // Type-7 p95 of SAMPLES: sorted ..., 1.1, 1.2, 1.3 → 1.2 + 0.45 × 0.1 = 1.245.
    expect(failed[0]!.measured).toBeCloseTo(1.245, 9);
    expect(failed[0]!.message).toBe('P95 1.24 ms > limit 0.500 ms');
  });

  it('fails errored cells, skips unavailable ones with their reason', () => {
    const base = { precision: 'fp32' as const, phases: {}, wallMs: 1 };
    const cells: CellResult[] = [
      { ...base, cellId: '0:ort-webgpu:fp32', engine: 'ort-webgpu', descriptor: ENGINES['ort-webgpu'], state: 'unavailable', reason: 'no adapter' },
      {
        ...base,
        cellId: '1:ort-webgl:fp32',
        engine: 'ort-webgl',
        descriptor: ENGINES['ort-webgl'],
        state: 'errored',
        error: { kind: 'wrong-results', message: 'wrong results: max |Δ| 1.9e-1' },
      },
    ];
    const checks = evaluateChecks(doc(cells), parseBudget({ schemaVersion: 1 }));
    expect(checks.map((c) => [c.status, c.message])).toEqual([
      ['fail', 'no cell completed (2 ran): nothing was measured'],
      ['skip', 'unavailable: no adapter'],
      ['fail', 'errored (wrong-results): wrong results: max |Δ| 1.9e-1'],
    ]);
    const lenient = evaluateChecks(doc(cells), parseBudget({ schemaVersion: 1, allowErrored: true, failOnUnavailable: true, allowNoCompleted: true }));
    expect(lenient.map((c) => c.status)).toEqual(['skip', 'fail', 'skip']);
  });

  it('fails a run whose only cell is unavailable unless the budget allows it', () => {
    const only: CellResult = { precision: 'fp32', phases: {}, wallMs: 1, cellId: '0:ort-webnn:fp32', engine: 'ort-webnn', descriptor: ENGINES['ort-webnn'], state: 'unavailable', reason: 'no WebNN' };
    expect(failedChecks(evaluateChecks(doc([only]), parseBudget({ schemaVersion: 1 }))).map((c) => c.name)).toEqual(['run completed-any']);
    expect(failedChecks(evaluateChecks(doc([only]), parseBudget({ schemaVersion: 1, allowNoCompleted: true })))).toEqual([]);
  });

  it('fails a required engine that did not complete, naming why, and passes one that did', () => {
    const gpu: CellResult = { precision: 'fp32', phases: {}, wallMs: 1, cellId: '1:ort-webgpu:fp32', engine: 'ort-webgpu', descriptor: ENGINES['ort-webgpu'], state: 'unavailable', reason: 'no adapter' };
    const checks = evaluateChecks(doc([completed('0:ort-wasm:fp32', 'ort-wasm'), gpu]), parseBudget({ schemaVersion: 1, require: ['ort-wasm', 'ort-webgpu', 'tfjs-cpu:int8'] }));
    expect(checks.filter((c) => c.metric === 'required').map((c) => [c.status, c.message])).toEqual([
      ['pass', 'required ort-wasm completed'],
      ['fail', 'required ort-webgpu did not complete: unavailable (no adapter)'],
      ['fail', 'required tfjs-cpu:int8 is not in the plan'],
    ]);
  });

  it('passes a cell gated by a looser plan tolerance but says so', () => {
    const cell = completed('0:ort-wasm:fp32', 'ort-wasm');
    if (cell.state === 'completed') cell.tolerance = { applied: 1e9, manifest: 1e-4, source: 'plan-looser' };
    const state = evaluateChecks(doc([cell]), parseBudget({ schemaVersion: 1 })).find((c) => c.metric === 'state');
    expect(state).toMatchObject({ status: 'pass', message: 'completed with a custom tolerance 1.0e+9 (manifest 1.0e-4): outputs agree only within that looser tolerance' });
  });

  it('compares with a baseline on the raw samples: itself passes, a 10× faster baseline fails and says by how much', () => {
    const current = doc([completed('0:ort-wasm:fp32', 'ort-wasm')]);
    const budget = parseBudget({ schemaVersion: 1, defaults: { maxRegression: 1.2 } });
    const same = evaluateChecks(current, budget, current).find((c) => c.metric === 'regression')!;
    expect(same.status).toBe('pass');
    expect(same.measured).toBe(1);

    const faster = doc([completed('0:ort-wasm:fp32', 'ort-wasm', SAMPLES.map((x) => x / 10))]);
    const slow = evaluateChecks(current, budget, faster).find((c) => c.metric === 'regression')!;
    expect(slow.status).toBe('fail');
    expect(slow.measured).toBeCloseTo(10, 9);
    expect(slow.interval!.low).toBeGreaterThan(1.2);
    expect(slow.message).toMatch(/^median 10\.0× the baseline \(95% interval [\d.]+–[\d.]+×; 1\.00 ms vs 0\.101 ms\): slower than the allowed 1\.20×/);
  });

  it('skips fidelity limits on a cell without a fidelity pass, saying why', () => {
    const checks = evaluateChecks(doc([completed('0:ort-wasm:fp32', 'ort-wasm')]), parseBudget({ schemaVersion: 1, defaults: { maxFlipRate: 0.01 } }));
    const check = checks.find((c) => c.metric === 'flip-rate');
    expect(check?.status).toBe('skip');
    expect(check?.message).toContain('did not ask');
  });

  it('judges flip rate and attribution rank correlation per slice and names the failing slice', () => {
    const cell = completed('0:ort-wasm:int8', 'ort-wasm');
    const slice = (name: string, flipRate: number) => ({ slice: name, n: 100, flipRate }) as unknown as SliceMetrics;
    const drift = (name: string, meanSpearman: number) => ({ slice: name, n: 10, meanSpearman }) as unknown as AttributionDriftSlice;
    if (cell.state === 'completed') {
      cell.fidelity = {
        state: 'measured',
        wallMs: 1,
        report: {
          minSliceSize: 30,
          overall: slice('all', 0.004),
          groupings: [
            { columns: ['ethnicity'], slices: [slice('ethnicity=afam', 0.03), slice('ethnicity=cauc', 0.001), { ...slice('ethnicity=other', 0.1), n: 12 }], gaps: [] },
          ],
          attributionDrift: { overall: drift('all', 0.95), slices: [drift('ethnicity=afam', 0.7)] },
        } as unknown as FidelityReport,
      };
    }
    const checks = evaluateChecks(doc([cell]), parseBudget({ schemaVersion: 1, defaults: { maxFlipRate: 0.01, minAttributionRankCorrelation: 0.8 } }));
    expect(failedChecks(checks).map((c) => c.message)).toEqual([
      'flip rate in slice "ethnicity=afam" (100 rows) 3.00% > limit 1.00%: 3 of 100 rows flipped',
      'attribution rank correlation in slice "ethnicity=afam" (10 explained rows) 0.700 < limit 0.8',
    ]);
    const flips = checks.filter((c) => c.metric === 'flip-rate');
    expect(flips.map((c) => [c.slice, c.status])).toEqual([
      ['all', 'pass'],
      ['ethnicity=afam', 'fail'],
      ['ethnicity=cauc', 'pass'],
      ['ethnicity=other', 'skip'],
    ]);
    expect(flips[3]?.message).toBe('flip rate in slice "ethnicity=other" 10.00% not judged: 12 rows, fewer than the 30 a slice needs');
  });
});

describe('parseBudget', () => {
  it('names unknown or bad fields', () => {
    expect(() => parseBudget({ schemaVersion: 1, defaults: { maxP95: 3 } })).toThrow(/defaults: Unrecognized key: "maxP95"/);
    expect(() => parseBudget({ schemaVersion: 1, defaults: { maxP95Ms: -1 } })).toThrow(/defaults\.maxP95Ms/);
    expect(() => parseBudget({ schemaVersion: 1, cells: { 'ORT wasm': {} } })).toThrow(/cells\.ORT wasm/);
    expect(() => parseBudget({ schemaVersion: 1, cells: { 'ort-wasm:fp64': {} } })).toThrow(/cells\.ort-wasm:fp64: must be an engine \(ort-wasm, /);
    expect(() => parseBudget({ schemaVersion: 1, defaults: { maxAbsDiff: null } })).toThrow(/defaults\.maxAbsDiff: Invalid input: expected number, received null/);
    expect(() => parseBudget({ schemaVersion: 1, require: ['ort-wsam'] })).toThrow(/require\.0/);
  });
});

describe('figure limits', () => {
  it('judges every figure a budget names, on its side, and skips one this browser could not measure', () => {
    const checks = evaluateChecks(
      doc([completed('0:ort-wasm:fp32', 'ort-wasm')]),
      parseBudget({ schemaVersion: 1, defaults: { minThroughputPerSec: 2000, maxPeakMemoryBytes: 1e9, maxFirstRunMs: 1e6 } }),
    );
    const byMetric = new Map(checks.map((c) => [c.metric, c]));
    // Median of SAMPLES is 1.005 ms per batch of 1: 995 rows/s < 2000.
    expect(byMetric.get('throughput')).toMatchObject({ status: 'fail', message: 'Throughput 995 rows/s < limit 2.00e+3 rows/s' });
    expect(byMetric.get('peak-memory')).toMatchObject({ status: 'skip', message: 'Peak memory not measured: no memory was measured for this cell' });
    expect(byMetric.get('first-run')).toMatchObject({ status: 'skip', message: 'First run not measured: this browser did not measure it' });
  });
});
