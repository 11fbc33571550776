/**
 * Test helpers shared by the ONNX exporter and fixed-shape tests: hand-written
 * TF.js topologies and a way to run ONNX bytes on onnxruntime-web's wasm
 * backend (which works in Node, loading its wasm from node_modules).
 */
import * as ort from 'onnxruntime-web';
import type { TfjsWeight } from './onnx-export';

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

/** Runs a one-input, one-output model on `rows`; returns the output rows. */
export async function runOnnx(bytes: Uint8Array, rows: number[][], inputName = 'features', outputName = 'probabilities'): Promise<number[][]> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const width = rows[0]?.length ?? 0;
    const result = await session.run({ [inputName]: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]) });
    const out = result[outputName];
    if (out === undefined || !(out.data instanceof Float32Array)) throw new Error(`no float32 output ${outputName}`);
    const outWidth = out.data.length / rows.length;
    const data = out.data;
    return rows.map((_, i) => Array.from(data.subarray(i * outWidth, (i + 1) * outWidth)));
  } finally {
    await session.release();
  }
}
