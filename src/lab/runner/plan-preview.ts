/**
 * What a plan will run on this device, before Run: each cell, whether it can
 * run here (and if not, the reason the lab already knows — a missing backend,
 * a precision the engine refuses, a variant the model does not ship), how
 * many cells that makes, and a rough time. Nothing is dropped from the plan:
 * a cell that cannot run is still run and reported `unavailable` with the
 * engine's own words; the preview only says so in advance.
 */
import type { Backend } from '../engines/engine';
import type { DeviceReport } from '../device/device-report';
import type { EngineId } from '../engines/engine-descriptors';
import { ENGINES } from '../engines/engine-descriptors';
import { precisionSupport } from '../engines/precision';
import { isEngineUnsupported } from '../engines/unsupported';
import { cellName } from '../results/cell-name';
import type { EnginePrediction } from '../models/user/model-card';
import type { Plan } from './plan';
import { resolveRules } from './plan';
import { planStages } from './run-stages';

export type CellOutlook =
  | { state: 'runs' }
  /** Positively known: the device lacks the backend, or the engine refuses the variant. */
  | { state: 'cannot-run'; reason: string }
  /** Decided only when the engine starts (a runtime fact the probe cannot see). */
  | { state: 'may-not-run'; reason: string };

export interface PreviewCell {
  index: number;
  label: string;
  outlook: CellOutlook;
}

export interface PlanPreview {
  cells: PreviewCell[];
  /** Cells expected to run (may-not-run ones included). */
  runnable: number;
  /** A rough wall time for the whole plan on a 2-core laptop, seconds. */
  estimateSeconds: number;
}

/**
 * Typical seconds to open one cell (start the runtime, fetch, build the
 * session, check the golden outputs, warm up) and to run its fidelity pass
 * with attributions, by backend: the quick plan on the reference laptop
 * (2 cores, software GPU, 2026-12-07) took 43.6 s for its 12 runnable cells,
 * wasm and CPU cells 1.5–1.9 s each (fidelity 0.5–0.8 s), WebGL 2.1–3.6 s,
 * WebGPU 2.8–16.6 s (TF.js WebGPU's attributions alone 13.9 s; the WebGPU
 * figure is the mean of its three engines). These constants give 47 s for it.
 * Rough on purpose: the preview says "about".
 */
const k_open_seconds: Readonly<Record<Backend, number>> = Object.freeze({ cpu: 0.5, wasm: 0.5, webgl: 1, webgpu: 2.5, webnn: 0.5 });
const k_fidelity_seconds: Readonly<Record<Backend, number>> = Object.freeze({ cpu: 0.7, wasm: 0.6, webgl: 1.3, webgpu: 6, webnn: 0.6 });
const k_fidelity_no_attributions_seconds = 0.5;
/** What a run spends outside its cells (the model's manifest, the FLOP count, the results): 1–2 s here, the same for 4 cells or 14. */
const k_run_seconds = 1.5;
/** A block lasts at least the rules' minimum, and about this long when samples are short. */
const k_typical_block_ms = 60;

type DeviceFacts = Pick<DeviceReport, 'wasmSimd' | 'webgl' | 'webgpu' | 'webnn'>;

/** Why this device cannot run an engine at all (its backend is missing), or null when it can. */
export function engineAbsence(engine: EngineId, device: DeviceFacts | null): string | null {
  return device ? backendAbsence(ENGINES[engine].backend, device) : null;
}

function backendAbsence(backend: Backend, device: DeviceFacts): string | null {
  const capability = backend === 'wasm' ? device.wasmSimd : backend === 'webgl' ? device.webgl : backend === 'webgpu' ? device.webgpu : backend === 'webnn' ? device.webnn : null;
  return capability && capability.status === 'unavailable' ? capability.reason : null;
}

function outlook(cell: Plan['cells'][number], device: DeviceFacts | null, modelPrecisions: readonly string[] | null, predictions: readonly EnginePrediction[] | null): CellOutlook {
  const descriptor = ENGINES[cell.engine];
  if (modelPrecisions && !modelPrecisions.includes(cell.precision)) return { state: 'cannot-run', reason: 'this model ships no such variant' };
  // A model of the user's: its card already says which engines lack one of its operators or types.
  const predicted = predictions?.find((p) => p.engine === cell.engine);
  // Worded as the card words it: the gap may be the engine's or the lab's own converter's, and its source says which.
  if (predicted?.verdict === 'cannot') return { state: 'cannot-run', reason: `the model card says it cannot: ${predicted.missing.join(', ')} — ${predicted.source}` };
  let support;
  try {
    support = precisionSupport(descriptor, cell.precision, cell.format ?? descriptor.formats[0]);
  } catch (error) {
    if (isEngineUnsupported(error)) return { state: 'cannot-run', reason: error.message };
    throw error;
  }
  if (!device) return { state: 'runs' };
  const absent = backendAbsence(descriptor.backend, device);
  if (absent) return { state: 'cannot-run', reason: absent };
  for (const need of support.requires ?? []) {
    if (need.fact === 'shader-f16') {
      const has = device.webgpu.status === 'available' && device.webgpu.detail.features.includes('shader-f16');
      if (!has) return { state: 'cannot-run', reason: need.missing };
    } else {
      // Said as a check still to come, not as a failure already seen: the engine reports the fact once it has started.
      return { state: 'may-not-run', reason: `checked when the engine starts (if not, it says: "${need.missing}")` };
    }
  }
  return { state: 'runs' };
}

export function previewPlan(plan: Plan, device: DeviceFacts | null, modelPrecisions: readonly string[] | null = null, predictions: readonly EnginePrediction[] | null = null): PlanPreview {
  const rules = resolveRules(plan);
  const cells = plan.cells.map((cell, index) => ({ index, label: cellName({ descriptor: ENGINES[cell.engine], precision: cell.precision, ...(cell.format ? { format: cell.format } : {}) }), outlook: outlook(cell, device, modelPrecisions, predictions) }));
  const running = plan.cells.filter((_, i) => cells[i]?.outlook.state !== 'cannot-run');
  const blockSeconds = (Math.max(rules.blockMinMs, k_typical_block_ms) / 1000) * plan.batchSizes.length;
  const rounds = plan.sustained ? plan.sustained.durationS / Math.max(1e-9, blockSeconds * Math.max(1, running.length)) : rules.rounds;
  const estimate = running.reduce((sum, cell) => {
    const backend = ENGINES[cell.engine].backend;
    const fidelity = cell.fidelity ? (plan.fidelity.attributions ? k_fidelity_seconds[backend] : k_fidelity_no_attributions_seconds) : 0;
    return sum + k_open_seconds[backend] + fidelity + rounds * blockSeconds;
  }, k_run_seconds);
  // A staged run samples its bridge again in every later stage.
  const bridgeSeconds = (planStages({ ...plan, cells: running }).length - 1) * rules.rounds * blockSeconds;
  return { cells, runnable: running.length, estimateSeconds: plan.sustained ? Math.max(estimate, plan.sustained.durationS) : estimate + bridgeSeconds };
}

/** "about 8 s", "about 40 s", "about 2 min". */
export function formatEstimate(seconds: number): string {
  if (seconds < 20) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s`;
  return `about ${Math.round(seconds / 60)} min`;
}
