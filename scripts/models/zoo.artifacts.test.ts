/**
 * Checks every shipped model (public/models/index.json) against itself: the
 * manifest parses, sizes and hashes match the files, the golden inputs are the
 * evaluation data's first rows, and both formats reproduce the native golden
 * outputs (onnxruntime-node, computed by tools/reference) in Node: TF.js on
 * its cpu backend and onnxruntime-web on wasm. No onnxruntime-node needed.
 *
 * The check bound is the manifest's tolerance, capped at 1e-4 for outputs in
 * [0, 1] (probabilities): here the same CPU runs float32 kernels that differ
 * only in summation order. Pixel outputs (0–255, ESRGAN) are capped at 1e-3
 * instead: a float32 ulp at 255 is 3e-5, and Node's engines differ from
 * onnxruntime-node by 5–6 ulps there (1.5e-4, 1.8e-4); 1e-3 is still 25× tighter than
 * "1e-4 of the output range" (2.55e-2).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { type GoldenData, loadGolden } from '../../src/lab/models/golden';
import { imagesToInput, loadImageEvaluation, psnr } from '../../src/lab/models/image-data';
import { type ModelManifest, parseManifest } from '../../src/lab/models/manifest';
import { runOnnxTensor } from '../../src/lab/models/onnx-test-helpers';
import { shortestFloat32 } from './json-format';
import { loadLayersModelFromDisk, readLayersModelFiles } from './tfjs-files';

const k_root = 'public/models';
const k_max_check_tolerance = 1e-4;
const k_max_pixel_check_tolerance = 1e-3;
const k_max_zoo_bytes = 40 * 1024 * 1024;
const k_max_default_model_bytes = 2 * 1024 * 1024;

const index = JSON.parse(readFileSync(join(k_root, 'index.json'), 'utf8')) as { models: string[] };
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const readBytes = (dir: string, path: string): Uint8Array => new Uint8Array(readFileSync(join(dir, path)));
const fetchFrom = (dir: string) => (path: string): Promise<ArrayBuffer> => Promise.resolve(readBytes(dir, path).slice().buffer);

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

/** Max |Δ| between a flat output and the golden rows. */
function maxAbsDiff(actual: Float32Array, golden: GoldenData): number {
  const expected = new Float32Array(golden.outputs.reduce((n, r) => n + r.length, 0));
  golden.outputs.reduce((offset, row) => (expected.set(row, offset), offset + row.length), 0);
  expect(actual.length).toBe(expected.length);
  let max = 0;
  actual.forEach((v, i) => (max = Math.max(max, Math.abs(v - (expected[i] as number)))));
  return Number.isNaN(max) ? Infinity : max;
}

function batchOf(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  rows.reduce((offset, row) => (out.set(row, offset), offset + row.length), 0);
  return out;
}

/** The first `rows` model inputs of the evaluation data, as the golden step computes them. */
async function evaluationInputs(dir: string, manifest: ModelManifest, rows: number): Promise<Float32Array[]> {
  const evaluation = manifest.evaluation;
  if (evaluation === undefined) throw new Error('no evaluation data');
  if (evaluation.format === 'json') {
    const json = JSON.parse(readFileSync(join(dir, evaluation.path), 'utf8')) as { features: number[][] };
    return json.features.slice(0, rows).map((row) => Float32Array.from(row));
  }
  if (manifest.preprocessing?.kind !== 'image') throw new Error('image evaluation without image preprocessing');
  const data = await loadImageEvaluation(evaluation, fetchFrom(dir));
  const preprocessing = manifest.preprocessing;
  return Array.from({ length: rows }, (_, i) => imagesToInput(data.images, preprocessing, i, 1));
}

test('the zoo stays under 40 MB and the default model under 2 MB', () => {
  const total = folderBytes(k_root);
  const defaultId = index.models[0] ?? 'missing';
  console.log(`zoo ${(total / 1e6).toFixed(2)} MB; ${index.models.map((id) => `${id} ${(folderBytes(join(k_root, id)) / 1e6).toFixed(3)} MB`).join(', ')}`);
  expect(total).toBeLessThan(k_max_zoo_bytes);
  expect(defaultId).toBe('cps-wage');
  expect(folderBytes(join(k_root, defaultId))).toBeLessThan(k_max_default_model_bytes);
});

describe.each(index.models)('%s', (id) => {
  const dir = join(k_root, id);
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const fp32 = manifest.artifacts.fp32;
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  const cap = manifest.task === 'image-to-image' ? k_max_pixel_check_tolerance : k_max_check_tolerance;
  const checkTolerance = Math.min(manifest.golden.tolerance, cap);
  let golden: GoldenData;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    golden = await loadGolden(manifest, fetchFrom(dir));
  });

  test('manifest id, file sizes and hashes match the files', async () => {
    expect(manifest.id).toBe(id);
    const onnx = readBytes(dir, fp32.onnx?.path ?? 'missing');
    expect([onnx.byteLength, sha256(onnx)]).toEqual([fp32.onnx?.bytes, fp32.onnx?.sha256]);
    for (const set of Object.values(manifest.artifacts)) {
      if (!set?.tfjs) continue;
      // model.json followed by its weight files, as the app hashes them before use.
      const files = await readLayersModelFiles(join(dir, set.tfjs.path));
      expect([set.tfjs.path, files.bytes, files.sha256]).toEqual([set.tfjs.path, set.tfjs.bytes, set.tfjs.sha256]);
    }
    const evaluation = manifest.evaluation;
    if (evaluation?.format === 'uint8-images') {
      for (const ref of [evaluation.images, evaluation.labels, evaluation.targets]) {
        if (ref === undefined) continue;
        const bytes = readBytes(dir, ref.path);
        expect([ref.path, bytes.byteLength, sha256(bytes)]).toEqual([ref.path, ref.bytes, ref.sha256]);
      }
    }
  });

  test('golden inputs are the first evaluation rows; there are enough of them', async () => {
    expect(golden.rows).toBeGreaterThanOrEqual(manifest.task === 'image-to-image' ? 2 : 32);
    const expected = await evaluationInputs(dir, manifest, golden.rows);
    expect(golden.inputs.map((r) => Array.from(r))).toEqual(expected.map((r) => Array.from(r)));
    if (manifest.evaluation?.format === 'json') {
      const json = JSON.parse(readFileSync(join(dir, manifest.evaluation.path), 'utf8')) as { features: number[][]; labels: number[] };
      expect(json.features).toHaveLength(manifest.evaluation.rows);
      expect(json.labels).toHaveLength(manifest.evaluation.rows);
      // Every feature is the shortest decimal of a float32, so Float32Array recovers it exactly.
      expect(json.features.flat().every((v) => shortestFloat32(Math.fround(v)) === v)).toBe(true);
    }
  });

  test(`TF.js (cpu) reproduces the golden outputs within ${checkTolerance}`, async () => {
    const model = await loadLayersModelFromDisk(join(dir, fp32.tfjs?.path ?? 'missing'));
    const shape = [golden.rows, ...(input?.shape.slice(1) as number[])];
    const actual = tf.tidy(() => (model.predict(tf.tensor(batchOf(golden.inputs), shape, 'float32')) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    const diff = maxAbsDiff(actual, golden);
    const extra = manifest.task === 'image-to-image' ? `, PSNR ${psnr(actual, batchOf(golden.outputs)).toFixed(1)} dB` : '';
    console.log(`${id}: tfjs-cpu vs ${golden.computedBy}: max |Δ| = ${diff.toExponential(2)}${extra}`);
    expect(diff).toBeLessThanOrEqual(checkTolerance);
  });

  test(`onnxruntime-web (wasm, 1 thread, in Node) reproduces the golden outputs within ${checkTolerance}`, async () => {
    const shape = [golden.rows, ...(input?.shape.slice(1) as number[])];
    const actual = await runOnnxTensor(readBytes(dir, fp32.onnx?.path ?? 'missing'), batchOf(golden.inputs), shape, input?.name, output?.name);
    expect(actual.dims).toEqual([golden.rows, ...(output?.shape.slice(1) as number[])]);
    const diff = maxAbsDiff(actual.data, golden);
    const extra = manifest.task === 'image-to-image' ? `, PSNR ${psnr(actual.data, batchOf(golden.outputs)).toFixed(1)} dB` : '';
    console.log(`${id}: onnxruntime-web wasm vs ${golden.computedBy}: max |Δ| = ${diff.toExponential(2)}${extra}`);
    expect(diff).toBeLessThanOrEqual(checkTolerance);
  });
});
