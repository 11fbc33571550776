/**
 * Checks the shipped cps-wage files against each other: the manifest parses,
 * its sizes and hashes match the files, and both formats reproduce the native
 * golden outputs (onnxruntime-node, computed by tools/reference) in Node.
 *
 * The check is tighter (1e-5) than the manifest's engine tolerance (1e-4):
 * here the same CPU runs float32 kernels that differ only in summation order.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, test } from 'vitest';
import { type ModelManifest, parseManifest } from '../../src/lab/models/manifest';
import { shortestFloat32 } from './json-format';
import { loadLayersModelFromDisk, readLayersModelFiles } from './tfjs-files';

const k_dir = 'public/models/cps-wage';
const k_check_tolerance = 1e-5;
const k_max_total_bytes = 2 * 1024 * 1024;

const manifest: ModelManifest = parseManifest(JSON.parse(readFileSync(join(k_dir, 'manifest.json'), 'utf8')));
const fp32 = manifest.artifacts.fp32;

/** Golden values are written as shortest float32 decimals; fround recovers the exact float32. */
function maxAbsDiff(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[]): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  actual.forEach((row, i) => row.forEach((v, j) => (max = Math.max(max, Math.abs(v - Math.fround(expected[i]?.[j] ?? Number.NaN))))));
  return max;
}

function rowsOf(data: Float32Array, width: number): number[][] {
  return Array.from({ length: data.length / width }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
}

describe('cps-wage shipped artifacts', () => {
  test('manifest has golden outputs for every output class', () => {
    expect(manifest.golden.rows).toBeGreaterThanOrEqual(32);
    expect(manifest.golden.outputs[0]).toHaveLength(manifest.labels?.length ?? -1);
  });

  test('onnx bytes and sha256 match the manifest', () => {
    const bytes = readFileSync(join(k_dir, fp32.onnx?.path ?? 'missing'));
    expect(bytes.byteLength).toBe(fp32.onnx?.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(fp32.onnx?.sha256);
  });

  test('tfjs bytes (model.json + weights) match the manifest; model stays well under 2 MB', async () => {
    const { bytes } = await readLayersModelFiles(join(k_dir, fp32.tfjs?.path ?? 'missing'));
    expect(bytes).toBe(fp32.tfjs?.bytes);
    expect(bytes + (fp32.onnx?.bytes ?? 0)).toBeLessThan(k_max_total_bytes);
  });

  test('eval.json matches the manifest and its slice columns', () => {
    const evaluation = JSON.parse(readFileSync(join(k_dir, manifest.evaluation?.path ?? 'missing'), 'utf8')) as {
      features: number[][];
      labels: number[];
      slices: Record<string, string[]>;
    };
    const rows = manifest.evaluation?.rows;
    expect(evaluation.features).toHaveLength(rows ?? -1);
    expect(evaluation.labels).toHaveLength(rows ?? -1);
    for (const column of manifest.evaluation?.sliceColumns ?? []) expect(evaluation.slices[column]).toHaveLength(rows ?? -1);
    // Golden inputs are the first eval rows, and every feature is written as the
    // shortest decimal of a float32: Float32Array/Math.fround recovers it exactly.
    expect(evaluation.features.slice(0, manifest.golden.rows)).toEqual(manifest.golden.inputs);
    expect(evaluation.features.flat().every((v) => shortestFloat32(Math.fround(v)) === v)).toBe(true);
  });

  describe('TF.js (cpu backend) reproduces the golden outputs', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    test(`within ${k_check_tolerance}`, async () => {
      const model = await loadLayersModelFromDisk(join(k_dir, fp32.tfjs?.path ?? 'missing'));
      const x = tf.tensor2d(manifest.golden.inputs, undefined, 'float32');
      const y = model.predict(x) as tf.Tensor2D;
      const diff = maxAbsDiff(y.arraySync(), manifest.golden.outputs);
      tf.dispose([x, y]);
      model.dispose();
      console.log(`tfjs-cpu vs ${manifest.golden.computedBy}: max |Δ| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(k_check_tolerance);
    });
  });

  test(`onnxruntime-web (wasm, 1 thread, in Node) reproduces the golden outputs within ${k_check_tolerance}`, async () => {
    ort.env.wasm.numThreads = 1;
    const input = manifest.inputs[0];
    const output = manifest.outputs[0];
    if (input === undefined || output === undefined) throw new Error('manifest has no inputs or outputs');
    const session = await ort.InferenceSession.create(readFileSync(join(k_dir, fp32.onnx?.path ?? 'missing')), {
      executionProviders: ['wasm'],
    });
    const { rows, inputs, outputs } = manifest.golden;
    const feed = new ort.Tensor('float32', Float32Array.from(inputs.flat()), [rows, inputs[0]?.length ?? 0]);
    const result = await session.run({ [input.name]: feed });
    const data = result[output.name]?.data;
    await session.release();
    if (!(data instanceof Float32Array)) throw new Error(`no float32 output "${output.name}"`);
    const diff = maxAbsDiff(rowsOf(data, outputs[0]?.length ?? 1), outputs);
    console.log(`onnxruntime-web wasm vs ${manifest.golden.computedBy}: max |Δ| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(k_check_tolerance);
  });
});
