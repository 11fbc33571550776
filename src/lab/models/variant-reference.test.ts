import { describe, expect, it } from 'vitest';
import { compareWithGolden, agrees } from '../runner/agreement';
import { planLoosening } from '../runner/tolerance';
import type { Plan } from '../runner/plan';
import { encodeFloat32LE, loadCellGolden } from './golden';
import { k_manifest_schema_version, type ModelManifest, parseManifest } from './manifest';
import { cellTolerance, MissingReferenceError } from './variant-reference';

const sha = (c: string) => c.repeat(64);
const onnx = (p: string) => ({ path: `onnx/model.${p}.onnx`, bytes: 10, sha256: sha('a') });
const tfjs = (p: string) => ({ path: `tfjs/${p}/model.json`, bytes: 20, sha256: sha('b') });
const note = 'Tolerance: hand-made for the test.';

/** Two golden rows, FP32 tolerance 1e-4; int8 has its own references per format, fp16 has none. */
function manifestJson(): Record<string, unknown> {
  return {
    schemaVersion: k_manifest_schema_version,
    id: 'tiny',
    name: 'Tiny',
    task: 'tabular-classification',
    description: 'A test model.',
    source: { data: 'made up', license: 'CC0' },
    license: 'MIT',
    inputs: [{ name: 'x', shape: [null, 1], dtype: 'float32' }],
    outputs: [{ name: 'p', shape: [null, 2], dtype: 'float32' }],
    artifacts: {
      fp32: { onnx: onnx('fp32'), tfjs: tfjs('fp32') },
      fp16: { onnx: onnx('fp16'), tfjs: tfjs('fp16') },
      int8: {
        onnx: onnx('int8'),
        tfjs: tfjs('int8'),
        reference: {
          onnx: { computedBy: 'hand', graph: 'int8 QDQ', tolerance: 0.002, toleranceNote: note, basis: { description: 'fused vs unfused', maxAbsDiff: 0.0006, margin: 3 }, outputs: [[0.3, 0.7], [0.45, 0.55]] },
          tfjs: { computedBy: 'hand', graph: 'int8 weights only', tolerance: 1e-4, toleranceNote: note, file: { path: 'golden/int8-weights-only.f32', bytes: 16, sha256: sha('c') } },
        },
      },
    },
    golden: { computedBy: 'hand', tolerance: 1e-4, rows: 2, inputs: [[1], [2]], outputs: [[0.25, 0.75], [0.5, 0.5]] },
  };
}

const manifest: ModelManifest = parseManifest(manifestJson());
const files: Record<string, ArrayBuffer> = { 'golden/int8-weights-only.f32': encodeFloat32LE(Float32Array.of(0.26, 0.74, 0.49, 0.51)).buffer as ArrayBuffer };
const fetchBytes = (path: string) => (files[path] ? Promise.resolve(files[path]) : Promise.reject(new Error(`no file ${path}`)));

describe('per-variant references', () => {
  it('states one tolerance per precision and format: FP32 from golden, a variant from its own reference', () => {
    expect(cellTolerance(manifest, 'fp32', 'onnx')?.tolerance).toBe(1e-4);
    expect(cellTolerance(manifest, 'fp32', 'tfjs')?.tolerance).toBe(1e-4);
    expect(cellTolerance(manifest, 'int8', 'onnx')).toEqual({ tolerance: 0.002, note });
    expect(cellTolerance(manifest, 'int8', 'tfjs')).toEqual({ tolerance: 1e-4, note });
    expect(cellTolerance(manifest, 'fp16', 'onnx')).toBeUndefined();
  });

  it('loads the variant\'s own outputs, inline or from a file, with the golden inputs', async () => {
    const q = await loadCellGolden(manifest, 'int8', 'onnx', fetchBytes);
    expect(q.outputs.map((r) => Array.from(r))).toEqual([[Math.fround(0.3), Math.fround(0.7)], [Math.fround(0.45), Math.fround(0.55)]]);
    expect(q.inputs.map((r) => Array.from(r))).toEqual([[1], [2]]);
    expect([q.tolerance, q.reference]).toEqual([0.002, { precision: 'int8', format: 'onnx', graph: 'int8 QDQ' }]);
    const t = await loadCellGolden(manifest, 'int8', 'tfjs', fetchBytes);
    expect(t.outputs.map((r) => Array.from(r))).toEqual([[Math.fround(0.26), Math.fround(0.74)], [Math.fround(0.49), Math.fround(0.51)]]);
    expect(t.tolerance).toBe(1e-4);
    const f = await loadCellGolden(manifest, 'fp32', 'tfjs', fetchBytes);
    expect([f.tolerance, f.reference, Array.from(f.outputs[0] ?? [])]).toEqual([1e-4, { precision: 'fp32' }, [0.25, 0.75]]);
  });

  it('gates an INT8 cell against INT8\'s outputs: FP32\'s answers now fail, an engine one rounding step off passes', async () => {
    const q = await loadCellGolden(manifest, 'int8', 'onnx', fetchBytes);
    // An engine answering FP32's outputs for an INT8 graph (a QLinear kernel that silently ran in float): 0.05 off row 0, 0.05 off row 1.
    const fp32Answers = compareWithGolden(Float32Array.of(0.25, 0.75, 0.5, 0.5), q.outputs, q.tolerance, 1);
    expect(fp32Answers.maxAbsDiff).toBeCloseTo(0.05, 6);
    expect(agrees(fp32Answers)).toBe(false);
    // 0.0015 off (inside 0.002): a requantization flip.
    const flipped = compareWithGolden(Float32Array.of(0.3015, 0.6985, 0.45, 0.55), q.outputs, q.tolerance, 1);
    expect(flipped.maxAbsDiff).toBeCloseTo(0.0015, 6);
    expect(agrees(flipped)).toBe(true);
    // The TF.js int8 cell has FP32's tolerance against its own (weights-only) outputs: 2e-4 off fails.
    const t = await loadCellGolden(manifest, 'int8', 'tfjs', fetchBytes);
    expect(agrees(compareWithGolden(Float32Array.of(0.2602, 0.7398, 0.49, 0.51), t.outputs, t.tolerance, 1))).toBe(false);
    expect(agrees(compareWithGolden(Float32Array.of(0.26005, 0.73995, 0.49, 0.51), t.outputs, t.tolerance, 1))).toBe(true);
  });

  it('refuses to check a variant whose manifest ships no reference for it', async () => {
    await expect(loadCellGolden(manifest, 'fp16', 'onnx', fetchBytes)).rejects.toThrow(MissingReferenceError);
    await expect(loadCellGolden(manifest, 'fp16', 'tfjs', fetchBytes)).rejects.toThrow(/ships no native reference outputs for its fp16 variant as TF\.js cells run it/);
  });

  it('a file of the wrong size is an error naming it', async () => {
    const short: Record<string, ArrayBuffer> = { ...files, 'golden/int8-weights-only.f32': encodeFloat32LE(Float32Array.of(0.26, 0.74)).buffer as ArrayBuffer };
    await expect(loadCellGolden(manifest, 'int8', 'tfjs', (p) => Promise.resolve(short[p] as ArrayBuffer))).rejects.toThrow(/Reference outputs golden\/int8-weights-only\.f32 has 2 float32 values; 2 rows × 2 per example need 4/);
  });

  it('validates references: one of outputs or file, the golden row count, never tighter than FP32', () => {
    const withRef = (ref: Record<string, unknown>) => {
      const m = manifestJson();
      ((m['artifacts'] as Record<string, Record<string, unknown>>)['int8'] as Record<string, unknown>)['reference'] = { onnx: { computedBy: 'hand', graph: 'g', tolerance: 0.002, toleranceNote: note, ...ref } };
      return () => parseManifest(m);
    };
    expect(withRef({ outputs: [[0.3, 0.7], [0.45, 0.55]] })).not.toThrow();
    expect(withRef({})).toThrow(/exactly one of inline `outputs` or `file`/);
    expect(withRef({ outputs: [[0.3, 0.7]] })).toThrow(/artifacts\.int8\.reference\.onnx\.outputs: has 1 rows, golden has 2/);
    expect(withRef({ file: { path: 'x.f32', bytes: 12, sha256: sha('d') } })).toThrow(/artifacts\.int8\.reference\.onnx\.file\.bytes: has 12 bytes, the shape says 16/);
    expect(withRef({ outputs: [[0.3, 0.7], [0.45, 0.55]], tolerance: 1e-5 })).toThrow(/is below FP32's 0\.0001/);
  });

  it('judges a plan\'s tolerance against the tolerance of each cell\'s own variant and format', () => {
    const plan = (tolerance: number, cells: Plan['cells']): Plan => ({ ...basePlan, tolerance, cells });
    const ortInt8 = { engine: 'ort-wasm', precision: 'int8', fidelity: false } as const;
    const tfjsInt8 = { engine: 'tfjs-cpu', precision: 'int8', fidelity: false } as const;
    expect(planLoosening(plan(0.001, [ortInt8]), manifest)).toBeNull();
    expect(planLoosening(plan(0.01, [ortInt8]), manifest)).toEqual({ plan: 0.01, manifest: 0.002 });
    // The same value loosens the TF.js int8 cell, whose own reference allows FP32's 1e-4.
    expect(planLoosening(plan(0.001, [ortInt8, tfjsInt8]), manifest)).toEqual({ plan: 0.001, manifest: 1e-4 });
  });
});

const basePlan: Plan = {
  schemaVersion: 1,
  modelId: 'tiny',
  cells: [],
  batchSizes: [1],
  rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 1, blockMinMs: 0, blockMinSamples: 1, blockMaxSamples: 1, blockMaxMs: 1, minTimerSteps: 1 },
} as unknown as Plan;
