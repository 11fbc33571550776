/**
 * The engine contract: every runtime × backend implements this, nothing more.
 * Types only; adapters live in their own files and are loaded on demand.
 */

export const ENGINE_IDS = Object.freeze([
  'ort-wasm',
  'ort-webgl',
  'ort-webgpu',
  'ort-webnn',
  'tfjs-cpu',
  'tfjs-wasm',
  'tfjs-webgl',
  'tfjs-webgpu',
] as const);

export type EngineId = (typeof ENGINE_IDS)[number];
export type Runtime = 'onnxruntime-web' | 'tensorflow.js';
export type Backend = 'wasm' | 'webgl' | 'webgpu' | 'webnn' | 'cpu';
export type ModelFormat = 'onnx' | 'tfjs';

export interface EngineDescriptor {
  id: EngineId;
  runtime: Runtime;
  backend: Backend;
  label: string;
  format: ModelFormat;
  /** The package entry point it is loaded from: the choice alone moves a cell 2–3×. */
  bundle: string;
}

/** What an engine found when it started: recorded with every cell it runs. */
export interface EngineRuntimeInfo {
  runtimeVersion: string;
  bundle: string;
  /** The wasm binary it loaded, when it loads one. */
  wasmFile: string | null;
  threads: number;
  /** Anything else that decides the numbers: flags, fallbacks, adapter. */
  details: Record<string, string | number | boolean>;
}

/** Where the engine finds the app's own copies of runtime files. */
export interface EngineContext {
  /** Absolute URL of the app root, ending in "/". */
  appBaseUrl: string;
  /** Wasm threads to ask for (engines that cannot thread ignore it and say so). */
  threads: number;
  /** FP16 compute asked for: engines with a global switch for it (TF.js WebGL) set it before starting. */
  fp16Compute: boolean;
}

/** Model bytes as fetched, before any engine has seen them. */
export type ModelPayload =
  | { format: 'onnx'; bytes: Uint8Array }
  | { format: 'tfjs'; modelJson: unknown; weightData: ArrayBuffer };

export interface TensorShapeSpec {
  inputName: string;
  outputName: string;
  /** Dimensions of one example after the batch dimension, e.g. [9] or [28, 28, 1] (NHWC). */
  inputDims: number[];
  /** Dimensions of one example's output after the batch dimension. */
  outputDims: number[];
}

export type Availability = { available: true } | { available: false; reason: string };

export interface EngineAdapter {
  readonly descriptor: EngineDescriptor;
  /** Can it run here? Called once, inside the worker that will run it. */
  probe(): Promise<Availability>;
  /** Loads and initialises the runtime and its backend. */
  init(ctx: EngineContext): Promise<EngineRuntimeInfo>;
  /** Creates a session from fetched bytes. */
  createSession(model: ModelPayload, shape: TensorShapeSpec): Promise<EngineSession>;
}

export interface EngineSession {
  /**
   * Engines that need fixed shapes (ORT webgl) build what a batch size needs
   * here, before any timed span.
   */
  prepare(batchSize: number): Promise<void>;
  /**
   * Runs one batch (batchSize examples of inputDims, row-major) and returns the outputs
   * already read back to the CPU: GPU work is asynchronous, so a timer around
   * `run` must include the readback to mean anything.
   */
  run(input: Float32Array, batchSize: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}
