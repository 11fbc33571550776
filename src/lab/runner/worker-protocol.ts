import type { OverheadMeasurement } from '../bench/harness-overhead';
import type { BenchRules, BlockRequest, BlockResult } from '../bench/protocol';
import type { EngineRuntimeInfo } from '../engines/engine';
import type { PrecisionInfo } from '../engines/precision';
import type { KernelProfileOutcome } from '../profiles/kernel-profile';
import type { Agreement, CellMemory, CellPhases, CellResult, FidelityOutcome, ToleranceRecord } from '../results/results';
import type { LocalModelFiles } from '../models/model-fetch';
import type { FidelityOptions, PlanCell } from './plan';

/** Everything a worker needs to open one cell; plain data (structured-clonable). */
export interface CellJob {
  runId: number;
  cellId: string;
  cell: PlanCell;
  modelId: string;
  batchSizes: number[];
  rules: BenchRules;
  threads: number;
  /** The plan's tolerance, when it set one; the cell records how it compares with the manifest's. */
  tolerance: number | undefined;
  /** Step of this page's clock, ms: calls shorter than rules.minTimerSteps steps are timed in groups. */
  timerStepMs: number;
  fidelity: FidelityOptions;
  appBaseUrl: string;
  /** A model this page holds (one the user brought): its files go to the worker with the job; absent: the lab serves it. */
  localModel?: LocalModelFiles;
  /** A profiling job (never timed): the engine arms its profiler at start, and the cell takes one 'profile' request. */
  profile?: { batchSize: number; runs: number };
  /** Leak check: create, run and dispose the session this many more times after closing it (absent: no check). */
  leakCycles?: number;
}

export type CellPhase = 'probe' | 'init' | 'fetch' | 'session' | 'check' | 'warmup' | 'sample' | 'fidelity' | 'dispose' | 'leak-check';

export interface CellProgress {
  cellId: string;
  phase: CellPhase;
  batchSize?: number;
  done?: number;
  target?: number;
  /** Interleaved round being sampled (0-based), during 'sample'. */
  round?: number;
}

/** A cell whose session is open, checked and warm, waiting for its blocks. */
export interface OpenedCell {
  phases: CellPhases;
  runtime: EngineRuntimeInfo;
  precisionInfo: PrecisionInfo;
  tolerance: ToleranceRecord;
  agreement: Agreement[];
  /** Per batch size: warm-up durations and how many calls one sample times. */
  warm: { batchSize: number; warmupMs: number[]; /** Warm ms per call, calibrated on back-to-back calls. */ perCallMs: number; callsPerSample: number }[];
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'open'; job: CellJob }
  | { type: 'block'; runId: number; batchSize: number; round: number; request: BlockRequest }
  | { type: 'profile'; runId: number }
  | { type: 'overhead'; runId: number; pairs: number }
  | { type: 'close'; runId: number };

/** Worker → main thread. Every message carries the run id so stale ones can be dropped. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; runId: number; progress: CellProgress }
  | { type: 'opened'; runId: number; opened: OpenedCell }
  | { type: 'block-done'; runId: number; block: BlockResult }
  | { type: 'closed'; runId: number; fidelity?: FidelityOutcome; /** Peak and after-dispose memory (and the leak check), measured in the worker. */ memory?: CellMemory }
  | { type: 'profiled'; runId: number; profile: KernelProfileOutcome }
  | { type: 'overhead-done'; runId: number; overhead: OverheadMeasurement }
  /** The cell ended early (unavailable, errored): the worker has released everything. */
  | { type: 'cell-result'; runId: number; result: CellResult };
