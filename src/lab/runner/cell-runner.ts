import { runTimedLoop, timeOnce } from '../bench/protocol';
import { computeStatistics, sortSamples } from '../bench/statistics';
import type { EngineAdapter, EngineRuntimeInfo, EngineSession, ModelPayload, TensorShapeSpec } from '../engines/engine';
import { ENGINES } from '../engines/engine-descriptors';
import type { Precision, PrecisionInfo } from '../engines/precision';
import { artifactPrecision, describePrecision, unsupportedReason } from '../engines/precision';
import type { ModelManifest } from '../models/manifest';
import type { GoldenData } from '../models/golden';
import { loadGolden } from '../models/golden';
import { fetchManifest, fetchModelFile, fetchModelPayload } from '../models/model-fetch';
import type { Agreement, BatchMeasurement, CellErrorKind, CellPhases, CellResult, FidelityOutcome } from '../results/results';
import { errorMessage } from '../util/errors';
import { agrees, batchOf, compareWithGolden } from './agreement';
import { loadFidelityData, runFidelityPass } from './fidelity-pass';
import type { CellJob, CellProgress } from './worker-protocol';

/** Engine messages that mean "this engine has no kernel or type for that", not "the model is broken". */
const k_unsupported_message = /unsupported|not supported|does not support|not implemented|requires f16|no kernel|not registered|cannot resolve operator/i;

/** Progress is posted at most this often during sampling; more would only cost messages. */
const k_progress_interval_ms = 100;

export interface CellRunnerDeps {
  loadEngine: (id: CellJob['cell']['engine']) => Promise<EngineAdapter>;
  onProgress: (progress: CellProgress) => void;
  now?: () => number;
}

class CellFailure extends Error {
  constructor(
    readonly kind: CellErrorKind,
    message: string,
    readonly agreement?: Agreement[],
  ) {
    super(message);
  }
}

/** Runs one cell to a tagged result; never throws. Runs inside a worker. */
export async function runCell(job: CellJob, deps: CellRunnerDeps): Promise<CellResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const descriptor = ENGINES[job.cell.engine];
  const base = { cellId: job.cellId, engine: job.cell.engine, precision: job.cell.precision, descriptor };
  const phases: CellPhases = {};
  let runtime: EngineRuntimeInfo | undefined;
  let precisionInfo: PrecisionInfo | undefined;
  const progress = (p: Omit<CellProgress, 'cellId'>) => deps.onProgress({ cellId: job.cellId, ...p });
  const finish = () => ({ ...base, phases, wallMs: now() - started, ...(runtime ? { runtime } : {}), ...(precisionInfo ? { precisionInfo } : {}) });
  const precision = job.cell.precision;
  const filePrecision = artifactPrecision(descriptor, precision);

  let session: EngineSession | undefined;
  try {
    progress({ phase: 'probe' });
    const adapter = await deps.loadEngine(job.cell.engine);
    const availability = await adapter.probe();
    if (!availability.available) return { ...finish(), state: 'unavailable', reason: availability.reason };
    const unsupported = unsupportedReason(descriptor, precision);
    if (unsupported) return { ...finish(), state: 'unavailable', reason: unsupported };

    progress({ phase: 'init' });
    let t = now();
    runtime = await attempt('load-failed', `Starting ${descriptor.label}`, () =>
      adapter.init({ appBaseUrl: job.appBaseUrl, threads: job.threads, fp16Compute: precision === 'fp16c' }),
    );
    precisionInfo = describePrecision(descriptor, precision, { f16Textures: runtime.details.forceF16Textures === true });
    phases.runtimeInitMs = now() - t;

    progress({ phase: 'fetch' });
    t = now();
    const manifest = await attempt('bad-model', 'Reading the model manifest', () => fetchManifest(job.appBaseUrl, job.modelId));
    const artifacts = manifest.artifacts[filePrecision];
    if (!artifacts?.[descriptor.format]) {
      return { ...finish(), state: 'unavailable', reason: `Model "${manifest.id}" ships no ${filePrecision} ${descriptor.format === 'onnx' ? 'ONNX' : 'TF.js'} file` };
    }
    let payload = await attempt('bad-model', 'Fetching the model', () =>
      fetchModelPayload(job.appBaseUrl, manifest, descriptor.format, filePrecision),
    );
    phases.modelFetchMs = now() - t;
    if (job.cell.fault === 'corrupt-model') payload = corrupt(payload);

    progress({ phase: 'session' });
    const shape = tensorShape(manifest);
    t = now();
    try {
      session = await adapter.createSession(payload, shape);
    } catch (error) {
      // An engine that cleanly refuses an operator or data type does not support this model: "unavailable", in its words.
      if (k_unsupported_message.test(errorMessage(error))) {
        return { ...finish(), state: 'unavailable', reason: `${descriptor.label} cannot run the ${precision} model: ${errorMessage(error)}` };
      }
      throw new CellFailure('bad-model', `${descriptor.label} could not load the model: ${errorMessage(error)}`);
    }
    phases.sessionCreateMs = now() - t;

    const golden = await attempt('bad-model', 'Reading the golden outputs', () =>
      loadGolden(manifest, (path) => fetchModelFile(job.appBaseUrl, manifest.id, path)),
    );
    const tolerance = job.tolerance ?? variantTolerance(manifest, precision, artifacts.tolerance ?? golden.tolerance, golden);
    const agreement: Agreement[] = [];
    const batches: BatchMeasurement[] = [];
    for (const batchSize of job.batchSizes) {
      const s = session;
      await attempt('load-failed', `Preparing batch size ${batchSize}`, () => s.prepare(batchSize));
      progress({ phase: 'check', batchSize });
      let check: Agreement;
      try {
        check = await checkAgreement(s, golden, tolerance, batchSize, now, (ms) => {
          phases.firstRunMs ??= ms;
        });
      } catch (error) {
        // Some engines accept a graph and refuse an operator or type only when it first runs.
        if (k_unsupported_message.test(errorMessage(error))) {
          return { ...finish(), state: 'unavailable', reason: `${descriptor.label} cannot run the ${precision} model: ${errorMessage(error)}` };
        }
        throw error;
      }
      agreement.push(check);
      if (!agrees(check)) {
        throw new CellFailure(
          'wrong-results',
          `wrong results: max |Δ| ${check.maxAbsDiff.toExponential(2)} against the golden outputs exceeds the tolerance ${tolerance} (batch ${batchSize}, ${check.top1Mismatches} of ${check.rows} top-1 flips)`,
          agreement,
        );
      }
      batches.push(await measureBatch(s, golden.inputs, batchSize, job, now, progress));
    }
    const fidelity = job.cell.fidelity ? await fidelityPass(session, manifest, shape, job, now, progress) : undefined;
    return { ...finish(), state: 'completed', agreement, batches, ...(fidelity ? { fidelity } : {}) };
  } catch (error) {
    const failure = error instanceof CellFailure ? error : new CellFailure('run-failed', errorMessage(error));
    return {
      ...finish(),
      state: 'errored',
      error: { kind: failure.kind, message: failure.message },
      ...(failure.agreement ? { agreement: failure.agreement } : {}),
    };
  } finally {
    progress({ phase: 'dispose' });
    await session?.dispose().catch(() => undefined);
  }
}

/**
 * FP16 arithmetic has a unit roundoff of 4.9e-4, so an engine that really
 * computes in FP16 drifts ~1e-3 of the output's scale after a few layers, more
 * than a native FP32-computed tolerance allows. Floor it at 0.5% of the
 * outputs' scale: still ~40× below the 0.19 a wrong FP16 engine returned here.
 */
const k_fp16_compute_relative_floor = 5e-3;

function variantTolerance(manifest: ModelManifest, precision: Precision, stated: number, golden: GoldenData): number {
  if (precision !== 'fp16c') return stated;
  const scale = golden.outputs.reduce((m, row) => row.reduce((r, v) => Math.max(r, Math.abs(v)), m), 0);
  return Math.max(manifest.artifacts.fp16c?.tolerance ?? stated, k_fp16_compute_relative_floor * Math.max(1, scale));
}

/** Runs after the timings; its failure is reported, never turned into a failed cell. */
async function fidelityPass(
  session: EngineSession,
  manifest: ModelManifest,
  shape: TensorShapeSpec,
  job: CellJob,
  now: () => number,
  progress: (p: Omit<CellProgress, 'cellId'>) => void,
): Promise<FidelityOutcome> {
  const started = now();
  try {
    const data = await loadFidelityData(
      manifest,
      async (path) => new TextDecoder().decode(await fetchModelFile(job.appBaseUrl, manifest.id, path)),
      (path) => fetchModelFile(job.appBaseUrl, manifest.id, path),
    );
    if (!data) return { state: 'skipped', reason: `Model "${manifest.id}" ships no fidelity reference yet` };
    const outputWidth = shape.outputDims.reduce((n, d) => n * d, 1);
    progress({ phase: 'fidelity', done: 0 });
    const measured = await runFidelityPass(session, data, job.fidelity, outputWidth, (done, target) => progress({ phase: 'fidelity', done, target }));
    return { state: 'measured', ...measured, wallMs: now() - started };
  } catch (error) {
    return { state: 'failed', reason: errorMessage(error) };
  }
}

async function attempt<T>(kind: CellErrorKind, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new CellFailure(kind, `${what}: ${errorMessage(error)}`);
  }
}

function tensorShape(manifest: ModelManifest): TensorShapeSpec {
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  if (!input || !output) throw new CellFailure('bad-model', 'The manifest names no input or output');
  const dims = (shape: (number | null)[], what: string) =>
    shape.slice(1).map((d) => {
      if (d === null) throw new CellFailure('bad-model', `The ${what} has a symbolic dimension after the batch one; the lab needs fixed example shapes`);
      return d;
    });
  return { inputName: input.name, outputName: output.name, inputDims: dims(input.shape, 'input'), outputDims: dims(output.shape, 'output') };
}

/** Runs every golden row through the session at this batch size; the first call ever is the cold run. */
async function checkAgreement(
  session: EngineSession,
  golden: GoldenData,
  tolerance: number,
  batchSize: number,
  now: () => number,
  onFirstRun: (ms: number) => void,
): Promise<Agreement> {
  const width = golden.outputs[0]?.length ?? 0;
  const outputs = new Float32Array(golden.rows * width);
  for (let start = 0; start < golden.rows; start += batchSize) {
    const input = batchOf(golden.inputs, start, batchSize);
    let out: Float32Array = new Float32Array(0);
    const ms = await timeOnce(async () => {
      out = await session.run(input, batchSize);
    }, now);
    onFirstRun(ms);
    const keep = Math.min(batchSize, golden.rows - start);
    outputs.set(out.subarray(0, keep * width), start * width);
  }
  return compareWithGolden(outputs, golden.outputs, tolerance, batchSize);
}

async function measureBatch(
  session: EngineSession,
  rows: readonly Float32Array[],
  batchSize: number,
  job: CellJob,
  now: () => number,
  progress: (p: Omit<CellProgress, 'cellId'>) => void,
): Promise<BatchMeasurement> {
  const input = batchOf(rows, 0, batchSize);
  let lastPost = 0;
  progress({ phase: 'warmup', batchSize });
  const loop = await runTimedLoop(() => session.run(input, batchSize), job.rules, {
    now,
    onProgress: (done, target) => {
      const t = now();
      if (t - lastPost < k_progress_interval_ms && done !== target) return;
      lastPost = t;
      progress({ phase: 'sample', batchSize, done, target });
    },
  });
  const stats = computeStatistics(sortSamples(loop.samples));
  return {
    batchSize,
    warmupMs: loop.warmup,
    samplesMs: loop.samples,
    stoppedBy: loop.stoppedBy,
    stats,
    throughputPerSec: stats.p50 > 0 ? (batchSize * 1000) / stats.p50 : 0,
  };
}

/** Injected fault: flips bytes in the middle of the model, as a damaged download would. */
function corrupt(payload: ModelPayload): ModelPayload {
  if (payload.format === 'onnx') {
    const bytes = payload.bytes.slice();
    for (let i = 0; i < 64 && i < bytes.length; i += 1) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    return { format: 'onnx', bytes };
  }
  return { format: 'tfjs', modelJson: { corrupted: true }, weightData: payload.weightData.slice(0, 7) };
}
