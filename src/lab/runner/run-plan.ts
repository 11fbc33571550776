/**
 * Runs a plan's cells in three phases, once per stage (run-stages.ts: one
 * stage of every cell, or one per engine beside a bridge cell):
 *  1. open: cell by cell, each in a fresh supervised worker, so every cold
 *     phase (runtime start, fetch, session, first run) is measured alone;
 *     a cell that cannot run ends here with its tagged result;
 *  2. rounds: every open cell × batch size takes one block of samples per
 *     round, in rotating order, one block at a time (no two sessions ever run
 *     at once), so host drift lands on every cell alike;
 *  3. close: cell by cell, the fidelity pass and dispose (the bridge last).
 * One failed cell never loses the others; after a cancel the rest are aborted.
 */
import { blockRequest, roundOrder } from '../bench/protocol';
import type { RoundSummary } from '../bench/ratios';
import { summariseBatch } from '../bench/batch-measurement';
import { k_unstable_round_spread, rankByRatios, sharesRounds } from '../bench/ratios';
import type { DeviceReport } from '../device/device-report';
import type { ModelManifest } from '../models/manifest';
import type { LocalModelFiles } from '../models/model-fetch';
import { modelFolder } from '../models/model-fetch';
import { modelFlops } from '../models/model-flops';
import type { BatchComparison, BatchMeasurement, CellMemory, CellResult, FidelityOutcome, ResultsDocument, SustainedReport, TimingDisclosure } from '../results/results';
import { errorMessage } from '../util/errors';
import type { FlopCount } from '../models/onnx-flops';
import { k_results_schema_version } from '../results/results';
import { roundBridge, roundSeries } from '../results/round-series';
import type { Plan } from './plan';
import { planStages } from './run-stages';
import { cellId, cellIdentity, resolveRules } from './plan';
import type { Lost, WorkerFactory } from './supervisor';
import { CellChannel, lostResult } from './supervisor';
import type { CellJob, CellProgress, OpenedCell } from './worker-protocol';

export type RunStage = 'open' | 'rounds' | 'close';

export interface RunProgress {
  runId: number;
  stage: RunStage;
  cellIndex: number;
  cellCount: number;
  /** During rounds: the round being sampled (0-based) and how many there are. */
  round?: number;
  rounds?: number;
  cell?: CellProgress;
  /** A cell just finished. */
  result?: CellResult;
  /** Sent once, before any cell: what the run is (a history can keep each cell the moment it finishes). */
  started?: RunStarted;
}

/** What a run is, before any cell has run: enough to rebuild a results document from the cells that finish. */
export interface RunStarted {
  createdAt: string;
  model: ResultsDocument['model'];
  device: DeviceReport;
  rules: ResultsDocument['rules'];
}

export interface RunPlanOptions {
  runId: number;
  appBaseUrl: string;
  device: DeviceReport;
  createWorker: WorkerFactory;
  /** The files of a model this page holds (one the user brought), by model id; absent or undefined: the lab serves it. */
  localModel?: (modelId: string) => LocalModelFiles | undefined;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/** What every sample spans, for the disclosure. */
export const k_timing_span =
  'One sample = one call: a JS Float32Array in (input tensor created inside the span), inference, outputs read back to a JS Float32Array (GPU work included). Calls shorter than the rules\' minimum number of clock steps are timed in groups of back-to-back calls, and the sample is the mean per call.';

interface OpenCell {
  index: number;
  channel: CellChannel;
  opened: OpenedCell;
  /** Per batch size, the samples of each round. */
  rounds: Map<number, number[][]>;
  /** Per batch size, when each round's block started (ms after the rounds began). */
  starts: Map<number, number[]>;
  /** Per batch size, the calls per sample each round's block used. */
  calls: Map<number, number[]>;
  /** Per batch size, the run's number of each round the cell was sampled in. */
  ids: Map<number, number[]>;
}

function emptySeries(batchSizes: readonly number[]): Pick<OpenCell, 'rounds' | 'starts' | 'calls' | 'ids'> {
  const per = () => new Map(batchSizes.map((b): [number, number[]] => [b, []]));
  return { rounds: new Map(batchSizes.map((b): [number, number[][]] => [b, []])), starts: per(), calls: per(), ids: per() };
}

export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<ResultsDocument> {
  const started = performance.now();
  const local = options.localModel?.(plan.modelId);
  if (plan.userModel && !local) {
    throw new Error(`This plan is for your model ${plan.userModel.fileName} (SHA-256 ${plan.userModel.sha256.slice(0, 12)}…), which this page does not hold: add that file first (a plan never carries the model)`);
  }
  const folder = modelFolder(options.appBaseUrl, plan.modelId, local);
  const manifest = await folder.manifest();
  const rules = resolveRules(plan);
  const threads = plan.threads > 0 ? plan.threads : options.device.hardwareConcurrency;
  const results: (CellResult | undefined)[] = plan.cells.map(() => undefined);
  /** Every cell that opened, in the order it opened. */
  const live: OpenCell[] = [];
  const count = plan.cells.length;
  const report = (p: Omit<RunProgress, 'runId' | 'cellCount'>) => options.onProgress?.({ runId: options.runId, cellCount: count, ...p });
  let stage: RunStage = 'open';
  report({ stage, cellIndex: 0, started: { createdAt: new Date().toISOString(), model: resultsModel(manifest), device: options.device, rules } });
  const finish = (index: number, result: CellResult) => {
    results[index] = result;
    report({ stage, cellIndex: index, result });
  };

  const staged = plan.stages === 'per-engine';
  const stages = planStages(plan);
  const roundsTotal = plan.sustained ? undefined : rules.rounds * stages.length;
  // Set when the first rounds begin (a sustained run's duration counts from there).
  let roundsStart: number | undefined;
  let deadline: number | undefined;
  let pressure: ReturnType<typeof watchPressure> | undefined;
  let bridge: OpenCell | undefined;
  let roundsRun = 0;
  let stagesSampled = 0;
  let sustained: SustainedReport | undefined;
  const close = async (cell: OpenCell) => {
    if (results[cell.index] !== undefined) return;
    const answer = await cell.channel.close();
    if ('lost' in answer) finish(cell.index, lostAfterOpen(cell, answer));
    else finish(cell.index, completedResult(cell, plan, answer.ok.fidelity, answer.ok.memory, staged));
  };

  for (const [stageIndex, indices] of stages.entries()) {
    const last = stageIndex === stages.length - 1;
    // 1. Open each of the stage's cells on a fresh worker.
    stage = 'open';
    const opened: OpenCell[] = [];
    for (const index of indices) {
      const cell = plan.cells[index]!;
      const job = cellJob(plan, index, options, { rules, threads, ...(plan.leakCheck !== undefined ? { leakCycles: plan.leakCheck } : {}) });
      const channel = new CellChannel(job, options.createWorker, {
        timeoutMs: cell.timeoutMs ?? plan.cellTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => report({ stage, cellIndex: index, cell: progress }),
      });
      const answer = await channel.open();
      if ('ended' in answer) finish(index, answer.ended);
      else if ('lost' in answer) finish(index, lostResult(job, answer, channel.busyMs()));
      else opened.push({ index, channel, opened: answer.ok, ...emptySeries(plan.batchSizes) });
    }
    live.push(...opened);
    bridge ??= opened[0];

    // 2. Interleaved rounds over every open cell of the stage (and the bridge) × batch size.
    stage = 'rounds';
    if (roundsStart === undefined) {
      roundsStart = performance.now();
      deadline = plan.sustained ? roundsStart + plan.sustained.durationS * 1000 : undefined;
      pressure = plan.sustained ? watchPressure(roundsStart) : undefined;
    }
    const since = roundsStart;
    // A stage none of whose cells opened has nothing to sample: the bridge alone would only cost time.
    const members = opened.length === 0 ? [] : bridge && !opened.includes(bridge) ? [bridge, ...opened] : opened;
    const arms = members.flatMap((cell) => plan.batchSizes.map((batchSize) => ({ cell, batchSize })));
    if (arms.length > 0) stagesSampled += 1;
    const more = (round: number) => (deadline === undefined ? round < rules.rounds : performance.now() < deadline);
    // The bridge alone (every cell of a later stage lost) would only cost time: go on while a cell of this stage is live.
    const pending = (a: (typeof arms)[number]) => results[a.cell.index] === undefined && opened.includes(a.cell);
    for (let round = 0; more(round) && arms.some(pending); round += 1) {
      const id = roundsRun;
      roundsRun += 1;
      for (const armIndex of roundOrder(arms.length, round)) {
        const arm = arms[armIndex];
        if (!arm || results[arm.cell.index] !== undefined) continue;
        const { cell, batchSize } = arm;
        // Start from the last round's count (the calibration's in round 0): the block raises it when samples are too short for the clock.
        const calls = cell.calls.get(batchSize)?.at(-1) ?? cell.opened.warm.find((w) => w.batchSize === batchSize)?.callsPerSample ?? 1;
        report({ stage: 'rounds', cellIndex: cell.index, round: id, rounds: roundsTotal ?? roundsRun, cell: { cellId: cell.channel.job.cellId, phase: 'sample', batchSize, round: id } });
        const startedAt = performance.now() - since;
        const answer = await cell.channel.block(batchSize, id, blockRequest(rules, calls, options.device.timer.stepMs));
        if ('ended' in answer) finish(cell.index, answer.ended);
        else if ('lost' in answer) finish(cell.index, lostAfterOpen(cell, answer));
        else {
          cell.rounds.get(batchSize)?.push(answer.ok.samplesMs);
          cell.starts.get(batchSize)?.push(startedAt);
          cell.calls.get(batchSize)?.push(answer.ok.callsPerSample);
          cell.ids.get(batchSize)?.push(id);
        }
      }
    }

    // Compute Pressure covers the sampling only, not the fidelity passes that follow (a sustained run has one stage).
    if (plan.sustained && pressure && !sustained) sustained = { durationS: plan.sustained.durationS, rounds: roundsRun, pressure: pressure.stop() };

    // 3. Close the stage's cells: fidelity pass, dispose, and the cell's result; the bridge stays open for the next stages.
    stage = 'close';
    for (const cell of last && !staged ? live : opened.filter((c) => c !== bridge)) await close(cell);
  }
  if (bridge) await close(bridge);
  for (const cell of live) cell.channel.shutdown();

  // Counted after every cell has closed, so its fetch never warms the cache a cell's cold fetch is timed on.
  const flops = await modelFlops(folder, manifest);
  // Cells the rounds never reached because the run was cancelled.
  const cells = results.map((r, i) => withFlops(r ?? abortedCell(plan, i), flops));
  return {
    kind: 'inference-lab-results',
    schemaVersion: k_results_schema_version,
    createdAt: new Date().toISOString(),
    status: options.signal?.aborted ? 'cancelled' : 'complete',
    plan,
    rules,
    model: { ...resultsModel(manifest), flops },
    device: options.device,
    cells,
    timing: timingDisclosure(cells, plan.sustained || staged ? roundsRun : rules.rounds, staged ? { stages: stagesSampled, roundsPerStage: rules.rounds, bridge: bridge && cells[bridge.index]?.state === 'completed' ? bridge.channel.job.cellId : null } : undefined),
    ...(sustained ? { sustained } : {}),
    comparisons: compareCells(cells, plan.batchSizes),
    wallMs: performance.now() - started,
  };
}

/** What a results document says of its model: the identity a comparison matches files by (its FP32 ONNX SHA-256). */
export function resultsModel(manifest: ModelManifest): ResultsDocument['model'] {
  return {
    id: manifest.id,
    name: manifest.name,
    ...(manifest.artifacts.fp32.onnx ? { onnxSha256: manifest.artifacts.fp32.onnx.sha256 } : {}),
    goldenComputedBy: manifest.golden.computedBy,
    tolerance: manifest.golden.tolerance,
    reference: manifest.userModel?.reference ?? { kind: 'native', computedBy: manifest.golden.computedBy, note: 'Golden outputs computed natively when the model was built and shipped with it.' },
    ...(manifest.userModel ? { userModel: { sha256: manifest.userModel.sha256, fileName: manifest.userModel.fileName, format: manifest.userModel.format, data: manifest.userModel.data } } : {}),
  };
}

/** The job that opens plan cell `index` on its worker; diagnostic runs override what they need. */
export function cellJob(
  plan: Plan,
  index: number,
  options: Pick<RunPlanOptions, 'runId' | 'appBaseUrl' | 'device' | 'localModel'>,
  over: { rules: CellJob['rules']; threads: number } & Partial<CellJob>,
): CellJob {
  const cell = plan.cells[index];
  if (!cell) throw new RangeError(`No cell ${index} in the plan`);
  const { threads, ...rest } = over;
  const localModel = options.localModel?.(plan.modelId);
  return {
    runId: options.runId,
    cellId: cellId(cell, index),
    cell,
    modelId: plan.modelId,
    batchSizes: plan.batchSizes,
    threads: cell.threads ?? threads,
    tolerance: plan.tolerance,
    timerStepMs: options.device.timer.stepMs,
    fidelity: plan.fidelity,
    appBaseUrl: options.appBaseUrl,
    ...(localModel ? { localModel } : {}),
    ...rest,
  };
}

/** A completed cell carries the model's FLOPs per row, so its GFLOP/s figure needs nothing beside the cell. */
function withFlops(cell: CellResult, flops: FlopCount): CellResult {
  return cell.state === 'completed' && flops.state === 'counted' ? { ...cell, flopsPerRow: flops.flopsPerRow } : cell;
}

function abortedCell(plan: Plan, index: number): CellResult {
  const cell = plan.cells[index];
  if (!cell) throw new RangeError(`No cell ${index} in the plan`);
  return { ...cellIdentity(cell, cellId(cell, index)), phases: {}, wallMs: 0, state: 'aborted', reason: 'Cancelled before it finished' };
}

/** A cell lost after it had opened keeps its cold phases and its agreement record. */
function lostAfterOpen(cell: OpenCell, lost: Lost): CellResult {
  const base = lostResult(cell.channel.job, lost, cell.channel.busyMs());
  const { phases, runtime, precisionInfo } = cell.opened;
  return { ...base, phases, runtime, precisionInfo };
}

function completedResult(cell: OpenCell, plan: Plan, fidelity: FidelityOutcome | undefined, memory: CellMemory | undefined, staged: boolean): CellResult {
  const { job } = cell.channel;
  const { phases, runtime, precisionInfo, tolerance, agreement, warm } = cell.opened;
  const batches: BatchMeasurement[] = plan.batchSizes.map((batchSize) => {
    const w = warm.find((x) => x.batchSize === batchSize);
    const calls = cell.calls.get(batchSize) ?? [];
    const summary = summariseBatch(batchSize, cell.rounds.get(batchSize) ?? [], w?.warmupMs ?? [], Math.max(1, ...calls), cell.starts.get(batchSize) ?? [], plan.sustained !== undefined);
    return { ...summary, callsPerSampleByRound: calls, ...(w ? { calibratedMsPerCall: w.perCallMs } : {}), ...(staged ? { roundIds: cell.ids.get(batchSize) ?? [] } : {}) };
  });
  return {
    ...cellIdentity(job.cell, job.cellId),
    runtime,
    precisionInfo,
    phases,
    wallMs: cell.channel.busyMs(),
    state: 'completed',
    tolerance,
    agreement,
    batches,
    ...(memory ? { memory } : {}),
    ...(fidelity ? { fidelity } : {}),
  };
}

/**
 * Per batch size, completed cells ranked by their per-round medians (through
 * the bridge across stages); indistinguishable ones share a rank. A staged run
 * whose bridge did not complete (cancelled, lost) ranks only the cells that
 * shared rounds with its first: nothing pairs the others with them.
 */
export function compareCells(cells: readonly CellResult[], batchSizes: readonly number[]): BatchComparison[] {
  return batchSizes.map((batchSize) => {
    const bridge = roundBridge(cells, batchSize);
    const entries = cells.flatMap((c) => {
      if (c.state !== 'completed') return [];
      const b = c.batches.find((x) => x.batchSize === batchSize);
      return b ? [{ key: c.cellId, ...roundSeries(b) }] : [];
    });
    const first = entries[0];
    const comparable = bridge || !first ? entries : entries.filter((e) => sharesRounds(e, first));
    return { batchSize, ranking: rankByRatios(comparable, bridge ? roundSeries(bridge) : undefined) };
  });
}

export function timingDisclosure(cells: readonly CellResult[], rounds: number, staged?: TimingDisclosure['staged']): TimingDisclosure {
  const summaries: RoundSummary[] = cells.flatMap((c) => (c.state === 'completed' ? c.batches.map((b) => b.acrossRounds) : []));
  // Every measurement counts, an unbounded spread (a round median of 0) too: dropping those would call a run stable that is
  // not. Hence a median taken here rather than statistics.ts's quantile, whose samples must be finite.
  const spreads = summaries.map((s) => s.spread).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const middle = spreads.length === 0 ? null : spreads.length % 2 === 1 ? spreads[(spreads.length - 1) / 2]! : (spreads[spreads.length / 2 - 1]! + spreads[spreads.length / 2]!) / 2;
  // Judged on the figure as printed (two decimals), so "Stable: 1.50×" and "Unstable: 1.50×, above 1.5×" cannot both appear.
  const spread = middle !== null && Number.isFinite(middle) ? Number(middle.toFixed(2)) : null;
  const unstable = summaries.filter((s) => s.unstable).length;
  const verdict = middle !== null && (spread === null || spread > k_unstable_round_spread) ? 'unstable' : 'stable';
  const shown = spread === null ? (middle === null ? 'n/a' : 'unbounded (a round median of 0)') : `${spread.toFixed(2)}×`;
  return {
    protocol: 'interleaved-rounds',
    rounds,
    span: k_timing_span,
    verdict,
    spread,
    note:
      verdict === 'unstable'
        ? `Unstable — repeat: the median spread of round medians is ${shown}, above ${k_unstable_round_spread}× (${unstable} of ${summaries.length} measurements spread wider). Ratios between cells still cancel drift that hit every cell alike.`
        : `Stable: median spread of round medians ${shown} over ${staged ? `${rounds} interleaved rounds in all, ${staged.roundsPerStage} per cell (the bridge: every one)` : `${rounds} interleaved rounds`} (at most ${k_unstable_round_spread}×; ${unstable} of ${summaries.length} measurements spread wider).`,
    ...(staged ? { staged } : {}),
  };
}

interface PressureRecordLike {
  state: string;
  time: number;
}
interface PressureObserverLike {
  observe(source: 'cpu', options?: { sampleInterval?: number }): Promise<void>;
  disconnect(): void;
}
type PressureObserverCtor = new (callback: (records: PressureRecordLike[]) => void) => PressureObserverLike;

/** Compute Pressure readings during a sustained run, where the browser offers the API (Chromium on some platforms). */
function watchPressure(start: number): { stop: () => SustainedReport['pressure'] } {
  const Ctor = (globalThis as { PressureObserver?: PressureObserverCtor }).PressureObserver;
  if (!Ctor) return { stop: () => ({ supported: false, reason: 'This browser has no Compute Pressure API (PressureObserver).' }) };
  const readings: { tMs: number; state: string }[] = [];
  let failure: string | undefined;
  const observer = new Ctor((records) => {
    for (const r of records) readings.push({ tMs: r.time - start, state: r.state });
  });
  observer.observe('cpu', { sampleInterval: 1000 }).catch((error: unknown) => {
    failure = `PressureObserver refused to observe the CPU: ${errorMessage(error)}`;
  });
  return {
    stop: () => {
      observer.disconnect();
      return failure ? { supported: false, reason: failure } : { supported: true, readings };
    },
  };
}
