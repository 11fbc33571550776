import type { BenchRules } from '../bench/protocol';
import type { RankedEntry, RoundSummary } from '../bench/ratios';
import type { Statistics } from '../bench/statistics';
import type { Trend } from '../bench/trend';
import type { CeilingReport } from '../device/ceilings/ceilings';
import type { DeviceReport } from '../device/device-report';
import type { FlopCount } from '../models/onnx-flops';
import type { FidelityReport } from '../fidelity/types';
import type { EngineDescriptor, EngineRuntimeInfo, ModelFormat } from '../engines/engine';
import type { EngineId } from '../engines/engine-descriptors';
import type { Precision, PrecisionInfo } from '../engines/precision';
import type { UnsupportedDetail } from '../engines/unsupported';
import type { Plan } from '../runner/plan';
import type { KernelProfileOutcome } from '../profiles/kernel-profile';
import type { RunOrigin } from './run-origin';
import type { Recommendation } from './recommendation';

/**
 * 2: samples kept per interleaved round, tolerance records, comparisons and timing disclosure.
 * 3: `origin`, the browser/device dimension (which engine and build ran, driven how, which shard),
 *    so runs from many browsers, devices and shards merge into one comparison. Older files are
 *    migrated on reading (results-migrate.ts).
 */
export const k_results_schema_version = 3;

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

/**
 * Which tolerance gated a cell. A plan may tighten the manifest's tolerance
 * freely; a looser one is `plan-looser`, and every place that shows the cell
 * says "custom tolerance X (manifest Y)".
 */
export interface ToleranceRecord {
  applied: number;
  manifest: number;
  source: 'manifest' | 'plan-tighter' | 'plan-looser';
  /** Why the manifest's tolerance is what it is. */
  note?: string;
}

export interface BatchMeasurement {
  batchSize: number;
  warmupMs: number[];
  /** Back-to-back calls per sample (the most any round used): > 1 when one call is too short for the clock; samples are then ms per call. */
  callsPerSample: number;
  /** Calls per sample in each round's block. */
  callsPerSampleByRound?: number[];
  /** Warm ms per call measured on back-to-back calls before sampling: what decided callsPerSample. */
  calibratedMsPerCall?: number;
  /** Raw warm samples per interleaved round, in run order, ms per call of one batch. */
  rounds: number[][];
  /** Every sample of every round, in run order (the rounds flattened). */
  samplesMs: number[];
  /** Over all samples. */
  stats: Statistics;
  /** The median of each round and their spread: the basis of ratios between cells. */
  acrossRounds: RoundSummary & { roundMedians: number[] };
  /** When each round's block started, ms after the rounds began. */
  roundStartMs: number[];
  /** Staged runs only: the run's number of each round (the cell's stage's rounds; the bridge's are all of them). Absent: rounds 0, 1, 2, … shared by every cell. */
  roundIds?: number[];
  /** Sustained runs only: the fitted latency trend over time (null with too few rounds). */
  trend?: Trend | null;
  /** Rows per second at the median. */
  throughputPerSec: number;
}

export interface CellBase {
  cellId: string;
  engine: EngineId;
  precision: Precision;
  /** The model format the cell loaded (a TF.js engine reads its TF.js twin, or the ONNX file through the lab's importer). Absent in files from before it was recorded: the engine's first format. */
  format?: ModelFormat;
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

/**
 * Memory of one cell, measured the same way for every engine: the source says
 * what was read (the browser's own measurement, the wasm heap, TF.js's
 * tensor bytes, tracked WebGPU buffers), and null figures say why not.
 */
export interface CellMemory {
  /** Most bytes held while the cell ran (sampled after warm-up and after sampling). */
  peakBytes: number | null;
  /** Bytes still held after the session was disposed. */
  afterDisposeBytes: number | null;
  /** Bytes held once the cell was open, checked and warm, before the rounds: peak minus this is what the rounds added. */
  afterWarmupBytes?: number;
  source: string;
  /** Why a figure is null. */
  reason?: string;
  /** Each source's own peak and after-dispose bytes (the figures above are their sums). */
  bySource?: { source: string; peakBytes: number; afterDisposeBytes: number | null; /** Counted inside this other source, not added to the sums. */ inside?: string }[];
  /** How to read the figures (e.g. wasm memory never shrinks), and which sources were not used and why. */
  note?: string;
  /** Create, run and dispose repeated in the cell's worker, when the plan asks (`leakCheck`). */
  leak?: LeakCheck;
}

/** Memory after each of N create → run → dispose cycles in one worker; growth from the first to the last. */
export interface LeakCheck {
  cycles: number;
  /** Total after the last cycle minus after the first; null when nothing measured this engine. */
  growthBytes: number | null;
  perCycleBytes?: number;
  afterEachCycleBytes: (number | null)[];
  source: string;
  reason?: string;
  /** Growth per source from the first cycle to the last (a count inside another source is sharper than it: TF.js wasm tensors). */
  bySource?: { source: string; growthBytes: number }[];
}

export type CellErrorKind = 'wrong-results' | 'load-failed' | 'run-failed' | 'worker-crashed' | 'worker-hung' | 'bad-model' | 'model-changed';

export type CellResult =
  | (CellBase & {
      state: 'completed';
      /** The tolerance that gated this cell, and whether a plan loosened it. */
      tolerance: ToleranceRecord;
      agreement: Agreement[];
      batches: BatchMeasurement[];
      memory?: CellMemory;
      /** FLOPs per row of the model (results.model.flops): the basis of this cell's GFLOP/s; absent when uncounted. */
      flopsPerRow?: number;
      /** Drift against the FP32 reference on the evaluation split; absent when not asked or not available. */
      fidelity?: FidelityOutcome;
    })
  | (CellBase & { state: 'unavailable'; reason: string; /** What the engine positively lacks, when it said (absent for a failed capability probe). */ unsupported?: UnsupportedDetail })
  | (CellBase & { state: 'errored'; error: { kind: CellErrorKind; message: string }; agreement?: Agreement[]; tolerance?: ToleranceRecord })
  | (CellBase & { state: 'aborted'; reason: string });

export type CellState = CellResult['state'];

/** Cells compared at one batch size by their per-round medians (see bench/ratios.ts). */
export interface BatchComparison {
  batchSize: number;
  ranking: RankedEntry<string>[];
}

export interface SustainedReport {
  durationS: number;
  rounds: number;
  /** Compute Pressure API readings ("nominal", "fair", "serious", "critical") where the browser has it. */
  pressure: { supported: true; readings: { tMs: number; state: string }[] } | { supported: false; reason: string };
}

/** How the timings were taken, for the disclosure beside every figure. */
export interface TimingDisclosure {
  protocol: 'interleaved-rounds';
  rounds: number;
  /** What one sample spans, in words. */
  span: string;
  /** 'unstable' when the median over cells of the round medians' spread exceeds k_unstable_round_spread. */
  verdict: 'stable' | 'unstable';
  /** Median over completed cells of their round-median spread (max/min). */
  spread: number | null;
  note: string;
  /** A staged run (plan `stages: "per-engine"`): how many stages, and the bridge cell sampled in every round (null when none opened). */
  staged?: { stages: number; roundsPerStage: number; bridge: string | null };
}

export interface ResultsDocument {
  kind: 'inference-lab-results';
  schemaVersion: typeof k_results_schema_version;
  createdAt: string;
  /** 'complete' when every cell ran to its end (whatever its state), 'cancelled' otherwise. */
  status: 'complete' | 'cancelled';
  plan: Plan;
  rules: BenchRules;
  model: {
    id: string;
    name: string;
    onnxSha256?: string;
    goldenComputedBy: string;
    tolerance: number;
    /** FLOPs per row counted from the FP32 ONNX graph, per operator, with the rules (absent in files written before it existed). */
    flops?: FlopCount;
    /**
     * Who computed the golden outputs every cell is checked against, and what
     * follows (the zoo: native onnxruntime-node, shipped; a user's model: the
     * page's ORT wasm FP32, or native through the CLI). Absent in older files: native.
     */
    reference?: { kind: 'native' | 'page'; computedBy: string; note: string };
    /** A model the user brought: the file's SHA-256 and name, and the rows it was checked on. The file itself is never in the results. */
    userModel?: { sha256: string; fileName: string; format: ModelFormat; data: string };
  };
  device: DeviceReport;
  /** The device's measured arithmetic ceilings (wasm SIMD per thread count, WebGPU), when they were measured in the page. */
  ceilings?: CeilingReport;
  cells: CellResult[];
  timing: TimingDisclosure;
  /** Sustained runs: how long the rounds ran and what the browser said about CPU pressure meanwhile. */
  sustained?: SustainedReport;
  comparisons: BatchComparison[];
  /** Kernel profiles of the completed cells, from profiling runs of their own (never the timing runs above). */
  profiles?: KernelProfileOutcome[];
  /** Which browser build ran this, driven how, and which shard of the plan: written by the CLI (absent for a page's own download, and in files before schema 3). */
  origin?: RunOrigin;
  /** The configuration that meets the needs it states at the lowest cost, its ties and why every other lost (see recommendation.ts); absent when no needs were given. */
  recommendation?: Recommendation;
  wallMs: number;
}
