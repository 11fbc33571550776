/**
 * Test helpers shared by the ONNX exporter and fixed-shape tests: hand-written
 * TF.js topologies, a way to run ONNX bytes on onnxruntime-web's wasm backend
 * (which works in Node, loading its wasm from node_modules), and a TF.js
 * in-memory export for comparing both formats on the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { decodeTfjsWeights, type OnnxExportOptions, type TfjsWeight, tfjsLayersToOnnx } from './onnx-export';

export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
}

export function dense(name: string, units: number, activation: string, extra: Record<string, unknown> = {}): LayerJson {
  return { class_name: 'Dense', config: { name, units, activation, use_bias: true, ...extra } };
}

export function sequential(...layers: LayerJson[]): object {
  return { class_name: 'Sequential', config: { name: 'tiny', layers } };
}

export function weight(name: string, shape: number[], values: number[]): TfjsWeight {
  return { name, shape, values: Float32Array.from(values) };
}

/** Runs a one-input, one-output model on a tensor of any shape; returns the flat output and its dims. */
export async function runOnnxTensor(
  bytes: Uint8Array,
  data: Float32Array,
  dims: readonly number[],
  inputName = 'features',
  outputName = 'probabilities',
): Promise<{ data: Float32Array; dims: number[] }> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const result = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
    const out = result[outputName];
    if (out === undefined || !(out.data instanceof Float32Array)) throw new Error(`no float32 output ${outputName}`);
    return { data: out.data, dims: [...out.dims] };
  } finally {
    await session.release();
  }
}

/** Runs a one-input, one-output model on `rows`; returns the output rows. */
export async function runOnnx(bytes: Uint8Array, rows: number[][], inputName = 'features', outputName = 'probabilities'): Promise<number[][]> {
  const width = rows[0]?.length ?? 0;
  const { data } = await runOnnxTensor(bytes, Float32Array.from(rows.flat()), [rows.length, width], inputName, outputName);
  const outWidth = data.length / rows.length;
  return rows.map((_, i) => Array.from(data.subarray(i * outWidth, (i + 1) * outWidth)));
}

/** Exports an in-memory TF.js model to ONNX bytes through the same path the build uses (saved artifacts). */
export async function exportInMemory(model: tf.LayersModel, options: OnnxExportOptions = {}): Promise<Uint8Array> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (artifacts?.weightSpecs === undefined || artifacts.weightData === undefined) throw new Error('no artifacts');
  const weights = decodeTfjsWeights(artifacts.weightSpecs, tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  return tfjsLayersToOnnx(artifacts.modelTopology, weights, options);
}

/**
 * Max |Δ| between TF.js (current backend) and the exported ONNX on onnxruntime-web wasm,
 * for seeded normal inputs of `shape` (batch first). Also checks that the output shapes agree.
 */
export async function tfjsVsOnnx(model: tf.LayersModel, shape: number[], seed = 7): Promise<number> {
  const bytes = await exportInMemory(model);
  const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
  const input = x.dataSync() as Float32Array;
  const y = model.predict(x) as tf.Tensor;
  const expected = y.dataSync() as Float32Array;
  const expectedDims = y.shape;
  tf.dispose([x, y]);
  const actual = await runOnnxTensor(bytes, input, shape);
  if (actual.dims.join() !== expectedDims.join()) throw new Error(`ONNX output dims [${actual.dims.join(', ')}] differ from TF.js [${expectedDims.join(', ')}]`);
  let max = 0;
  actual.data.forEach((v, i) => (max = Math.max(max, Math.abs(v - (expected[i] ?? Number.NaN)))));
  return Number.isNaN(max) ? Infinity : max;
}
