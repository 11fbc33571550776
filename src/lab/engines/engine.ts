/**
 * The engine contract: every runtime × backend implements this, nothing more.
 * Types only; each engine is one descriptor file (`<id>.descriptor.ts`: what it
 * is, its precisions and how, its assets) and one adapter file
 * (`<id>-engine.ts`), loaded on demand.
 */
import type { MemoryReading } from '../bench/memory';
import type { ProfiledRuns } from '../profiles/kernel-profile';
import type { ModelFormat, ModelPayload } from '../models/model-formats';
import type { Precision, PrecisionSupport } from './precision';

export type { ModelFormat, ModelPayload };
/** The runtime's own name, as its users know it: "onnxruntime-web". Several engines share one. */
export type Runtime = string;
export type Backend = 'wasm' | 'webgl' | 'webgpu' | 'webnn' | 'cpu';

/** Files a runtime fetches at run time, copied from a package into `public/<folder>/` and served from the app's origin. */
export interface RuntimeAssets {
  /** Folder under the app root, e.g. "ort". Several engines may share one. */
  folder: string;
  /** Where the files come from, relative to the project root. */
  from: string;
  files: readonly string[];
}

/**
 * Runtime facts an engine reports when it starts (`EngineRuntimeInfo.facts`)
 * that decide whether a precision can run, e.g. the WebGPU `shader-f16` feature.
 */
export type RuntimeFact = 'shader-f16' | 'f16-textures';

export interface EngineDescriptor<Id extends string = string> {
  id: Id;
  runtime: Runtime;
  /** The npm package whose version is the runtime's version (the device report and the page header read it). */
  runtimePackage: string;
  backend: Backend;
  label: string;
  /** Model formats this engine reads; the first is what a cell loads unless its plan names another. */
  formats: readonly [ModelFormat, ...ModelFormat[]];
  /** The package entry point it is loaded from: the choice alone moves a cell 2–3×. */
  bundle: string;
  /** Packages its adapter imports lazily (the dev server pre-bundles them, so it never reloads mid-run). */
  packages: readonly string[];
  assets: readonly RuntimeAssets[];
  /** What the engine does with each precision variant: the one place this is decided. */
  precisions: Readonly<Record<Precision, PrecisionSupport>>;
  /** The variants the quick default plan runs on this engine (FP32 everywhere; INT8 too where it shows the speed and fairness findings; none for an engine kept out of it, with the reason at its descriptor). */
  quick: readonly Precision[];
  /** Where a second format it reads changes that (TF.js running an imported ONNX graph): entries that replace `precisions`' for that format. */
  formatPrecisions?: Readonly<Partial<Record<ModelFormat, Readonly<Partial<Record<Precision, PrecisionSupport>>>>>>;
}

/** What an engine found when it started: recorded with every cell it runs. */
export interface EngineRuntimeInfo {
  runtimeVersion: string;
  bundle: string;
  /** The wasm binary it loaded, when it loads one. */
  wasmFile: string | null;
  threads: number;
  /** Facts that decide which precisions can run (see PrecisionSupport.requires). */
  facts: Partial<Record<RuntimeFact, boolean>>;
  /** Anything else that decides the numbers: flags, fallbacks, adapter. */
  details: Record<string, string | number | boolean>;
  /**
   * What the runtime ran somewhere other than the backend the cell names, in
   * its own terms (LiteRT.js on WebGPU handing operators to its wasm
   * executor): shown wherever the cell is. Absent when nothing was.
   */
  fallback?: string;
}

/** Where the engine finds the app's own copies of runtime files. */
export interface EngineContext {
  /** Absolute URL of the app root, ending in "/". */
  appBaseUrl: string;
  /** Wasm threads to ask for (engines that cannot thread ignore it and say so). */
  threads: number;
  /** The precision this worker will run: engines with a global switch (TF.js WebGL FP16 textures) set it before starting. */
  precision: Precision;
  /** A profiling worker (never timed): engines whose profiler must be armed before the runtime starts do so. */
  profile?: boolean;
  /**
   * How many batch sizes one session of this cell may be prepared for (the plan's, and the fidelity pass's own):
   * engines that compile one graph per input shape size what they hold for it up front.
   */
  shapes?: number;
}

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
  /**
   * Creates a session from fetched bytes. An engine that positively knows it
   * cannot run this model (an operator, data type or attribute it lacks) throws
   * an `EngineUnsupportedError` naming it; anything else it throws is a failure.
   */
  createSession(model: ModelPayload, shape: TensorShapeSpec): Promise<EngineSession>;
  /**
   * Memory the engine counts itself and the worker's trackers cannot see
   * (wasm memory and WebGPU buffers are tracked for every engine alike):
   * TF.js CPU tensors in JS arrays, TF.js WebGL textures. Absent or null: nothing to add.
   */
  memory?(): MemoryReading | null;
}

export interface EngineSession {
  /** Set at creation when the runtime placed part or all of the model elsewhere than the cell's backend (see EngineRuntimeInfo.fallback). */
  readonly fallback?: string;
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
  /**
   * Kernel profile of `runs` runs at this batch size, in a profiling session
   * of its own (after a short warm-up of that session). An engine without a
   * per-kernel profiler throws an `EngineUnsupportedError` (kind capability).
   */
  profileKernels(input: Float32Array, batchSize: number, runs: number): Promise<ProfiledRuns>;
  dispose(): Promise<void>;
}
