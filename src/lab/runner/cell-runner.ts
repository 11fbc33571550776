/**
 * One cell, inside its worker: open (probe, start, fetch, session, check
 * against the golden outputs, warm up), then sample blocks when the runner
 * asks, then close (fidelity pass, dispose). Every failure becomes a tagged
 * result; nothing here throws to the worker.
 */
import { cellIdentity } from './plan';
import type { MemoryReading } from '../bench/memory';
import { leakCheck, MemoryMeter, sumBytes } from '../bench/memory';
import type { BlockRequest, BlockResult } from '../bench/protocol';
import { callsPerSample, runBlock, timeOnce, warmUp } from '../bench/protocol';
import { quantile, sortSamples } from '../bench/statistics';
import type { EngineAdapter, EngineRuntimeInfo, EngineSession, ModelPayload, TensorShapeSpec } from '../engines/engine';
import { ENGINES } from '../engines/engine-descriptors';
import type { PrecisionInfo } from '../engines/precision';
import { checkRequirements, precisionSupport } from '../engines/precision';
import { EngineUnsupportedError, isEngineUnsupported } from '../engines/unsupported';
import type { GoldenData } from '../models/golden';
import { loadCellGolden } from '../models/golden';
import type { ModelManifest } from '../models/manifest';
import type { ModelFolder } from '../models/model-fetch';
import { modelFolder, ModelFileChangedError, readModelPayload } from '../models/model-fetch';
import { formatLabel, MODEL_FORMATS } from '../models/model-formats';
import type { Agreement, CellErrorKind, CellMemory, CellPhases, CellResult, FidelityOutcome, LeakCheck, ToleranceRecord } from '../results/results';
import { errorMessage } from '../util/errors';
import { agrees, batchOf, compareWithGolden } from './agreement';
import { loadFidelityData, runFidelityPass } from './fidelity-pass';
import { resolveTolerance, toleranceLabel } from './tolerance';
import type { CellJob, CellProgress, OpenedCell } from './worker-protocol';

export interface CellRunnerDeps {
  loadEngine: (id: CellJob['cell']['engine']) => Promise<EngineAdapter>;
  onProgress: (progress: CellProgress) => void;
  now?: () => number;
  /** What the worker's memory trackers see now (memory-trackers.ts); absent: only the engine's own count. */
  readMemory?: () => MemoryReading[];
}

/** A cell that opened: its session stays warm for the runner's blocks. */
export interface LiveCell {
  job: CellJob;
  session: EngineSession;
  manifest: ModelManifest;
  /** Where the model's files are read from (the lab's server, or the page that holds a user's model). */
  folder: ModelFolder;
  shape: TensorShapeSpec;
  /** One fixed input per batch size (the golden rows), built once outside every timed span. */
  inputs: Map<number, Float32Array>;
  opened: OpenedCell;
  now: () => number;
  adapter: EngineAdapter;
  /** The model as fetched, kept for the leak check's fresh sessions. */
  payload: ModelPayload;
  /** Peak and after-dispose memory, sampled outside every timed span. */
  memory: MemoryMeter;
}

export type OpenOutcome = { kind: 'opened'; live: LiveCell } | { kind: 'ended'; result: CellResult };

class CellFailure extends Error {
  constructor(
    readonly kind: CellErrorKind,
    message: string,
    readonly agreement?: Agreement[],
  ) {
    super(message);
  }
}

/** Opens one cell. Never throws: a cell that cannot open ends with its tagged result. */
export async function openCell(job: CellJob, deps: CellRunnerDeps): Promise<OpenOutcome> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const descriptor = ENGINES[job.cell.engine];
  const base = cellIdentity(job.cell, job.cellId);
  const phases: CellPhases = {};
  let runtime: EngineRuntimeInfo | undefined;
  let precisionInfo: PrecisionInfo | undefined;
  let tolerance: ToleranceRecord | undefined;
  const progress = (p: Omit<CellProgress, 'cellId'>) => deps.onProgress({ cellId: job.cellId, ...p });
  const finish = () => ({
    ...base,
    phases,
    wallMs: now() - started,
    ...(runtime ? { runtime } : {}),
    ...(precisionInfo ? { precisionInfo } : {}),
  });
  const precision = job.cell.precision;

  let session: EngineSession | undefined;
  try {
    progress({ phase: 'probe' });
    const adapter = await deps.loadEngine(job.cell.engine);
    const meter = new MemoryMeter(() => memoryReadings(adapter, deps));
    const availability = await adapter.probe();
    if (!availability.available) return ended({ ...finish(), state: 'unavailable', reason: availability.reason });
    const format = job.cell.format ?? descriptor.formats[0];
    if (!descriptor.formats.includes(format)) {
      // The descriptor says what the engine reads: positively known, so unavailable, never a failure.
      throw new EngineUnsupportedError({ kind: 'format', subject: formatLabel(format), source: `${descriptor.label} descriptor` }, `${descriptor.label} reads ${descriptor.formats.map(formatLabel).join(' or ')} models, not ${formatLabel(format)}`);
    }
    const support = precisionSupport(descriptor, precision, format);
    precisionInfo = support.info;

    progress({ phase: 'init' });
    let t = now();
    runtime = await attempt('load-failed', `Starting ${descriptor.label}`, () =>
      adapter.init({ appBaseUrl: job.appBaseUrl, threads: job.threads, precision, profile: job.profile !== undefined, shapes: job.batchSizes.length + (job.cell.fidelity ? 1 : 0) }),
    );
    phases.runtimeInitMs = now() - t;
    checkRequirements(descriptor, support, runtime.facts);

    progress({ phase: 'fetch' });
    t = now();
    const folder = modelFolder(job.appBaseUrl, job.modelId, job.localModel);
    const manifest = await attempt('bad-model', 'Reading the model manifest', () => folder.manifest());
    const artifacts = manifest.artifacts[support.artifact];
    const shipped = MODEL_FORMATS.filter((f) => artifacts?.[f] !== undefined);
    // A format the variant could not be written in, known when it was made (a user's ONNX model the .tflite exporter cannot write).
    const unwritten = artifacts?.[format] === undefined && format === 'tflite' ? artifacts?.unwritten?.tflite : undefined;
    if (unwritten?.kind === 'failed') throw new CellFailure('bad-model', unwritten.reason);
    if (unwritten) throw new EngineUnsupportedError({ kind: unwritten.kind, subject: unwritten.subject, source: unwritten.source }, `${descriptor.label}: ${unwritten.reason}`);
    if (job.cell.format === undefined && shipped.length > 0 && !shipped.some((f) => descriptor.formats.includes(f))) {
      // A model that comes only in formats this runtime cannot read (a bring-your-own .tflite on onnxruntime-web): known, not a failure.
      throw new EngineUnsupportedError(
        { kind: 'format', subject: shipped.map(formatLabel).join(', '), source: `${descriptor.label} descriptor` },
        `${descriptor.label} reads ${descriptor.formats.map(formatLabel).join(' or ')}; this model's ${support.artifact} variant comes only as ${shipped.map(formatLabel).join(', ')}`,
      );
    }
    if (!artifacts?.[format]) {
      throw new CellFailure('bad-model', `Model "${manifest.id}" ships no ${support.artifact} ${formatLabel(format)} file`);
    }
    let payload: ModelPayload;
    try {
      payload = await readModelPayload(folder, manifest, format, support.artifact);
    } catch (error) {
      if (error instanceof ModelFileChangedError) throw new CellFailure('model-changed', error.message);
      throw new CellFailure('bad-model', `Fetching the model: ${errorMessage(error)}`);
    }
    phases.modelFetchMs = now() - t;
    if (job.cell.fault === 'corrupt-model') payload = corrupt(payload);

    progress({ phase: 'session' });
    const shape = tensorShape(manifest);
    t = now();
    session = await adapter.createSession(payload, shape).catch((error: unknown) => {
      if (isEngineUnsupported(error)) throw error;
      throw new CellFailure('bad-model', `${descriptor.label} could not load the model: ${errorMessage(error)}`);
    });
    phases.sessionCreateMs = now() - t;
    if (session.fallback !== undefined) runtime = { ...runtime, fallback: session.fallback };
    meter.sample();

    // Each variant is checked against its own graph's native outputs (FP32's for fp32), as this cell's format runs it.
    const golden = await attempt('bad-model', `Reading the ${precision} reference outputs`, () =>
      loadCellGolden(manifest, precision, format, (path) => folder.file(path)),
    );
    tolerance = resolveTolerance(golden.tolerance, job.tolerance, golden.toleranceNote);
    const agreement: Agreement[] = [];
    const inputs = new Map<number, Float32Array>();
    const warm: OpenedCell['warm'] = [];
    for (const batchSize of job.batchSizes) {
      const s = session;
      await attempt('load-failed', `Preparing batch size ${batchSize}`, () => s.prepare(batchSize));
      progress({ phase: 'check', batchSize });
      const check = await checkAgreement(s, golden, tolerance.applied, batchSize, now, (ms) => {
        phases.firstRunMs ??= ms;
      });
      agreement.push(check);
      if (!agrees(check)) {
        const label = toleranceLabel(tolerance);
        const against = precision === 'fp32' ? 'the golden outputs' : `the ${precision} reference outputs`;
        throw new CellFailure(
          'wrong-results',
          `wrong results: max |Δ| ${check.maxAbsDiff.toExponential(2)} against ${against} exceeds the tolerance ${tolerance.applied}${label ? ` (${label})` : ''} (batch ${batchSize}, ${check.top1Mismatches} of ${check.rows} top-1 flips)`,
          agreement,
        );
      }
      const input = batchOf(golden.inputs, 0, batchSize);
      inputs.set(batchSize, input);
      progress({ phase: 'warmup', batchSize });
      const warmupMs = await warmUp(() => s.run(input, batchSize), job.rules, now);
      const perCall = await calibrate(() => s.run(input, batchSize), job, now);
      meter.sample();
      warm.push({ batchSize, warmupMs, perCallMs: perCall, callsPerSample: callsPerSample(perCall, job.timerStepMs, job.rules.minTimerSteps) });
    }
    meter.markOpened();
    const opened: OpenedCell = { phases, runtime, precisionInfo, tolerance, agreement, warm };
    return { kind: 'opened', live: { job, session, manifest, folder, shape, inputs, opened, now, adapter, payload, memory: meter } };
  } catch (error) {
    await session?.dispose().catch(() => undefined);
    if (isEngineUnsupported(error)) {
      return ended({ ...finish(), state: 'unavailable', reason: error.message, unsupported: error.detail });
    }
    const failure = error instanceof CellFailure ? error : new CellFailure('run-failed', errorMessage(error));
    return ended({
      ...finish(),
      state: 'errored',
      error: { kind: failure.kind, message: failure.message },
      ...(failure.agreement ? { agreement: failure.agreement } : {}),
      ...(tolerance ? { tolerance } : {}),
    });
  }
}

function ended(result: CellResult): OpenOutcome {
  return { kind: 'ended', result };
}

/**
 * Warm time per call: the median over k_calibration_groups groups of
 * back-to-back calls, each group spanning the clock span a sample needs. A
 * single estimate right after warm-up read 3–30× slow here (a garbage
 * collection after warm-up's allocations lands in it: ORT wasm 1.3 ms per call
 * against 20 µs sampled), which would leave calls the clock cannot resolve
 * ungrouped; the median of groups ignores such a pause.
 */
async function calibrate(fn: () => Promise<unknown>, job: CellJob, now: () => number): Promise<number> {
  const span = job.rules.minTimerSteps * job.timerStepMs;
  const perCall: number[] = [];
  const started = now();
  for (let g = 0; g < k_calibration_groups && (g < 3 || now() - started < k_calibration_max_ms); g += 1) {
    const t0 = now();
    let calls = 0;
    let elapsed = 0;
    while (calls === 0 || (elapsed < span && calls < k_max_calibration_calls)) {
      await fn();
      calls += 1;
      elapsed = now() - t0;
    }
    perCall.push(elapsed / calls);
  }
  return quantile(sortSamples(perCall), 0.5);
}

const k_calibration_groups = 9;
/** Slow models stop calibrating after this long (at least three groups). */
const k_calibration_max_ms = 300;
/** A group never runs more calls than this (a model that fast is grouped anyway). */
const k_max_calibration_calls = 10_000;

/** One block of samples at one batch size. Throws what the engine throws (the runner ends the cell). */
export async function sampleBlock(live: LiveCell, batchSize: number, request: BlockRequest): Promise<BlockResult> {
  const input = live.inputs.get(batchSize);
  if (!input) throw new RangeError(`Batch size ${batchSize} was not opened for cell ${live.job.cellId}`);
  const { session } = live;
  const block = await runBlock(() => session.run(input, batchSize), request, live.now);
  live.memory.sample();
  return block;
}

/** The trackers' readings plus what the engine counts itself. */
function memoryReadings(adapter: EngineAdapter, deps: CellRunnerDeps): MemoryReading[] {
  const own = adapter.memory?.() ?? null;
  return [...(deps.readMemory?.() ?? []), ...(own ? [own] : [])];
}

/**
 * Fidelity pass (if asked), dispose, the memory after dispose and the leak
 * check (if asked). Never throws: a failed pass is reported, never turned into
 * a failed cell.
 */
export async function closeCell(live: LiveCell, onProgress: (p: CellProgress) => void): Promise<{ fidelity?: FidelityOutcome; memory: CellMemory }> {
  const progress = (p: Omit<CellProgress, 'cellId'>) => onProgress({ cellId: live.job.cellId, ...p });
  let fidelity: FidelityOutcome | undefined;
  try {
    fidelity = live.job.cell.fidelity ? await fidelityPass(live, progress) : undefined;
    live.memory.sample();
  } finally {
    progress({ phase: 'dispose' });
    await live.session.dispose().catch(() => undefined);
  }
  live.memory.afterDispose();
  if (live.job.leakCycles !== undefined) {
    progress({ phase: 'leak-check', done: 0, target: live.job.leakCycles });
    live.memory.setLeakCheck(await runLeakCheck(live, live.job.leakCycles, (done) => progress({ phase: 'leak-check', done, target: live.job.leakCycles })));
  }
  return { ...(fidelity ? { fidelity } : {}), memory: live.memory.result() };
}

/**
 * Create → run → dispose, `cycles` times in this worker, with the memory read
 * after each dispose: memory that grows cycle after cycle is held by something
 * dispose did not release.
 */
async function runLeakCheck(live: LiveCell, cycles: number, onCycle: (done: number) => void): Promise<LeakCheck> {
  const batchSize = live.job.batchSizes[0] ?? 1;
  const input = live.inputs.get(batchSize);
  const after: (number | null)[] = [];
  let source = 'n/a';
  let first: MemoryReading[] | undefined;
  let last: MemoryReading[] = [];
  for (let i = 0; i < cycles; i += 1) {
    let session: EngineSession | undefined;
    try {
      session = await live.adapter.createSession(live.payload, live.shape);
      await session.prepare(batchSize);
      if (input) await session.run(input, batchSize);
    } catch (error) {
      await session?.dispose().catch(() => undefined);
      return { ...leakCheck(after, source), reason: `Cycle ${i + 1} of ${cycles} failed: ${errorMessage(error)}` };
    }
    await session.dispose();
    const readings = live.memory.read();
    first ??= readings;
    last = readings;
    if (readings.length > 0) source = readings.filter((r) => !r.inside).map((r) => r.source).join(' + ');
    after.push(readings.length > 0 ? sumBytes(readings) : null);
    onCycle(i + 1);
  }
  const bySource = last.flatMap((r) => {
    const was = first?.find((f) => f.source === r.source);
    return was ? [{ source: r.source, growthBytes: r.bytes - was.bytes }] : [];
  });
  return { ...leakCheck(after, source), ...(bySource.length > 0 ? { bySource } : {}) };
}

async function fidelityPass(live: LiveCell, progress: (p: Omit<CellProgress, 'cellId'>) => void): Promise<FidelityOutcome> {
  const { job, manifest, folder, shape, session, now } = live;
  const started = now();
  try {
    const data = await loadFidelityData(
      manifest,
      async (path) => new TextDecoder().decode(await folder.file(path)),
      (path) => folder.file(path),
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
    if (isEngineUnsupported(error)) throw error;
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
    if (out.length < keep * width) {
      throw new CellFailure('run-failed', `The engine returned ${out.length} values for a batch of ${batchSize}; ${batchSize * width} expected`);
    }
    outputs.set(out.subarray(0, keep * width), start * width);
  }
  return compareWithGolden(outputs, golden.outputs, tolerance, batchSize);
}

/** Injected fault: flips bytes in the middle of the model, as a damaged download would. */
function corrupt(payload: ModelPayload): ModelPayload {
  if (payload.format === 'tfjs') return { format: 'tfjs', modelJson: { corrupted: true }, weightData: payload.weightData.slice(0, 7) };
  const bytes = payload.bytes.slice();
  for (let i = 0; i < 64 && i < bytes.length; i += 1) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  return { format: payload.format, bytes };
}
