import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineAdapter, EngineRuntimeInfo, EngineSession } from '../engines/engine';
import type { EngineId } from '../engines/engine-descriptors';
import { ENGINES } from '../engines/engine-descriptors';
import { EngineUnsupportedError } from '../engines/unsupported';
import { parseManifest } from '../models/manifest';
import type { OpenOutcome } from './cell-runner';
import { profileCell } from '../profiles/profile-cell';
import { closeCell, openCell, sampleBlock } from './cell-runner';
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
  rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 2, blockMinMs: 0, blockMinSamples: 3, blockMaxSamples: 3, blockMaxMs: 1000, minTimerSteps: 1 },
  threads: 1,
  tolerance: undefined,
  timerStepMs: 0.005,
  fidelity: { attributions: false, bootstrapIterations: 0, seed: 1 },
  appBaseUrl: 'http://lab.test/',
};

let profileSkew = 0;

const runtime: EngineRuntimeInfo = { runtimeVersion: 'fake', bundle: 'fake', wasmFile: null, threads: 1, facts: {}, details: {} };

/** Answers with `answers` (default: the FP32 golden outputs) for the golden inputs, plus `skew` on every value. */
function fakeEngine(skew: number, overrides: Partial<EngineAdapter> = {}, engine: EngineId = 'ort-wasm', answers: readonly (readonly number[])[] = goldenOutputs): EngineAdapter {
  const width = goldenOutputs[0]!.length;
  const session: EngineSession = {
    prepare: () => Promise.resolve(),
    run: (input, batch) => {
      const out = new Float32Array(batch * width);
      for (let r = 0; r < batch; r += 1) {
        const row = input.subarray(r * goldenInputs[0]!.length, (r + 1) * goldenInputs[0]!.length);
        const index = goldenInputs.findIndex((g) => g.every((v, i) => Math.fround(v) === row[i]));
        answers[index]!.forEach((v, c) => (out[r * width + c] = v + skew));
      }
      return Promise.resolve(out);
    },
    // Kernel times of 3 ms per run (2 MatMul, 1 Add); `profileSkew` shifts the profiled session's answers.
    profileKernels: async (input, batch, runs) => ({
      source: 'tfjs-profile',
      runs,
      timings: Array.from({ length: runs }, () => [{ name: 'MatMul', ms: 2 }, { name: 'Add', ms: 1 }]).flat(),
      output: (await session.run(input, batch)).map((v) => v + profileSkew),
    }),
    dispose: () => Promise.resolve(),
  };
  return {
    descriptor: ENGINES[engine],
    probe: () => Promise.resolve({ available: true }),
    init: () => Promise.resolve(runtime),
    createSession: () => Promise.resolve(session),
    ...overrides,
  };
}

const open = (adapter: EngineAdapter, over: Partial<CellJob> = {}): Promise<OpenOutcome> =>
  openCell({ ...job, ...over }, { loadEngine: () => Promise.resolve(adapter), onProgress: () => undefined });

function result(outcome: OpenOutcome) {
  if (outcome.kind !== 'ended') throw new Error(`expected the cell to end, it opened`);
  return outcome.result;
}

describe('openCell', () => {
  let served: (path: string) => Uint8Array = (path) => readFileSync(join(MODEL_DIR, path));
  beforeEach(() => {
    served = (path) => readFileSync(join(MODEL_DIR, path));
    vi.stubGlobal('fetch', (url: string) => Promise.resolve(new Response(Uint8Array.from(served(new URL(url).pathname.replace('/models/cps-wage/', ''))))));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('opens with cold phases, agreement per batch size and a warm session that samples and closes', async () => {
    const outcome = await open(fakeEngine(0));
    if (outcome.kind !== 'opened') throw new Error(JSON.stringify(result(outcome)));
    const { opened } = outcome.live;
    expect(opened.agreement.map((a) => [a.batchSize, a.top1Mismatches])).toEqual([
      [1, 0],
      [16, 0],
    ]);
    expect(opened.agreement.every((a) => a.maxAbsDiff < 1e-6)).toBe(true);
    expect(Object.keys(opened.phases).sort()).toEqual(['firstRunMs', 'modelFetchMs', 'runtimeInitMs', 'sessionCreateMs']);
    expect(opened.tolerance).toMatchObject({ applied: manifest.golden.tolerance, source: 'manifest' });
    expect(opened.warm.map((w) => w.batchSize)).toEqual([1, 16]);
    expect((await sampleBlock(outcome.live, 16, { callsPerSample: 2, minSpanMs: 0, minSamples: 3, maxSamples: 3, minMs: 0, maxMs: 100 })).samplesMs.length).toBe(3);
    await expect(sampleBlock(outcome.live, 4, { callsPerSample: 1, minSpanMs: 0, minSamples: 1, maxSamples: 1, minMs: 0, maxMs: 1 })).rejects.toThrow('Batch size 4 was not opened');
    // No tracker and no engine count in this fake: memory is n/a, with the reason.
    const closed = await closeCell(outcome.live, () => undefined);
    expect(closed.fidelity).toBeUndefined();
    expect(closed.memory).toMatchObject({ peakBytes: null, afterDisposeBytes: null, source: 'n/a' });
    expect(closed.memory.reason).toMatch(/^No source measures this engine's memory here/);
  });

  it("records peak and after-dispose memory from the worker's trackers and the engine's own count, and runs the leak check", async () => {
    let wasm = 1000;
    let tensors = 0;
    const sessionOf = async (adapter: EngineAdapter) => adapter.createSession({ format: 'onnx', bytes: new Uint8Array() }, { inputName: '', outputName: '', inputDims: [], outputDims: [] });
    const base = fakeEngine(0);
    const inner = await sessionOf(base);
    let created = 0;
    const adapter = fakeEngine(0, {
      memory: () => ({ source: 'TF.js tensors (JS arrays)', bytes: tensors }),
      createSession: () => {
        created += 1;
        tensors += 300; // weights
        wasm = Math.max(wasm, 4000);
        // Each session leaks 10 bytes on dispose.
        return Promise.resolve({ ...inner, dispose: () => ((tensors -= 290), Promise.resolve()) });
      },
    });
    const outcome = await openCell({ ...job, leakCycles: 3 }, { loadEngine: () => Promise.resolve(adapter), onProgress: () => undefined, readMemory: () => [{ source: 'wasm memory', bytes: wasm }] });
    if (outcome.kind !== 'opened') throw new Error(JSON.stringify(result(outcome)));
    const progress: string[] = [];
    const { memory } = await closeCell(outcome.live, (p) => progress.push(`${p.phase}${p.done ?? ''}`));
    expect(memory).toMatchObject({
      peakBytes: 4300,
      afterDisposeBytes: 4010,
      afterWarmupBytes: 4300,
      source: 'wasm memory + TF.js tensors (JS arrays)',
      bySource: [
        { source: 'wasm memory', peakBytes: 4000, afterDisposeBytes: 4000 },
        { source: 'TF.js tensors (JS arrays)', peakBytes: 300, afterDisposeBytes: 10 },
      ],
    });
    expect(memory.note).toMatch(/wasm memory never shrinks/);
    expect(created).toBe(4);
    expect(memory.leak).toEqual({
      cycles: 3,
      growthBytes: 20,
      perCycleBytes: 10,
      afterEachCycleBytes: [4020, 4030, 4040],
      source: 'wasm memory + TF.js tensors (JS arrays)',
      bySource: [
        { source: 'wasm memory', growthBytes: 0 },
        { source: 'TF.js tensors (JS arrays)', growthBytes: 20 },
      ],
    });
    expect(progress.slice(-4)).toEqual(['leak-check0', 'leak-check1', 'leak-check2', 'leak-check3']);
  });

  it('turns answers off by more than the tolerance into "wrong results" with no timings', async () => {
    const r = result(await open(fakeEngine(0.01)));
    expect(r).toMatchObject({ state: 'errored', error: { kind: 'wrong-results' } });
    expect(r).not.toHaveProperty('batches');
    if (r.state === 'errored') expect(r.agreement?.[0]?.maxAbsDiff).toBeCloseTo(0.01, 6);
  });

  it('applies a looser plan tolerance but records and names it', async () => {
    const outcome = await open(fakeEngine(0.01), { tolerance: 1e9 });
    if (outcome.kind !== 'opened') throw new Error('expected it to open');
    expect(outcome.live.opened.tolerance).toEqual({ applied: 1e9, manifest: manifest.golden.tolerance, source: 'plan-looser' });
    const tight = result(await open(fakeEngine(1e-5), { tolerance: 1e-7 }));
    expect(tight).toMatchObject({ state: 'errored', error: { kind: 'wrong-results' }, tolerance: { applied: 1e-7, source: 'plan-tighter' } });
  });

  it('is unavailable for a failed probe, and errored when the engine fails to start', async () => {
    expect(result(await open(fakeEngine(0, { probe: () => Promise.resolve({ available: false, reason: 'no GPU' }) })))).toMatchObject({ state: 'unavailable', reason: 'no GPU' });
    expect(result(await open(fakeEngine(0, { init: () => Promise.reject(new Error('wasm compile failed')) })))).toMatchObject({
      state: 'errored',
      error: { kind: 'load-failed', message: 'Starting ORT wasm: wasm compile failed' },
    });
  });

  it('is unavailable only for a typed refusal; an error that merely says "unsupported" is errored', async () => {
    const typed = new EngineUnsupportedError({ kind: 'operator', subject: 'DequantizeLinear', source: 'test table', engineWords: 'no kernel' }, 'ORT WebGL cannot run this model: no kernel');
    expect(result(await open(fakeEngine(0, { createSession: () => Promise.reject(typed) })))).toEqual(
      expect.objectContaining({ state: 'unavailable', reason: 'ORT WebGL cannot run this model: no kernel', unsupported: typed.detail }),
    );
    const words = result(await open(fakeEngine(0, { createSession: () => Promise.reject(new Error('unsupported operator Foo: not implemented')) })));
    expect(words).toMatchObject({ state: 'errored', error: { kind: 'bad-model', message: 'ORT wasm could not load the model: unsupported operator Foo: not implemented' } });
    const atRun = fakeEngine(0);
    const session = await atRun.createSession({ format: 'onnx', bytes: new Uint8Array() }, { inputName: '', outputName: '', inputDims: [], outputDims: [] });
    const failing = fakeEngine(0, { createSession: () => Promise.resolve({ ...session, run: () => Promise.reject(new Error('kernel not supported')) }) });
    expect(result(await open(failing))).toMatchObject({ state: 'errored', error: { kind: 'run-failed', message: 'kernel not supported' } });
  });

  it('is unavailable before starting when the descriptor says the engine cannot compute the precision', async () => {
    const init = vi.fn(() => Promise.resolve(runtime));
    const r = result(await open(fakeEngine(0, { init }, 'tfjs-cpu'), { cell: { engine: 'tfjs-cpu', precision: 'fp16c', fidelity: false } }));
    expect(r).toMatchObject({ state: 'unavailable', unsupported: { kind: 'precision', subject: 'FP16 compute' } });
    expect(init).not.toHaveBeenCalled();
  });

  it('is unavailable when a runtime fact the precision needs is missing (WebGPU without shader-f16)', async () => {
    const r = result(await open(fakeEngine(0, {}, 'ort-webgpu'), { cell: { engine: 'ort-webgpu', precision: 'fp16c', fidelity: false } }));
    expect(r).toMatchObject({ state: 'unavailable', unsupported: { kind: 'capability', subject: 'shader-f16' } });
  });

  it('is errored "model file changed" when the bytes do not match the manifest\'s SHA-256', async () => {
    served = (path) => {
      const bytes = readFileSync(join(MODEL_DIR, path));
      if (path.endsWith('.onnx')) bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      return bytes;
    };
    const r = result(await open(fakeEngine(0)));
    expect(r).toMatchObject({ state: 'errored', error: { kind: 'model-changed' } });
    if (r.state === 'errored') expect(r.error.message).toMatch(/^model file changed: onnx\/model\.fp32\.onnx has SHA-256 [0-9a-f]{12}…, the manifest says 88c7dc7d180e…$/);
  });

  it('is errored "model file changed" when a TF.js weight file does not match the manifest\'s SHA-256', async () => {
    served = (path) => {
      const bytes = readFileSync(join(MODEL_DIR, path));
      if (path.endsWith('.bin')) bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes;
    };
    const r = result(await open(fakeEngine(0, {}, 'tfjs-cpu'), { cell: { engine: 'tfjs-cpu', precision: 'fp32', fidelity: false } }));
    expect(r).toMatchObject({ state: 'errored', error: { kind: 'model-changed' } });
    if (r.state === 'errored') expect(r.error.message).toMatch(/^model file changed: tfjs\/fp32\/model\.json with its 1 weight file\(s\) has SHA-256 [0-9a-f]{12}…, the manifest says [0-9a-f]{12}…$/);
  });

  describe('a variant is gated against its own native reference, not FP32', () => {
    const int8 = manifest.artifacts.int8!.reference!;
    const onnxRef = int8.onnx!.outputs!;
    const tfjsRef = int8.tfjs!.outputs!;
    const int8Cell = (engine: EngineId) => ({ cell: { engine, precision: 'int8' as const, fidelity: false } });

    it('an INT8 ORT cell answering the INT8 graph\'s native outputs completes with that reference\'s tolerance', async () => {
      const outcome = await open(fakeEngine(0, {}, 'ort-wasm', onnxRef), int8Cell('ort-wasm'));
      if (outcome.kind !== 'opened') throw new Error(JSON.stringify(result(outcome)));
      expect(outcome.live.opened.tolerance).toEqual({ applied: int8.onnx!.tolerance, manifest: int8.onnx!.tolerance, source: 'manifest', note: int8.onnx!.toleranceNote });
      expect(outcome.live.opened.agreement.every((a) => a.maxAbsDiff === 0)).toBe(true);
    });

    it('an INT8 ORT cell answering FP32\'s outputs is wrong results against the INT8 reference', async () => {
      // How far FP32's answers are from the INT8 graph's, computed here from the two stored tables.
      const drift = Math.max(...goldenOutputs.flatMap((row, r) => row.map((v, c) => Math.abs(Math.fround(v) - Math.fround(onnxRef[r]![c]!)))));
      expect(drift).toBeGreaterThan(int8.onnx!.tolerance);
      const r = result(await open(fakeEngine(0), int8Cell('ort-wasm')));
      expect(r).toMatchObject({ state: 'errored', error: { kind: 'wrong-results' } });
      if (r.state === 'errored') {
        expect(r.error.message).toContain('against the int8 reference outputs exceeds the tolerance');
        expect(r.agreement?.[0]?.maxAbsDiff).toBeCloseTo(drift, 7);
      }
    });

    it('a TF.js INT8 cell is gated against the weights-only reference with FP32\'s tolerance', async () => {
      expect(int8.tfjs!.tolerance).toBe(manifest.golden.tolerance);
      const outcome = await open(fakeEngine(0, {}, 'tfjs-cpu', tfjsRef), int8Cell('tfjs-cpu'));
      if (outcome.kind !== 'opened') throw new Error(JSON.stringify(result(outcome)));
      expect(outcome.live.opened.tolerance.applied).toBe(manifest.golden.tolerance);
      // The ORT graph's answers (activations requantized) are not what TF.js computes.
      const r = result(await open(fakeEngine(0, {}, 'tfjs-cpu', onnxRef), int8Cell('tfjs-cpu')));
      expect(r).toMatchObject({ state: 'errored', error: { kind: 'wrong-results' } });
    });
  });
});

describe('profileCell', () => {
  beforeEach(() => {
    profileSkew = 0;
    vi.stubGlobal('fetch', (url: string) => Promise.resolve(new Response(Uint8Array.from(readFileSync(join(MODEL_DIR, new URL(url).pathname.replace('/models/cps-wage/', '')))))));
  });
  afterEach(() => vi.unstubAllGlobals());

  const profileJob = { batchSizes: [16], profile: { batchSize: 16, runs: 4 } };

  it('keeps kernel shares only when the profiled session agrees with the checked one', async () => {
    const outcome = await open(fakeEngine(0), profileJob);
    if (outcome.kind !== 'opened') throw new Error('expected it to open');
    const profiled = await profileCell(outcome.live, 16, 4);
    expect(profiled).toMatchObject({ state: 'profiled', batchSize: 16, check: { maxAbsDiff: 0 } });
    if (profiled.state !== 'profiled') return;
    expect(profiled.summary.kernelMsPerRun).toBe(3);
    expect(profiled.summary.top.map((k) => [k.name, k.msPerRun, k.share])).toEqual([
      ['MatMul', 2, 2 / 3],
      ['Add', 1, 1 / 3],
    ]);
  });

  it('is errored when the profiled session answers differently, and names a batch size never opened', async () => {
    const outcome = await open(fakeEngine(0), profileJob);
    if (outcome.kind !== 'opened') throw new Error('expected it to open');
    profileSkew = 0.5;
    const skewed = await profileCell(outcome.live, 16, 4);
    expect(skewed.state === 'errored' && skewed.message).toMatch(/answered differently from the checked one: max \|Δ\| 5\.00e-1 exceeds/);
    const unopened = await profileCell(outcome.live, 1, 4);
    expect(unopened.state === 'errored' && unopened.message).toBe('Batch size 1 was not opened for this cell');
  });

  it('is unavailable only when the engine positively has no profiler', async () => {
    const none = new EngineUnsupportedError({ kind: 'capability', subject: 'kernel profiler', source: 'ORT WebGL' }, 'ORT WebGL has no per-kernel profiler');
    const base = fakeEngine(0);
    const withSession = (profileKernels: EngineSession['profileKernels']): EngineAdapter => ({
      ...base,
      createSession: async (...args) => ({ ...(await base.createSession(...args)), profileKernels }),
    });
    const a = await open(withSession(() => Promise.reject(none)), profileJob);
    const b = await open(withSession(() => Promise.reject(new Error('profiler unsupported here'))), profileJob);
    if (a.kind !== 'opened' || b.kind !== 'opened') throw new Error('expected both to open');
    expect(await profileCell(a.live, 16, 4)).toMatchObject({ state: 'unavailable', reason: 'ORT WebGL has no per-kernel profiler' });
    expect(await profileCell(b.live, 16, 4)).toMatchObject({ state: 'errored', message: 'Profiling: profiler unsupported here' });
  });
});
