import type { DeviceReport } from '../device/device-report';
import { ENGINES } from '../engines/engine-descriptors';
import { fetchManifest } from '../models/model-fetch';
import type { CellResult, ResultsDocument } from '../results/results';
import { k_results_schema_version } from '../results/results';
import type { Plan } from './plan';
import { cellId, resolveRules } from './plan';
import type { WorkerFactory } from './supervisor';
import { superviseCell } from './supervisor';
import type { CellProgress } from './worker-protocol';

export interface RunProgress {
  runId: number;
  cellIndex: number;
  cellCount: number;
  cell?: CellProgress;
  /** A cell just finished. */
  result?: CellResult;
}

export interface RunPlanOptions {
  runId: number;
  appBaseUrl: string;
  device: DeviceReport;
  createWorker: WorkerFactory;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/**
 * Runs a plan's cells one after another, each in its own supervised worker,
 * so no two sessions ever compete for the CPU or GPU. One failed cell never
 * loses the others; after a cancel, the rest are marked aborted.
 */
export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<ResultsDocument> {
  const started = performance.now();
  const manifest = await fetchManifest(options.appBaseUrl, plan.modelId);
  const rules = resolveRules(plan);
  const threads = plan.threads > 0 ? plan.threads : options.device.hardwareConcurrency;
  const cells: CellResult[] = [];

  for (const [index, cell] of plan.cells.entries()) {
    const id = cellId(cell, index);
    const report = (p: Omit<RunProgress, 'runId' | 'cellIndex' | 'cellCount'>) =>
      options.onProgress?.({ runId: options.runId, cellIndex: index, cellCount: plan.cells.length, ...p });
    let result: CellResult;
    if (options.signal?.aborted) {
      result = {
        cellId: id,
        engine: cell.engine,
        precision: cell.precision,
        descriptor: ENGINES[cell.engine],
        phases: {},
        wallMs: 0,
        state: 'aborted',
        reason: 'Cancelled before it started',
      };
    } else {
      result = await superviseCell(
        {
          runId: options.runId,
          cellId: id,
          cell,
          modelId: plan.modelId,
          batchSizes: plan.batchSizes,
          rules,
          threads,
          tolerance: plan.tolerance,
          fidelity: plan.fidelity,
          appBaseUrl: options.appBaseUrl,
        },
        options.createWorker,
        {
          timeoutMs: plan.cellTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (progress) => report({ cell: progress }),
        },
      );
    }
    cells.push(result);
    report({ result });
  }

  return {
    kind: 'inference-lab-results',
    schemaVersion: k_results_schema_version,
    createdAt: new Date().toISOString(),
    status: options.signal?.aborted ? 'cancelled' : 'complete',
    plan,
    rules,
    model: {
      id: manifest.id,
      name: manifest.name,
      ...(manifest.artifacts.fp32.onnx ? { onnxSha256: manifest.artifacts.fp32.onnx.sha256 } : {}),
      goldenComputedBy: manifest.golden.computedBy,
      tolerance: plan.tolerance ?? manifest.golden.tolerance,
    },
    device: options.device,
    cells,
    wallMs: performance.now() - started,
  };
}
