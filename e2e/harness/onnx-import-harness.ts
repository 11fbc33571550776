/**
 * Loaded by e2e/onnx-import.spec.ts from the dev server (which compiles it
 * like any source module): starts a TF.js backend exactly as the lab's engine
 * adapter does, then runs one ONNX model through the importer on it. Never
 * part of the build.
 */
import * as tf from '@tensorflow/tfjs';
import { loadEngine } from '../../src/lab/engines/registry';
import { OnnxGraphRunner } from '../../src/lab/onnx-import/graph-runner';
import { importOnnxGraph } from '../../src/lab/onnx-import/graph-import';

export interface HarnessTensor {
  data: number[];
  dims: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

let started: string | undefined;

export async function startBackend(backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu'): Promise<string> {
  if (started === backend) return backend;
  const adapter = await loadEngine(`tfjs-${backend}`);
  const availability = await adapter.probe();
  if (!availability.available) return `unavailable: ${availability.reason}`;
  await adapter.init({ appBaseUrl: new URL('/', location.href).href, threads: 1, precision: 'fp32' });
  started = backend;
  return tf.getBackend();
}

export async function runModel(model: number[], inputs: HarnessTensor[]): Promise<HarnessTensor[]> {
  const runner = new OnnxGraphRunner(tf, importOnnxGraph(Uint8Array.from(model)));
  const feeds = Object.fromEntries(runner.graph.inputs.map((input, i) => {
    const h = inputs[i];
    if (!h) throw new Error(`no data for input ${input.name}`);
    return [input.name, tf.tensor(h.data, h.dims, h.dtype)];
  }));
  try {
    const outs = await runner.run(feeds);
    const result = await Promise.all(outs.map(async (t) => ({ data: [...(await t.data())].map(Number), dims: t.shape, dtype: t.dtype as HarnessTensor['dtype'] })));
    outs.forEach((t) => t.dispose());
    return result;
  } finally {
    Object.values(feeds).forEach((t) => t.dispose());
    runner.dispose();
  }
}
