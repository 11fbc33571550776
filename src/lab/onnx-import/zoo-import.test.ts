/**
 * Every zoo model's ONNX files through the importer on TF.js cpu in Node,
 * checked against the same native golden outputs (and tolerances) the cells
 * in the page use for that variant as ONNX: the import must agree as the ORT
 * cells do, or the TF.js "ONNX import" cells could never be trusted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { batchOf, compareWithGolden } from '../runner/agreement';
import { loadCellGolden } from '../models/golden';
import { parseManifest } from '../models/manifest';
import { PRECISIONS } from '../engines/precision';
import { OnnxGraphRunner } from './graph-runner';
import { importOnnxGraph } from './graph-import';

const root = join(import.meta.dirname, '../../../public/models');
/**
 * ESRGAN takes 8–11 s per variant on TF.js cpu in Node (2 cores): its FP32 and
 * INT8 (QDQ) files run here, its FP16 files' Cast path is the one the other
 * models' FP16 files take, and all its variants run in the browser e2e.
 */
const k_slow_variants: Record<string, readonly string[]> = { 'esrgan-slim-x2': ['fp32', 'int8'] };
const zoo = (JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { models: string[] }).models;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(zoo)('zoo model %s imported from ONNX', (id) => {
  const manifest = parseManifest(JSON.parse(readFileSync(join(root, id, 'manifest.json'), 'utf8')));
  const variants = PRECISIONS.filter(
    (p) => manifest.artifacts[p]?.onnx && (p === 'fp32' || manifest.artifacts[p]?.reference?.onnx) && (k_slow_variants[id]?.includes(p) ?? true),
  );
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];

  test.each(variants)('%s agrees with its native golden outputs', async (precision) => {
    const file = manifest.artifacts[precision]?.onnx;
    if (!file || !input || !output) throw new Error('manifest without the files this test reads');
    const graph = importOnnxGraph(readFileSync(join(root, id, file.path)));
    const golden = await loadCellGolden(manifest, precision, 'onnx', (p) => Promise.resolve(new Uint8Array(readFileSync(join(root, id, p))).buffer));
    const runner = new OnnxGraphRunner(tf, graph);
    const batch = Math.min(8, golden.rows);
    const dims = input.shape.slice(1).map((d) => d ?? 1);
    const before = tf.memory().numTensors;
    const outputs = new Float32Array(golden.rows * (golden.outputs[0]?.length ?? 0));
    for (let start = 0; start < golden.rows; start += batch) {
      const n = Math.min(batch, golden.rows - start);
      const x = tf.tensor(batchOf(golden.inputs, start, n), [n, ...dims]);
      const [y, ...rest] = await runner.run({ [input.name]: x });
      outputs.set(await y!.data(), start * (golden.outputs[0]?.length ?? 0));
      [x, y!, ...rest].forEach((t) => t.dispose());
    }
    const agreement = compareWithGolden(outputs, golden.outputs, golden.tolerance, batch);
    expect(agreement.maxAbsDiff, `max |Δ| against ${golden.computedBy}, tolerance ${golden.tolerance}`).toBeLessThanOrEqual(golden.tolerance);
    // Weights stay for the session, nothing else: a run leaks no tensor.
    const x = tf.tensor(batchOf(golden.inputs, 0, 1), [1, ...dims]);
    const kept = tf.memory().numTensors;
    (await runner.run({ [input.name]: x })).forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(kept);
    x.dispose();
    runner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
