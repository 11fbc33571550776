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

/** Milliseconds to import a model (parse and check) and to prepare it on the started backend (weights uploaded, constants folded), each of `runs` times. */
export async function timeImport(model: number[], runs: number): Promise<{ importMs: number[]; prepareMs: number[] }> {
  const bytes = Uint8Array.from(model);
  const importMs: number[] = [];
  const prepareMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    const graph = importOnnxGraph(bytes);
    const t1 = performance.now();
    const runner = new OnnxGraphRunner(tf, graph);
    await runner.prepare();
    const t2 = performance.now();
    runner.dispose();
    importMs.push(t1 - t0);
    prepareMs.push(t2 - t1);
  }
  return { importMs, prepareMs };
}
