/**
 * Small, real-shaped results documents for unit tests of what reads results
 * (findings, the course mapping): cells made from round medians, ranked by the
 * same paired ratios the runner uses. Test support only.
 */
import { computeStatistics, sortSamples } from '../bench/statistics';
import { rankByRatios, summariseRounds } from '../bench/ratios';
import type { DeviceReport } from '../device/device-report';
import type { EngineId } from '../engines/engine-descriptors';
import { ENGINES } from '../engines/engine-descriptors';
import type { Precision } from '../engines/precision';
import type { FidelityReport, SliceMetrics } from '../fidelity/types';
import { parsePlan } from '../runner/plan';
import type { BatchMeasurement, CellResult, ResultsDocument } from './results';
import { k_results_schema_version } from './results';
import { roundSeries } from './round-series';

export interface TestCell {
  engine: EngineId;
  precision?: Precision;
  /** Round medians per batch size, ms. */
  rounds?: Record<number, number[]>;
  state?: 'completed' | 'unavailable' | 'errored';
  fidelity?: FidelityReport;
}

function batch(batchSize: number, medians: number[]): BatchMeasurement {
  const samples = medians.flatMap((m) => [m, m, m]);
  return {
    batchSize,
    warmupMs: [],
    callsPerSample: 1,
    rounds: medians.map((m) => [m, m, m]),
    samplesMs: samples,
    stats: computeStatistics(sortSamples(samples)),
    acrossRounds: { ...summariseRounds(medians), roundMedians: medians },
    roundStartMs: medians.map((_, i) => i * 10),
    throughputPerSec: (batchSize * 1000) / (summariseRounds(medians).median || 1),
  };
}

export function sliceMetrics(slice: string, n: number, flipRate: number, ci?: [number, number]): SliceMetrics {
  return {
    slice,
    n,
    accuracy: 0.8,
    ece: 0.05,
    positiveRate: 0.5,
    reliability: null,
    flipRate,
    meanAbsDp: 0.001,
    maxAbsDp: 0.01,
    nonFiniteRows: 0,
    ci: ci ? { flipRate: { estimate: flipRate, low: ci[0], high: ci[1] } } : {},
  };
}

export function device(softwareGpu: boolean): DeviceReport {
  return {
    webgl: { status: 'available', detail: { version: 2, vendor: 'Google', renderer: 'SwiftShader', unmasked: true, maxTextureSize: 8192, software: softwareGpu }, notes: [] },
    webgpu: {
      status: 'available',
      detail: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: softwareGpu, software: softwareGpu, features: [], limits: {} },
      notes: [],
    },
    webnn: { status: 'unavailable', reason: 'This browser has no WebNN (navigator.ml is missing).' },
    hardwareConcurrency: 2,
  } as unknown as DeviceReport;
}

export function testResults(cells: TestCell[], options: { softwareGpu?: boolean; unstable?: boolean } = {}): ResultsDocument {
  const results: CellResult[] = cells.map((c, i) => {
    const precision = c.precision ?? 'fp32';
    const base = { cellId: `${i}:${c.engine}:${precision}`, engine: c.engine, precision, descriptor: ENGINES[c.engine], phases: {}, wallMs: 0 };
    if (c.state === 'unavailable') return { ...base, state: 'unavailable', reason: 'no such backend here' };
    if (c.state === 'errored') return { ...base, state: 'errored', error: { kind: 'wrong-results', message: 'max |Δ| 3 > 1e-4' } };
    return {
      ...base,
      state: 'completed',
      tolerance: { applied: 1e-4, manifest: 1e-4, source: 'manifest' },
      agreement: [],
      batches: Object.entries(c.rounds ?? { 1: [1, 1, 1] }).map(([b, m]) => batch(Number(b), m)),
      ...(c.fidelity ? { fidelity: { state: 'measured', report: c.fidelity, wallMs: 1 } } : {}),
    };
  });
  const batchSizes = [...new Set(cells.flatMap((c) => Object.keys(c.rounds ?? { 1: [] }).map(Number)))].sort((a, b) => a - b);
  return {
    kind: 'inference-lab-results',
    schemaVersion: k_results_schema_version,
    createdAt: '2026-12-07T00:00:00.000Z',
    status: 'complete',
    plan: parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells: cells.map((c) => ({ engine: c.engine, precision: c.precision ?? 'fp32' })), batchSizes }),
    rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 3, blockMinMs: 0, blockMinSamples: 3, blockMaxSamples: 20, blockMaxMs: 500, minTimerSteps: 20 },
    model: { id: 'cps-wage', name: 'CPS wage', goldenComputedBy: 'onnxruntime-node', tolerance: 1e-4 },
    device: device(options.softwareGpu ?? true),
    cells: results,
    timing: {
      protocol: 'interleaved-rounds',
      rounds: 3,
      span: '',
      verdict: options.unstable ? 'unstable' : 'stable',
      spread: 1.1,
      note: options.unstable ? 'Most cells were measured while the host changed speed: repeat the run.' : 'Stable.',
    },
    comparisons: batchSizes.map((batchSize) => ({
      batchSize,
      ranking: rankByRatios(
        results.flatMap((r) => {
          const b = r.state === 'completed' ? r.batches.find((x) => x.batchSize === batchSize) : undefined;
          return b ? [{ key: r.cellId, ...roundSeries(b) }] : [];
        }),
      ),
    })),
    wallMs: 1000,
  };
}

export function fidelityReport(overallFlip: number, n: number, slices: SliceMetrics[], gap?: { highest: string; lowest: string; low: number; high: number }): FidelityReport {
  const byName = new Map(slices.map((s) => [s.slice, s]));
  const hi = gap ? byName.get(gap.highest) : undefined;
  const lo = gap ? byName.get(gap.lowest) : undefined;
  return {
    bootstrap: { iterations: 200, seed: 1, confidence: 0.95 },
    minSliceSize: 30,
    eceBins: 10,
    positiveClass: 1,
    overall: sliceMetrics('all', n, overallFlip, [overallFlip * 0.8, overallFlip * 1.25]),
    groupings: [
      {
        columns: ['region'],
        slices,
        gaps:
          gap && hi && lo
            ? [
                {
                  state: 'computed',
                  metric: 'flipRate',
                  higherIsBetter: false,
                  minSliceSize: 30,
                  highest: { slice: hi.slice, n: hi.n, value: hi.flipRate ?? 0 },
                  lowest: { slice: lo.slice, n: lo.n, value: lo.flipRate ?? 0 },
                  gap: (hi.flipRate ?? 0) - (lo.flipRate ?? 0),
                  ci: { estimate: (hi.flipRate ?? 0) - (lo.flipRate ?? 0), low: gap.low, high: gap.high },
                  excludedSlices: [],
                },
              ]
            : [],
      },
    ],
    attributionDrift: null,
    psnr: null,
  };
}
