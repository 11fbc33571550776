import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineAdapter, EngineSession } from '../engines/engine';
import { ENGINES } from '../engines/engine-descriptors';
import { parseManifest } from '../models/manifest';
import { runCell } from './cell-runner';
import type { CellJob } from './worker-protocol';

const MODEL_DIR = join(import.meta.dirname, '../../../public/models/cps-wage');
const manifest = parseManifest(JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')));
const goldenInputs = manifest.golden.inputs!;
const goldenOutputs = manifest.golden.outputs!;

const job: CellJob = {
  runId: 1,
  cellId: '0:ort-wasm:fp32',
  cell: { engine: 'ort-wasm', precision: 'fp32', fidelity: false },
  modelId: 'cps-wage',
  batchSizes: [1, 16],
  rules: { warmupIterations: 1, warmupMinMs: 0, minSamples: 3, minTimeMs: 0, maxSamples: 3, maxTimeMs: 1000 },
  threads: 1,
  tolerance: undefined,
  fidelity: { attributions: false, bootstrapIterations: 0, seed: 1 },
  appBaseUrl: 'http://lab.test/',
};

/** Answers with the golden outputs for the golden inputs, plus `skew` on every value. */
function fakeEngine(skew: number, overrides: Partial<EngineAdapter> = {}): EngineAdapter {
  const width = goldenOutputs[0]!.length;
  const session: EngineSession = {
    prepare: () => Promise.resolve(),
    run: (input, batch) => {
      const out = new Float32Array(batch * width);
      for (let r = 0; r < batch; r += 1) {
        const row = input.subarray(r * goldenInputs[0]!.length, (r + 1) * goldenInputs[0]!.length);
        const index = goldenInputs.findIndex((g) => g.every((v, i) => Math.fround(v) === row[i]));
        goldenOutputs[index]!.forEach((v, c) => (out[r * width + c] = v + skew));
      }
      return Promise.resolve(out);
    },
    dispose: () => Promise.resolve(),
  };
  return {
    descriptor: ENGINES['ort-wasm'],
    probe: () => Promise.resolve({ available: true }),
    init: () => Promise.resolve({ runtimeVersion: 'fake', bundle: 'fake', wasmFile: null, threads: 1, details: {} }),
    createSession: () => Promise.resolve(session),
    ...overrides,
  };
}

describe('runCell', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', (url: string) => {
      const path = new URL(url).pathname.replace('/models/cps-wage/', '');
      return Promise.resolve(new Response(readFileSync(join(MODEL_DIR, path))));
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('completes with phases, agreement per batch size and raw samples', async () => {
    const result = await runCell(job, { loadEngine: () => Promise.resolve(fakeEngine(0)), onProgress: () => undefined });
    expect(result.state).toBe('completed');
    if (result.state !== 'completed') return;
    expect(result.agreement.map((a) => [a.batchSize, a.maxAbsDiff, a.top1Mismatches])).toEqual([
      [1, expect.any(Number), 0],
      [16, expect.any(Number), 0],
    ]);
    expect(result.agreement.every((a) => a.maxAbsDiff < 1e-6)).toBe(true);
    expect(result.batches.map((b) => b.samplesMs.length)).toEqual([3, 3]);
    expect(Object.keys(result.phases).sort()).toEqual(['firstRunMs', 'modelFetchMs', 'runtimeInitMs', 'sessionCreateMs']);
  });

  it('turns answers off by more than the tolerance into "wrong results" and reports no timings', async () => {
    const result = await runCell(job, { loadEngine: () => Promise.resolve(fakeEngine(0.01)), onProgress: () => undefined });
    expect(result).toMatchObject({ state: 'errored', error: { kind: 'wrong-results' } });
    expect(result).not.toHaveProperty('batches');
    if (result.state === 'errored') expect(result.agreement?.[0]?.maxAbsDiff).toBeCloseTo(0.01, 6);
  });

  it('reports unavailable with the probe reason, and start failures as errored', async () => {
    const unavailable = await runCell(job, {
      loadEngine: () => Promise.resolve(fakeEngine(0, { probe: () => Promise.resolve({ available: false, reason: 'no GPU' }) })),
      onProgress: () => undefined,
    });
    expect(unavailable).toMatchObject({ state: 'unavailable', reason: 'no GPU' });
    const failed = await runCell(job, {
      loadEngine: () => Promise.resolve(fakeEngine(0, { init: () => Promise.reject(new Error('wasm compile failed')) })),
      onProgress: () => undefined,
    });
    expect(failed).toMatchObject({ state: 'errored', error: { kind: 'load-failed', message: 'Starting ORT wasm: wasm compile failed' } });
  });
});
