import type { BenchRules, StopReason } from '../bench/protocol';
import type { Statistics } from '../bench/statistics';
import type { DeviceReport } from '../device/device-report';
import type { FidelityReport } from '../fidelity/types';
import type { EngineDescriptor, EngineId, EngineRuntimeInfo } from '../engines/engine';
import type { PrecisionInfo } from '../engines/precision';
import type { Plan, Precision } from '../runner/plan';

export const k_results_schema_version = 1;

/** Wall-clock phases of one cell, in ms. Absent when the cell never got there. */
export interface CellPhases {
  /** Importing the runtime and starting its backend (wasm download + compile, GPU device). */
  runtimeInitMs?: number;
  /** Fetching the model bytes from this origin. */
  modelFetchMs?: number;
  /** Turning bytes into a runnable session (graph optimisation, weight upload). */
  sessionCreateMs?: number;
  /** The first inference (cold: shader compilation, lazy allocation), outputs read back. */
  firstRunMs?: number;
}

/** How a cell's outputs compared with the golden outputs shipped in the manifest. */
export interface Agreement {
  rows: number;
  tolerance: number;
  maxAbsDiff: number;
  meanAbsDiff: number;
  /** Rows whose arg-max differs from the golden one. */
  top1Mismatches: number;
  batchSize: number;
}

export interface BatchMeasurement {
  batchSize: number;
  warmupMs: number[];
  /** Raw warm samples in run order, ms per batch. */
  samplesMs: number[];
  stoppedBy: StopReason;
  stats: Statistics;
  /** Rows per second at the median. */
  throughputPerSec: number;
}

interface CellBase {
  cellId: string;
  engine: EngineId;
  precision: Precision;
  descriptor: EngineDescriptor;
  runtime?: EngineRuntimeInfo;
  /** Storage and compute precision of this cell, and how the lab knows. */
  precisionInfo?: PrecisionInfo;
  phases: CellPhases;
  /** Wall time of the whole cell as the supervisor saw it. */
  wallMs: number;
}

/** The fidelity pass either produced a report or says why not (a failed pass never costs the cell its timings). */
export type FidelityOutcome =
  | { state: 'measured'; report: FidelityReport; importance?: ImportanceSummary; occlusionExamples?: OcclusionExample[]; wallMs: number }
  | { state: 'skipped' | 'failed'; reason: string };

/** One explained image: the reference's occlusion map beside this cell's, for showing side by side. */
export interface OcclusionExample {
  row: number;
  label: string;
  height: number;
  width: number;
  reference: number[];
  cell: number[];
}

/** Mean |attribution| per feature group over the explained rows: the cell's and the reference's. */
export interface ImportanceSummary {
  groupNames: string[];
  cell: number[];
  reference: number[];
  explainedRows: number;
}

export type CellErrorKind = 'wrong-results' | 'load-failed' | 'run-failed' | 'worker-crashed' | 'worker-hung' | 'bad-model';

export type CellResult =
  | (CellBase & {
      state: 'completed';
      agreement: Agreement[];
      batches: BatchMeasurement[];
      /** Drift against the FP32 reference on the evaluation split; absent when not asked or not available. */
      fidelity?: FidelityOutcome;
    })
  | (CellBase & { state: 'unavailable'; reason: string })
  | (CellBase & { state: 'errored'; error: { kind: CellErrorKind; message: string }; agreement?: Agreement[] })
  | (CellBase & { state: 'aborted'; reason: string });

export type CellState = CellResult['state'];

export interface ResultsDocument {
  kind: 'inference-lab-results';
  schemaVersion: typeof k_results_schema_version;
  createdAt: string;
  /** 'complete' when every cell ran to its end (whatever its state), 'cancelled' otherwise. */
  status: 'complete' | 'cancelled';
  plan: Plan;
  rules: BenchRules;
  model: { id: string; name: string; onnxSha256?: string; goldenComputedBy: string; tolerance: number };
  device: DeviceReport;
  cells: CellResult[];
  wallMs: number;
}
