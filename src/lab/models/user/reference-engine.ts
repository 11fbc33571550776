/**
 * The engine that computes a user model's reference outputs, once, in a step
 * of its own: in the page, FP32 on onnxruntime-web wasm (no native runtime
 * exists there; the ORT wasm FP32 cell then agrees by construction) or TF.js
 * CPU for a TF.js model; in the CLI, native onnxruntime-node when installed.
 * The intake only needs `run`, so any of them plugs in.
 */
import type * as Ort from 'onnxruntime-web';
import type * as Tf from '@tensorflow/tfjs';
import type { EngineAdapter, EngineSession } from '../../engines/engine';
import { formatLabel, type ModelPayload } from '../model-formats';

export interface ReferenceInput {
  name: string;
  data: Float32Array;
  dims: number[];
}

export interface ReferenceOutput {
  data: Float32Array;
  dims: number[];
}

/** What a model to run is: the same payload the engines are handed (ONNX or TFLite bytes, or a TF.js model.json with its weights). */
export type ReferenceModel = ModelPayload;

export interface ReferenceEngine {
  /** Where the reference came from, as every output says it. */
  kind: 'page' | 'native';
  /** e.g. "onnxruntime-web 1.30.0 wasm FP32 in this page (1 thread)". */
  computedBy: string;
  /** How the tolerance notes name it: "native onnxruntime" / "native"; "onnxruntime-web wasm in this page" / "onnxruntime-web wasm". */
  words: { noun: string; adjective: string };
  /**
   * Runs a model on one batch; returns the named outputs (all float32 after
   * any cast in the graph). `optimize: false` turns graph optimizations off
   * (ONNX only; the INT8 tolerance needs the unfused graph).
   */
  run(model: ReferenceModel, input: ReferenceInput, outputs: readonly string[], optimize?: boolean): Promise<Record<string, ReferenceOutput>>;
  /** Releases every session it holds. */
  release(): Promise<void>;
}

type OrtModule = typeof Ort;

/** An onnxruntime (web or node: the same API) reference: one cached session per model bytes and optimization level. */
export function ortReference(ort: OrtModule, kind: 'page' | 'native', computedBy: string): ReferenceEngine {
  const sessions = new Map<Uint8Array, Map<boolean, Ort.InferenceSession>>();
  const sessionFor = async (bytes: Uint8Array, optimize: boolean): Promise<Ort.InferenceSession> => {
    const byLevel = sessions.get(bytes) ?? new Map<boolean, Ort.InferenceSession>();
    sessions.set(bytes, byLevel);
    const existing = byLevel.get(optimize);
    if (existing) return existing;
    const created = await ort.InferenceSession.create(bytes, { executionProviders: kind === 'native' ? ['cpu'] : ['wasm'], graphOptimizationLevel: optimize ? 'all' : 'disabled' });
    byLevel.set(optimize, created);
    return created;
  };
  return {
    kind,
    computedBy,
    words: kind === 'native' ? { noun: 'native onnxruntime', adjective: 'native' } : { noun: 'onnxruntime-web wasm in this page', adjective: 'onnxruntime-web wasm' },
    async run(model, input, outputs, optimize = true) {
      if (model.format !== 'onnx') throw new Error(`${computedBy} runs ONNX models, not ${formatLabel(model.format)}`);
      const session = await sessionFor(model.bytes, optimize);
      const tensor = new ort.Tensor('float32', input.data, input.dims);
      const result = await session.run({ [input.name]: tensor }, [...outputs]);
      const out: Record<string, ReferenceOutput> = {};
      for (const name of outputs) {
        const value = result[name];
        if (!value) throw new Error(`the model gave no output "${name}"`);
        const data = await value.getData();
        if (!(data instanceof Float32Array)) throw new Error(`output "${name}" is ${value.type}, not float32`);
        out[name] = { data, dims: [...value.dims] };
      }
      return out;
    },
    async release() {
      for (const byLevel of sessions.values()) for (const session of byLevel.values()) await session.release();
      sessions.clear();
    },
  };
}

type TfModule = typeof Tf;

interface TfjsModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { weights?: Tf.io.WeightsManifestEntry[] }[];
}

/** TF.js on its CPU backend (plain JS float32 arithmetic): the most exact engine for a TF.js model in the page. */
export function tfjsReference(tf: TfModule, computedBy: string): ReferenceEngine {
  const models = new Map<unknown, Tf.LayersModel | Tf.GraphModel>();
  const load = async (model: Extract<ReferenceModel, { format: 'tfjs' }>): Promise<Tf.LayersModel | Tf.GraphModel> => {
    const existing = models.get(model.modelJson);
    if (existing) return existing;
    const json = model.modelJson as TfjsModelJson;
    const artifacts = { modelTopology: json.modelTopology as object, weightSpecs: (json.weightsManifest ?? []).flatMap((g) => g.weights ?? []), weightData: model.weightData };
    const loaded = isGraphModel(json) ? await tf.loadGraphModel(tf.io.fromMemory(artifacts)) : await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    models.set(model.modelJson, loaded);
    return loaded;
  };
  return {
    kind: 'page',
    computedBy,
    words: { noun: 'TF.js CPU in this page', adjective: 'TF.js CPU' },
    async run(model, input, outputs) {
      if (model.format !== 'tfjs') throw new Error(`${computedBy} runs TF.js models, not ${formatLabel(model.format)}`);
      const loaded = await load(model);
      const x = tf.tensor(input.data, input.dims, 'float32');
      try {
        const y = loaded instanceof tf.GraphModel ? await loaded.executeAsync(x, [...outputs]) : loaded.predict(x);
        const list = Array.isArray(y) ? y : [y];
        const out: Record<string, ReferenceOutput> = {};
        for (const [i, name] of outputs.entries()) {
          const t = list[i] ?? list[0];
          if (!t) throw new Error(`the model gave no output "${name}"`);
          out[name] = { data: Float32Array.from(await t.data()), dims: [...t.shape] };
        }
        tf.dispose(list);
        return out;
      } finally {
        x.dispose();
      }
    },
    release() {
      for (const m of models.values()) m.dispose();
      models.clear();
      return Promise.resolve();
    },
  };
}

export function isGraphModel(json: unknown): boolean {
  const j = json as TfjsModelJson | null;
  return j?.format === 'graph-model' || Array.isArray((j?.modelTopology as { node?: unknown } | undefined)?.node);
}

/**
 * One of the lab's own engine adapters as the reference, for a format only
 * it reads (LiteRT wasm for a .tflite file): started once with one thread,
 * one session per model bytes. Its FP32 cell then agrees by construction, as
 * the ORT wasm cell does for an ONNX file; every output says which it was.
 */
export async function adapterReference(adapter: EngineAdapter, appBaseUrl: string, outputDims: readonly number[]): Promise<ReferenceEngine> {
  const { descriptor } = adapter;
  const info = await adapter.init({ appBaseUrl, threads: 1, precision: 'fp32' });
  const computedBy = `${descriptor.runtime} ${info.runtimeVersion} ${descriptor.backend} FP32 in this page (${info.threads} thread${info.threads === 1 ? '' : 's'})`;
  const sessions = new Map<Uint8Array, EngineSession>();
  return {
    kind: 'page',
    computedBy,
    words: { noun: `${descriptor.label} in this page`, adjective: descriptor.label },
    async run(model, input, outputs) {
      if (model.format === 'tfjs' || !descriptor.formats.includes(model.format)) throw new Error(`${computedBy} runs ${descriptor.formats.map(formatLabel).join(' or ')} models, not ${formatLabel(model.format)}`);
      const [output] = outputs;
      if (!output || outputs.length > 1) throw new Error(`${computedBy} reads one output`);
      let session = sessions.get(model.bytes);
      if (!session) {
        session = await adapter.createSession({ format: model.format, bytes: model.bytes }, { inputName: input.name, outputName: output, inputDims: input.dims.slice(1), outputDims: [...outputDims] });
        sessions.set(model.bytes, session);
      }
      const batch = input.dims[0] ?? 1;
      // Engines hand back outputs already copied out of their own memory (EngineSession.run).
      const data = await session.run(input.data, batch);
      return { [output]: { data, dims: [batch, ...outputDims] } };
    },
    async release() {
      for (const session of sessions.values()) await session.dispose();
      sessions.clear();
    },
  };
}
