import type * as Ort from 'onnxruntime-web';
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
import type { ConsoleCapture } from '../profiles/console-capture';
import { captureConsoleLog, isOrtTraceLine } from '../profiles/console-capture';
import type { ProfiledRuns } from '../profiles/kernel-profile';
import { ortKernelTimings, parseOrtTrace } from '../profiles/ort-profile-events';
import type { UnsupportedDetail } from './unsupported';
import { EngineUnsupportedError } from './unsupported';
import { formatLabel } from '../models/model-formats';

type OrtModule = typeof Ort;
type SessionOptions = Ort.InferenceSession.SessionOptions;

export interface OrtFlavour {
  descriptor: EngineDescriptor;
  /** The bundle is chosen per provider on purpose (see registry.ts). */
  load: () => Promise<OrtModule>;
  /** The wasm binary this bundle fetches from `<app>/ort/`, or null (webgl needs none). */
  wasmFile: string | null;
  executionProviders: SessionOptions['executionProviders'];
  probe: () => Promise<Availability>;
  /** ORT webgl rejects symbolic dimensions: one session per fixed batch size. */
  fixedShapes?: (bytes: Uint8Array, batch: number) => Promise<Uint8Array>;
  /** What the provider positively cannot run in this model, checked before a session is created. */
  preflight?: (bytes: Uint8Array) => Promise<UnsupportedDetail | null>;
  /** Facts about the started backend that decide which precisions can run. */
  facts?: () => Promise<Partial<Record<RuntimeFact, boolean>>>;
  /**
   * Whether onnxruntime's session profiler runs in this bundle (it prints its
   * trace to the console). ORT WebGL is the older onnxjs backend: it has no
   * session profiler.
   */
  sessionProfiler: boolean;
  /** What the session profiler's node times mean for this provider, shown with the profile. */
  profilerNote?: string;
}

/** Runs of the profiling session before the profiled ones: its first run builds kernels and buffers. */
const k_profile_warmup_runs = 2;

export function createOrtEngine(flavour: OrtFlavour): EngineAdapter {
  let ort: OrtModule | undefined;
  let trace: ConsoleCapture | undefined;
  return {
    descriptor: flavour.descriptor,
    probe: flavour.probe,
    async init(ctx: EngineContext): Promise<EngineRuntimeInfo> {
      // Before the runtime's module is instantiated: it binds console.log then.
      if (ctx.profile && flavour.sessionProfiler) trace = captureConsoleLog(isOrtTraceLine);
      ort = await flavour.load();
      ort.env.logLevel = 'error';
      ort.env.wasm.wasmPaths = `${ctx.appBaseUrl}ort/`;
      // Already inside a worker: ORT's own proxy worker would only add a hop.
      ort.env.wasm.proxy = false;
      // Threads need shared wasm memory: an isolated page without SharedArrayBuffer (WebKitGTK by default) runs one, whatever was asked.
      const threads = flavour.wasmFile && globalThis.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined' ? ctx.threads : 1;
      ort.env.wasm.numThreads = threads;
      return {
        runtimeVersion: ort.env.versions.web ?? __RUNTIME_VERSIONS__[flavour.descriptor.runtime] ?? 'unknown',
        bundle: flavour.descriptor.bundle,
        wasmFile: flavour.wasmFile,
        threads: flavour.wasmFile ? threads : 0,
        facts: (await flavour.facts?.()) ?? {},
        details: {
          executionProvider: flavour.descriptor.backend,
          crossOriginIsolated: globalThis.crossOriginIsolated,
        },
      };
    },
    async createSession(model: ModelPayload, shape: TensorShapeSpec): Promise<EngineSession> {
      if (!ort) throw new Error('init() must run before createSession()');
      if (model.format !== 'onnx') {
        throw new EngineUnsupportedError(
          { kind: 'format', subject: formatLabel(model.format), source: flavour.descriptor.label },
          `onnxruntime-web reads ONNX models, not ${formatLabel(model.format)}`,
        );
      }
      const missing = await flavour.preflight?.(model.bytes);
      if (missing) {
        throw new EngineUnsupportedError(missing, `${flavour.descriptor.label} cannot run this model: ${missing.engineWords ?? missing.subject} (${missing.source})`);
      }
      return OrtSession.create(ort, flavour, model.bytes, shape, trace);
    },
  };
}

class OrtSession implements EngineSession {
  private readonly sessions = new Map<number, Ort.InferenceSession>();

  private constructor(
    private readonly ort: OrtModule,
    private readonly flavour: OrtFlavour,
    private readonly bytes: Uint8Array,
    private readonly shape: TensorShapeSpec,
    private readonly trace: ConsoleCapture | undefined,
  ) {}

  static async create(ort: OrtModule, flavour: OrtFlavour, bytes: Uint8Array, shape: TensorShapeSpec, trace: ConsoleCapture | undefined): Promise<OrtSession> {
    const session = new OrtSession(ort, flavour, bytes, shape, trace);
    // A session with symbolic shapes now (or, for fixed-shape engines, batch 1),
    // so that creation time is measured where the caller expects it.
    await session.sessionFor(1);
    return session;
  }

  private async sessionFor(batch: number): Promise<Ort.InferenceSession> {
    const key = this.flavour.fixedShapes ? batch : 0;
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const bytes = this.flavour.fixedShapes ? await this.flavour.fixedShapes(this.bytes, batch) : this.bytes;
    const created = await this.ort.InferenceSession.create(bytes, {
      executionProviders: this.flavour.executionProviders,
      graphOptimizationLevel: 'all',
    });
    this.sessions.set(key, created);
    return created;
  }

  async prepare(batchSize: number): Promise<void> {
    await this.sessionFor(batchSize);
  }

  async run(input: Float32Array, batchSize: number): Promise<Float32Array> {
    // Inside the timed span: a plain lookup (prepare() built the session), no extra await.
    const session = this.sessions.get(this.flavour.fixedShapes ? batchSize : 0) ?? (await this.sessionFor(batchSize));
    return this.runOn(session, input, batchSize);
  }

  private async runOn(session: Ort.InferenceSession, input: Float32Array, batchSize: number): Promise<Float32Array> {
    const tensor = new this.ort.Tensor('float32', input, [batchSize, ...this.shape.inputDims]);
    const outputs = await session.run({ [this.shape.inputName]: tensor });
    const output = outputs[this.shape.outputName];
    if (!output) throw new Error(`The model has no output named "${this.shape.outputName}"`);
    // getData() downloads GPU-resident outputs; for CPU outputs it is the data itself.
    const data = await output.getData(true);
    tensor.dispose();
    if (!(data instanceof Float32Array)) throw new TypeError(`Expected float32 outputs, got ${output.type}`);
    return data;
  }

  async profileKernels(input: Float32Array, batchSize: number, runs: number): Promise<ProfiledRuns> {
    const { descriptor } = this.flavour;
    if (!this.flavour.sessionProfiler || !this.trace) {
      throw new EngineUnsupportedError(
        { kind: 'capability', subject: 'kernel profiler', source: descriptor.label },
        this.flavour.sessionProfiler
          ? `${descriptor.label} was started without its profiler (only profiling workers arm it)`
          : `${descriptor.label} has no per-kernel profiler (onnxruntime's session profiler does not run on the WebGL backend)`,
      );
    }
    const bytes = this.flavour.fixedShapes ? await this.flavour.fixedShapes(this.bytes, batchSize) : this.bytes;
    const session = await this.ort.InferenceSession.create(bytes, {
      executionProviders: this.flavour.executionProviders,
      graphOptimizationLevel: 'all',
      enableProfiling: true,
    });
    try {
      let output: Float32Array = new Float32Array(0);
      for (let i = 0; i < k_profile_warmup_runs + runs; i += 1) output = await this.runOn(session, input, batchSize);
      this.trace.take();
      // Prints the whole trace to the console, which `trace` keeps.
      session.endProfiling();
      const events = parseOrtTrace(this.trace.take());
      const kernels = ortKernelTimings(events, runs);
      if (kernels.runs < runs) throw new Error(`onnxruntime's profiler recorded ${kernels.runs} of ${runs} runs`);
      return {
        source: 'ort-session-profiler',
        runs: kernels.runs,
        timings: kernels.timings,
        output,
        ...(this.flavour.profilerNote ? { note: this.flavour.profilerNote } : {}),
      };
    } finally {
      await session.release();
    }
  }

  async dispose(): Promise<void> {
    for (const session of this.sessions.values()) await session.release();
    this.sessions.clear();
  }
}
