import type * as LiteRtCore from '@litertjs/core';
import { jspi, relaxedSimd, threads as wasmThreads } from 'wasm-feature-detect';
import { formatLabel } from '../models/model-formats';
import { FixedBatchError, tfliteForBatch } from '../tflite/tflite-batch';
import type { Availability, EngineAdapter, EngineContext, EngineDescriptor, EngineRuntimeInfo, EngineSession, ModelPayload, TensorShapeSpec } from './engine';
import type { LiteRtAccelerator, LiteRtBuildChoice } from './litert-build';
import { chooseLiteRtBuild } from './litert-build';
import type { Precision } from './precision';
import { EngineUnsupportedError } from './unsupported';

type Core = typeof LiteRtCore;

export interface LiteRtFlavour {
  descriptor: EngineDescriptor;
  accelerator: LiteRtAccelerator;
  probe: () => Promise<Availability>;
}

/** Batch sizes a session is sized for when the runner does not say (a profiling worker: the plan's two). */
const k_litert_default_shapes = 3;

/** Folder under the app root the LiteRT.js files are served from (the descriptors' assets). */
export const k_litert_folder = 'litert';

interface Loaded {
  core: Core;
  liteRt: LiteRtCore.LiteRt;
  choice: LiteRtBuildChoice;
  /** Pthread workers the glue started with (litertPthreadPool). */
  pthreadPool: number;
}

/** One LiteRT.js instance per worker (its loader refuses a second): every cell runs in a fresh worker. */
let loaded: Promise<Loaded> | undefined;

/** The parts of a worker's global scope the glue's loader touches (module workers throw from `importScripts`). */
interface WorkerScope {
  importScripts?: (...urls: (string | URL)[]) => void;
  Module?: object;
}

/**
 * Loads the chosen build. LiteRT.js loads its emscripten glue with
 * `importScripts()`, which module workers (the lab's cell workers) do not
 * allow, so while it loads `importScripts` fetches the glue from the app's
 * origin and evaluates it as the classic script it is. `Module` tells the glue
 * where its .wasm is and which file its pthread workers start from (by default
 * it would start them from this worker's own script).
 */
async function loadBuild(appBaseUrl: string, choice: LiteRtBuildChoice, pthreadPool: number): Promise<Loaded> {
  const core = await import('@litertjs/core');
  const base = new URL(`${k_litert_folder}/`, appBaseUrl).href;
  const glue = base + choice.jsFile;
  const scope = globalThis as unknown as WorkerScope;
  const original = Object.getOwnPropertyDescriptor(scope, 'importScripts');
  scope.Module = { locateFile: (file: string) => base + file, mainScriptUrlOrBlob: glue };
  // The glue sizes its pthread pool from navigator.hardwareConcurrency as it starts: shadowed meanwhile (litertPthreadPool says why).
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: pthreadPool, configurable: true });
  scope.importScripts = (...urls: (string | URL)[]) => {
    for (const url of urls) {
      const request = new XMLHttpRequest();
      request.open('GET', String(url), false);
      request.send();
      if (request.status !== 200) throw new Error(`Fetching ${url} failed: HTTP ${request.status}`);
      // Indirect eval: global scope, so the glue's `var ModuleFactory` lands on the worker's global as in a classic script.
      (0, eval)(`${request.responseText}\n//# sourceURL=${String(url)}`);
    }
  };
  try {
    const liteRt = await core.loadLiteRt(glue);
    return { core, liteRt, choice, pthreadPool };
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
    if (original) Object.defineProperty(scope, 'importScripts', original);
    else delete scope.importScripts;
  }
}

/**
 * Why the threaded build gets a pthread pool sized for the cell: every
 * compiled model (one per batch size, LiteRT.js runs fixed shapes) holds
 * threads − 1 XNNPACK threads. Past the pool the glue starts a new Worker,
 * which a worker can only start once it returns to its event loop; deleting
 * that model before then joins a thread that never started, and the cell's
 * worker hung for good (the fidelity pass compiles its batch and deletes it
 * at dispose without yielding in between: reproduced here with 2 threads,
 * batch 1 and 16, then the fidelity batch). A pool with room for every shape
 * of the cell never starts a Worker late.
 */
export function litertPthreadPool(cores: number, threads: number, shapes: number): number {
  return Math.max(cores, (Math.max(1, threads) - 1) * Math.max(1, shapes));
}

export function createLiteRtEngine(flavour: LiteRtFlavour): EngineAdapter {
  const { descriptor, accelerator } = flavour;
  let runtime: { loaded: Loaded; threads: number; precision: Precision } | undefined;
  return {
    descriptor,
    probe: flavour.probe,
    async init(ctx: EngineContext): Promise<EngineRuntimeInfo> {
      const isolated = globalThis.crossOriginIsolated;
      const features = { relaxedSimd: await relaxedSimd(), threads: await wasmThreads(), crossOriginIsolated: isolated, jspi: await jspi() };
      const choice = chooseLiteRtBuild(accelerator, features);
      if (typeof choice === 'string') throw new EngineUnsupportedError({ kind: 'capability', subject: 'JSPI', source: `${descriptor.label} at start-up` }, choice);
      const cores = navigator.hardwareConcurrency || 1;
      loaded ??= loadBuild(ctx.appBaseUrl, choice, litertPthreadPool(cores, Math.min(ctx.threads, cores), ctx.shapes ?? k_litert_default_shapes));
      const l = await loaded;
      const device = l.liteRt.getDefaultEnvironment().webGpuDevice;
      if (accelerator === 'webgpu' && device === null) {
        throw new EngineUnsupportedError({ kind: 'capability', subject: 'WebGPU device', source: `${descriptor.label} at start-up` }, 'LiteRT.js could not create a WebGPU device here');
      }
      const threads = l.choice.build === 'threaded' ? Math.min(Math.max(1, ctx.threads), cores) : 1;
      runtime = { loaded: l, threads, precision: ctx.precision };
      return {
        runtimeVersion: __RUNTIME_VERSIONS__[descriptor.runtime] ?? 'unknown',
        bundle: descriptor.bundle,
        wasmFile: l.choice.wasmFile,
        threads,
        facts: { 'shader-f16': device?.features.has('shader-f16') ?? false },
        details: {
          accelerator,
          build: l.choice.build,
          buildReason: l.choice.why,
          threadsNote: 'XNNPACK threads as passed to LiteRT.js (cpuOptions.numThreads); LiteRT.js reports no count back',
          pthreadPool: l.choice.build === 'threaded' ? l.pthreadPool : 0,
          relaxedSimd: features.relaxedSimd,
          jspi: features.jspi,
          crossOriginIsolated: isolated,
        },
      };
    },
    async createSession(model: ModelPayload, shape: TensorShapeSpec): Promise<EngineSession> {
      if (!runtime) throw new Error('init() must run before createSession()');
      if (model.format !== 'tflite') {
        throw new EngineUnsupportedError(
          { kind: 'format', subject: formatLabel(model.format), source: descriptor.label },
          `LiteRT.js reads .tflite models, not ${formatLabel(model.format)}`,
        );
      }
      const session = new LiteRtSession(runtime.loaded.core, runtime.loaded.liteRt, flavour, model.bytes, shape, runtime.threads, runtime.precision);
      await session.prepare(1);
      return session;
    },
  };
}

class LiteRtSession implements EngineSession {
  private readonly models = new Map<number, LiteRtCore.CompiledModel>();
  fallback: string | undefined;

  constructor(
    private readonly core: Core,
    private readonly liteRt: LiteRtCore.LiteRt,
    private readonly flavour: LiteRtFlavour,
    private readonly bytes: Uint8Array,
    private readonly shape: TensorShapeSpec,
    private readonly threads: number,
    private readonly precision: Precision,
  ) {}

  /** Compiles the model for one batch size (LiteRT.js runs fixed shapes only, see tflite-batch.ts). */
  async prepare(batchSize: number): Promise<void> {
    if (this.models.has(batchSize)) return;
    let bytes: Uint8Array;
    try {
      bytes = tfliteForBatch(this.bytes, batchSize);
    } catch (error) {
      if (error instanceof FixedBatchError) {
        throw new EngineUnsupportedError({ kind: 'attribute', subject: `fixed batch size ${error.fixedBatch}`, source: 'the .tflite file' }, error.message);
      }
      throw error;
    }
    const { accelerator, descriptor } = this.flavour;
    const gpuPrecision = this.precision === 'fp16c' ? 'fp16' : 'fp32';
    const compiled = await this.liteRt.loadAndCompile(bytes, {
      accelerator,
      cpuOptions: { numThreads: this.threads },
      gpuOptions: { precision: gpuPrecision },
      webNNOptions: { precision: gpuPrecision },
    });
    if (accelerator !== 'wasm') {
      if (compiled.options.accelerator !== accelerator) {
        compiled.delete();
        // Without JSPI LiteRT.js recompiles the whole model for wasm when the delegate cannot take all of it: not a WebGPU cell any more.
        throw new EngineUnsupportedError(
          { kind: 'capability', subject: `${accelerator} delegation`, source: 'LiteRT.js compile', engineWords: `Model not fully compiled for ${accelerator} on non-JSPI browser. Falling back to WASM execution.` },
          `${descriptor.label}: the ${accelerator} delegate cannot run this whole model and, without JSPI, LiteRT.js ran all of it on wasm instead`,
        );
      }
      if (!compiled.isFullyAccelerated) {
        this.fallback = `LiteRT.js did not compile the whole model for ${accelerator} (isFullyAccelerated false): the operators its delegate lacks run on wasm, the rest on ${accelerator}`;
      }
    }
    this.models.set(batchSize, compiled);
  }

  async run(input: Float32Array, batchSize: number): Promise<Float32Array> {
    const model = this.models.get(batchSize) ?? (await this.prepare(batchSize), this.models.get(batchSize));
    if (!model) throw new Error(`No compiled model for batch ${batchSize}`);
    const tensor = new this.core.Tensor(input, [batchSize, ...this.shape.inputDims]);
    let outputs: LiteRtCore.Tensor[];
    try {
      outputs = await model.run(tensor);
    } finally {
      tensor.delete();
    }
    try {
      const [first] = outputs;
      if (!first) throw new Error('The model returned no output');
      // GPU outputs are read back to the CPU here, inside the timed span; toTypedArray copies out of the wasm heap.
      const host = first.accelerator === 'wasm' ? first : await first.copyTo('wasm');
      try {
        const data = host.toTypedArray();
        if (!(data instanceof Float32Array)) throw new TypeError(`Expected float32 outputs, got ${host.type.dtype}`);
        return data;
      } finally {
        if (host !== first) host.delete();
      }
    } finally {
      for (const o of outputs) o.delete();
    }
  }

  profileKernels(): Promise<never> {
    return Promise.reject(
      new EngineUnsupportedError(
        { kind: 'capability', subject: 'kernel profiler', source: this.flavour.descriptor.label },
        `${this.flavour.descriptor.label} has no per-kernel profiler: LiteRT.js ${String(__RUNTIME_VERSIONS__[this.flavour.descriptor.runtime] ?? '')} exposes none to JavaScript`,
      ),
    );
  }

  dispose(): Promise<void> {
    for (const m of this.models.values()) m.delete();
    this.models.clear();
    return Promise.resolve();
  }
}
