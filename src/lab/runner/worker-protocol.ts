import type { BenchRules } from '../bench/protocol';
import type { CellResult } from '../results/results';
import type { FidelityOptions, PlanCell } from './plan';

/** Everything a worker needs to run one cell; plain data (structured-clonable). */
export interface CellJob {
  runId: number;
  cellId: string;
  cell: PlanCell;
  modelId: string;
  batchSizes: number[];
  rules: BenchRules;
  threads: number;
  /** Overrides the manifest's tolerance when set. */
  tolerance: number | undefined;
  fidelity: FidelityOptions;
  appBaseUrl: string;
}

export type CellPhase = 'probe' | 'init' | 'fetch' | 'session' | 'check' | 'warmup' | 'sample' | 'fidelity' | 'dispose';

export interface CellProgress {
  cellId: string;
  phase: CellPhase;
  batchSize?: number;
  done?: number;
  target?: number;
}

/** Main thread → worker. */
export type ToWorker = { type: 'run-cell'; job: CellJob };

/** Worker → main thread. Every message carries the run id so stale ones can be dropped. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; runId: number; progress: CellProgress }
  | { type: 'cell-result'; runId: number; result: CellResult };
