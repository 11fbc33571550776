import { describe, expect, test } from 'vitest';
import { decodeFloat32LE, encodeFloat32LE, loadGolden } from './golden';
import type { ModelManifest } from './manifest';

/** The parts of a manifest loadGolden reads. */
function manifest(golden: ModelManifest['golden']): ModelManifest {
  return {
    inputs: [{ name: 'x', shape: [null, 2, 1], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [null, 3], dtype: 'float32' }],
    golden,
  } as unknown as ModelManifest;
}

const files = (contents: Record<string, Uint8Array>) => (path: string): Promise<ArrayBuffer> => {
  const bytes = contents[path];
  return bytes ? Promise.resolve(bytes.slice().buffer) : Promise.reject(new Error(`no ${path}`));
};

describe('loadGolden', () => {
  test('inline rows become float32 rows (the exact float32 of each shortest decimal)', async () => {
    const g = await loadGolden(manifest({ computedBy: 'ort', tolerance: 1e-4, rows: 1, inputs: [[0.1, 2]], outputs: [[0.25, 0.5, 0.25]] }), files({}));
    expect(g.rows).toBe(1);
    expect(g.inputs[0]).toEqual(Float32Array.from([0.1, 2]));
    expect(g.outputs[0]).toEqual(Float32Array.from([0.25, 0.5, 0.25]));
    expect([g.tolerance, g.computedBy]).toEqual([1e-4, 'ort']);
  });

  test('binary files split into rows by the tensor shapes', async () => {
    const golden = { computedBy: 'ort', tolerance: 0.01, toleranceNote: 'pixels', rows: 2, file: { inputs: 'in.f32', outputs: 'out.f32', dtype: 'float32' as const } };
    const g = await loadGolden(
      manifest(golden),
      files({ 'in.f32': encodeFloat32LE(Float32Array.from([1, 2, 3, 4])), 'out.f32': encodeFloat32LE(Float32Array.from([1, 2, 3, 4, 5, 6])) }),
    );
    expect(g.inputs.map((r) => Array.from(r))).toEqual([[1, 2], [3, 4]]);
    expect(g.outputs.map((r) => Array.from(r))).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test('a file of the wrong size is named', async () => {
    const golden = { computedBy: 'ort', tolerance: 1e-4, rows: 2, file: { inputs: 'in.f32', outputs: 'out.f32', dtype: 'float32' as const } };
    const bytes = { 'in.f32': encodeFloat32LE(new Float32Array(4)), 'out.f32': encodeFloat32LE(new Float32Array(5)) };
    await expect(loadGolden(manifest(golden), files(bytes))).rejects.toThrow('Golden outputs out.f32 has 5 float32 values; 2 rows × 3 per example need 6');
    await expect(loadGolden(manifest(golden), files({}))).rejects.toThrow('no in.f32');
  });
});

test('float32 files are little-endian', () => {
  const bytes = encodeFloat32LE(Float32Array.from([1, -2.5]));
  expect(Array.from(bytes)).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]);
  expect(Array.from(decodeFloat32LE(new Uint8Array(bytes).buffer))).toEqual([1, -2.5]);
  expect(() => decodeFloat32LE(new ArrayBuffer(3))).toThrow(/multiple of 4/);
});
