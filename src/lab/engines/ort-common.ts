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
import type { UnsupportedDetail } from './unsupported';
import { EngineUnsupportedError } from './unsupported';

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
}

export function createOrtEngine(flavour: OrtFlavour): EngineAdapter {
  let ort: OrtModule | undefined;
  return {
    descriptor: flavour.descriptor,
    probe: flavour.probe,
    async init(ctx: EngineContext): Promise<EngineRuntimeInfo> {
      ort = await flavour.load();
      ort.env.logLevel = 'error';
      ort.env.wasm.wasmPaths = `${ctx.appBaseUrl}ort/`;
      // Already inside a worker: ORT's own proxy worker would only add a hop.
      ort.env.wasm.proxy = false;
      const threads = flavour.wasmFile && globalThis.crossOriginIsolated ? ctx.threads : 1;
      ort.env.wasm.numThreads = threads;
      return {
        runtimeVersion: ort.env.versions.web ?? __ORT_VERSION__,
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
          { kind: 'format', subject: model.format, source: flavour.descriptor.label },
          `onnxruntime-web reads ONNX models, not "${model.format}"`,
        );
      }
      const missing = await flavour.preflight?.(model.bytes);
      if (missing) {
        throw new EngineUnsupportedError(missing, `${flavour.descriptor.label} cannot run this model: ${missing.engineWords ?? missing.subject} (${missing.source})`);
      }
      return OrtSession.create(ort, flavour, model.bytes, shape);
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
  ) {}

  static async create(ort: OrtModule, flavour: OrtFlavour, bytes: Uint8Array, shape: TensorShapeSpec): Promise<OrtSession> {
    const session = new OrtSession(ort, flavour, bytes, shape);
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

  async dispose(): Promise<void> {
    for (const session of this.sessions.values()) await session.release();
    this.sessions.clear();
  }
}
