import type * as Tf from '@tensorflow/tfjs';
import type { MemoryReading } from '../bench/memory';
import { errorMessage } from '../util/errors';
import type {
  Availability,
  EngineAdapter,
  EngineContext,
  EngineDescriptor,
  EngineRuntimeInfo,
  EngineSession,
  ModelPayload,
  RuntimeFact,
  TensorShapeSpec,
} from './engine';
import type { KernelTiming, ProfiledRuns } from '../profiles/kernel-profile';
import { importedOnnxModel, type TfjsModelRunner } from './tfjs-onnx-model';
import { formatLabel } from '../models/model-formats';
import { EngineUnsupportedError } from './unsupported';

type TfModule = typeof Tf;

export interface TfjsBackendSetup {
  wasmFile: string | null;
  threads: number;
  facts?: Partial<Record<RuntimeFact, boolean>>;
  details: Record<string, string | number | boolean>;
}

export interface TfjsFlavour {
  descriptor: EngineDescriptor;
  backendName: 'cpu' | 'wasm' | 'webgl' | 'webgpu';
  probe: () => Promise<Availability>;
  /** Registers the backend (dynamic import) and sets its flags before it starts. */
  register?: (tf: TfModule, ctx: EngineContext) => Promise<void>;
  /** Reads back what the started backend actually chose. */
  describe: (tf: TfModule, ctx: EngineContext) => TfjsBackendSetup;
  /** Memory TF.js counts that no worker tracker sees (see EngineAdapter.memory); absent where the trackers see it all. */
  memory?: (tf: TfModule) => MemoryReading;
}

interface TfjsModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
}

export function createTfjsEngine(flavour: TfjsFlavour): EngineAdapter {
  let tf: TfModule | undefined;
  return {
    descriptor: flavour.descriptor,
    probe: flavour.probe,
    memory: () => (tf && flavour.memory ? flavour.memory(tf) : null),
    async init(ctx: EngineContext): Promise<EngineRuntimeInfo> {
      tf = await import('@tensorflow/tfjs');
      await flavour.register?.(tf, ctx);
      // setBackend() reports failure by resolving false and logging a warning;
      // keep that warning as the reason instead of losing it in the console.
      const warnings = await captureWarnings(async () => {
        if (!(await tf!.setBackend(flavour.backendName))) {
          throw new Error(`TensorFlow.js could not start its "${flavour.backendName}" backend`);
        }
      });
      await tf.ready();
      if (tf.getBackend() !== flavour.backendName) {
        throw new Error(`TensorFlow.js fell back to "${tf.getBackend()}" instead of "${flavour.backendName}"${warnings}`);
      }
      const setup = flavour.describe(tf, ctx);
      return {
        runtimeVersion: tf.version.tfjs,
        bundle: flavour.descriptor.bundle,
        wasmFile: setup.wasmFile,
        threads: setup.threads,
        facts: setup.facts ?? {},
        details: setup.details,
      };
    },
    async createSession(model: ModelPayload, shape: TensorShapeSpec): Promise<EngineSession> {
      if (!tf) throw new Error('init() must run before createSession()');
      if (model.format === 'onnx') return new TfjsSession(tf, await importedOnnxModel(tf, model.bytes, shape, flavour.descriptor.label), shape);
      if (model.format !== 'tfjs') {
        throw new EngineUnsupportedError(
          { kind: 'format', subject: formatLabel(model.format), source: flavour.descriptor.label },
          `TensorFlow.js reads TF.js layers models and (through the lab's importer) ONNX, not ${formatLabel(model.format)}`,
        );
      }
      const json = readModelJson(model.modelJson);
      const artifacts = tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: model.weightData,
      });
      if (isGraphModelJson(json)) return new TfjsSession(tf, graphModelRunner(tf, await tf.loadGraphModel(artifacts), shape), shape);
      return new TfjsSession(tf, layersModelRunner(await tf.loadLayersModel(artifacts)), shape);
    },
  };
}

/** Checks the parts of model.json the loader reads, so a damaged file is named instead of failing deep inside TF.js. */
function readModelJson(value: unknown): TfjsModelJson {
  const json = value as Partial<TfjsModelJson> | null;
  if (typeof json !== 'object' || json === null) throw new TypeError('The TF.js model.json is not a JSON object');
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new TypeError('The TF.js model.json has no "modelTopology" object: it is not a TF.js layers or graph model');
  }
  if (!Array.isArray(json.weightsManifest) || json.weightsManifest.some((g) => !Array.isArray(g?.weights))) {
    throw new TypeError('The TF.js model.json has no valid "weightsManifest" (a list of weight groups, each with "paths" and "weights")');
  }
  return json as TfjsModelJson;
}

async function captureWarnings(fn: () => Promise<void>): Promise<string> {
  const seen: string[] = [];
  /* eslint-disable no-console -- TF.js reports backend failures only through console.warn */
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    seen.push(args.map((a) => errorMessage(a)).join(' '));
    original.apply(console, args);
  };
  try {
    await fn();
  } catch (error) {
    throw new Error(`${errorMessage(error)}${seen.length ? `: ${seen.join('; ')}` : ''}`, { cause: error });
  } finally {
    console.warn = original;
  }
  /* eslint-enable no-console */
  return seen.length ? ` (${seen.join('; ')})` : '';
}

/** Predictions before the profiled ones: the first one compiles shaders and fills caches. */
const k_profile_warmup_runs = 2;

/** A graph model (tfjs-converter's format: a GraphDef in JSON) rather than a layers model. */
function isGraphModelJson(json: TfjsModelJson): boolean {
  return json.format === 'graph-model' || Array.isArray((json.modelTopology as { node?: unknown }).node);
}

/** A graph model's output by name (executeAsync also runs models with control flow). */
function graphModelRunner(tf: TfModule, model: Tf.GraphModel, shape: TensorShapeSpec): TfjsModelRunner {
  return {
    async predict(x) {
      const y = await model.executeAsync(x, shape.outputName);
      if (Array.isArray(y)) {
        tf.dispose(y);
        throw new TypeError(`The TF.js graph model gave ${y.length} tensors for output "${shape.outputName}"`);
      }
      return y;
    },
    dispose: () => model.dispose(),
  };
}

function layersModelRunner(model: Tf.LayersModel): TfjsModelRunner {
  return {
    predict(x) {
      const y = model.predict(x);
      if (Array.isArray(y)) throw new TypeError('Expected a model with one output');
      return Promise.resolve(y);
    },
    dispose: () => model.dispose(),
  };
}

class TfjsSession implements EngineSession {
  constructor(
    private readonly tf: TfModule,
    private readonly model: TfjsModelRunner,
    private readonly shape: TensorShapeSpec,
  ) {}

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * `tf.profile` around `runs` predictions after two unprofiled ones. Kernel
   * times are the backend's own: CPU timers on cpu and wasm, GPU timer queries
   * on webgl and webgpu, where a browser without them returns an error
   * instead of a time (counted and named in the note).
   */
  async profileKernels(input: Float32Array, batchSize: number, runs: number): Promise<ProfiledRuns> {
    let output: Float32Array = new Float32Array(0);
    for (let i = 0; i < k_profile_warmup_runs; i += 1) output = await this.run(input, batchSize);
    const info = await this.tf.profile(async () => {
      for (let i = 0; i < runs; i += 1) output = await this.run(input, batchSize);
    });
    const timings: KernelTiming[] = [];
    const backend = this.tf.getBackend();
    let untimed = 0;
    let wrappers = 0;
    for (const kernel of info.kernels) {
      // tf.profile also lists ops built from other kernels (custom-gradient
      // wrappers such as fusedConv2d's): their time holds their kernels' own, so
      // only kernels the backend registers are counted, or time would count twice.
      if (!this.tf.getKernel(kernel.name, backend)) {
        wrappers += 1;
        continue;
      }
      // tf.profile has awaited each kernel's timer by now: a number, or { error } where the backend has none.
      const ms = kernel.kernelTimeMs;
      if (typeof ms === 'number') timings.push({ name: kernel.name, ms });
      else untimed += 1;
    }
    const notes = [
      ...(untimed > 0 ? [`${untimed} kernel calls carried no time (the backend has no timer for them here)`] : []),
      ...(wrappers > 0 ? [`${wrappers} entries for ops built from other kernels left out (their kernels are counted)`] : []),
    ];
    const note = notes.length > 0 ? notes.join('; ') : undefined;
    return { source: 'tfjs-profile', runs, timings, output, ...(note ? { note } : {}) };
  }

  async run(input: Float32Array, batchSize: number): Promise<Float32Array> {
    const x = this.tf.tensor(input, [batchSize, ...this.shape.inputDims], 'float32');
    let y: Tf.Tensor | undefined;
    try {
      y = await this.model.predict(x);
      const data = await y.data();
      if (!(data instanceof Float32Array)) throw new TypeError(`Expected float32 outputs, got ${y.dtype}`);
      return data;
    } finally {
      x.dispose();
      y?.dispose();
    }
  }

  dispose(): Promise<void> {
    this.model.dispose();
    return Promise.resolve();
  }
}
