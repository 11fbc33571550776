/**
 * Named plans beside the quick default: every one is built here, in the core,
 * so the page, the CLI and a share link make the same plan from the same name.
 */
import { ENGINE_LIST } from '../engines/engine-descriptors';
import type { Plan } from './plan';
import { defaultPlan, k_plan_schema_version, parsePlan } from './plan';

export const PLAN_PRESETS = Object.freeze(['quick', 'thread-sweep', 'batch-sweep', 'sustained'] as const);
export type PlanPreset = (typeof PLAN_PRESETS)[number];

export const PRESET_LABELS: Readonly<Record<PlanPreset, string>> = Object.freeze({
  quick: 'Quick: every engine, FP32 and INT8, batch 1 and 16 (about a minute)',
  'thread-sweep': 'Thread sweep: the wasm engines at 1 … N threads',
  'batch-sweep': 'Batch sweep: batch 1 … 256, latency and rows per second',
  sustained: 'Sustained: the wasm engines for two minutes, latency over time',
});

/** Powers of two from 1 to 256: where micro-batching starts to pay, and where it stops. */
export const k_batch_sweep = Object.freeze([1, 2, 4, 8, 16, 32, 64, 128, 256]);
export const k_sustained_seconds = 120;

/** Engines whose wasm build can run threads (the thread sweep's subjects). */
function wasmEngines() {
  return ENGINE_LIST.filter((d) => d.backend === 'wasm').map((d) => d.id);
}

/**
 * @param user for a model the user brought: its SHA-256 record and the format
 *   its cells read (the quick preset for such a model is userModelPlan's).
 */
export function presetPlan(preset: PlanPreset, modelId: string, cores: number, user?: { userModel: NonNullable<Plan['userModel']>; format: 'onnx' | 'tfjs' }): Plan {
  return preset === 'quick' ? defaultPlan(modelId) : presetCells(preset, modelId, cores, user);
}

function presetCells(preset: Exclude<PlanPreset, 'quick'>, modelId: string, cores: number, user?: { userModel: NonNullable<Plan['userModel']>; format: 'onnx' | 'tfjs' }): Plan {
  const base = { schemaVersion: k_plan_schema_version, modelId, rules: 'quick' as const, ...(user ? { userModel: user.userModel } : {}) };
  const parsePlanFor = (json: Record<string, unknown> & { cells: Record<string, unknown>[] }) => parsePlan(user ? { ...json, cells: json.cells.map((c) => ({ ...c, format: user.format })) } : json);
  switch (preset) {
    case 'thread-sweep': {
      const threads = Array.from({ length: Math.max(1, cores) }, (_, i) => i + 1);
      return parsePlanFor({
        ...base,
        name: 'thread-sweep',
        cells: wasmEngines().flatMap((engine) => threads.map((t) => ({ engine, precision: 'fp32', threads: t }))),
        batchSizes: [1, 16],
      });
    }
    case 'batch-sweep':
      return parsePlanFor({
        ...base,
        name: 'batch-sweep',
        cells: ENGINE_LIST.filter((d) => d.backend === 'wasm' || d.backend === 'cpu').map((d) => ({ engine: d.id, precision: 'fp32' })),
        batchSizes: [...k_batch_sweep],
      });
    case 'sustained':
      return parsePlanFor({
        ...base,
        name: 'sustained',
        cells: wasmEngines().map((engine) => ({ engine, precision: 'fp32' })),
        batchSizes: [16],
        sustained: { durationS: k_sustained_seconds },
      });
  }
}
