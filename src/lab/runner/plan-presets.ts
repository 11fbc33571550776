/**
 * Named plans beside the quick default: every one is built here, in the core,
 * so the page, the CLI and a share link make the same plan from the same name.
 */
import { ENGINE_LIST, isEngineId } from '../engines/engine-descriptors';
import { courseMatrix } from './course-matrix';
import type { ModelFormat } from '../models/model-formats';
import type { Plan } from './plan';
import { defaultPlan, k_plan_schema_version, k_quick_explain_rows, parsePlan, userCellFormat } from './plan';

export const PLAN_PRESETS = Object.freeze(['quick', 'lecture', 'capstone', 'thread-sweep', 'batch-sweep', 'sustained'] as const);
export type PlanPreset = (typeof PLAN_PRESETS)[number];

export const PRESET_LABELS: Readonly<Record<PlanPreset, string>> = Object.freeze({
  quick: 'Quick: every engine, FP32 and INT8, batch 1 and 16 (about a minute)',
  lecture: 'Lecture demo: CPU against GPU and FP32 against INT8, with who INT8 changes answers for (under a minute)',
  capstone: "Capstone: the course's CPU FP32, GPU FP32, GPU FP16 and Edge INT8 on this device's engines",
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

/** A model the user brought: its SHA-256 record and the format its cells read (the quick preset for such a model is userModelPlan's). */
export interface PresetUserModel {
  userModel: NonNullable<Plan['userModel']>;
  format: ModelFormat;
}

export interface PresetContext {
  /** The device report, where the preset maps roles onto this device's engines (the capstone). */
  device?: Parameters<typeof courseMatrix>[0];
  user?: PresetUserModel;
}

type PlanJson = Record<string, unknown> & { cells: Record<string, unknown>[] };

/**
 * The lecture demo: four cells that give a speed finding (wasm against the
 * GPU engine, FP32 against INT8 integer kernels) and a fairness finding (the
 * slices whose predictions INT8 changes most, with intervals). Attributions
 * on the two wasm cells only (the fidelity pass's cells): the default drift
 * budget asks for their rank correlation, and without them every lecture
 * would open on "nothing qualifies".
 */
function lecturePlan(base: Record<string, unknown>): PlanJson {
  return {
    ...base,
    name: 'lecture',
    cells: [
      { engine: 'ort-wasm', precision: 'fp32', fidelity: true },
      { engine: 'ort-wasm', precision: 'int8', fidelity: true },
      { engine: 'tfjs-wasm', precision: 'fp32' },
      { engine: 'tfjs-webgl', precision: 'fp32' },
    ],
    batchSizes: [1, 16],
    fidelity: { attributions: true, explainRows: k_quick_explain_rows },
  };
}

/** The capstone: the course's four configurations as this device can run them (course-matrix.ts says which engine plays which role, and why). */
function capstonePlan(base: Record<string, unknown>, device: PresetContext['device']): PlanJson {
  const roles = device ? courseMatrix(device).flatMap((m) => (m.state === 'mapped' ? [{ engine: m.engine, precision: m.precision, fidelity: true }] : [])) : [];
  // Before the device is probed, the roles as a WebGPU device without shader-f16 would map them.
  const cells = roles.length > 0 ? roles : [
    { engine: 'ort-wasm', precision: 'fp32', fidelity: true },
    { engine: 'ort-webgpu', precision: 'fp32', fidelity: true },
    { engine: 'tfjs-webgl', precision: 'fp16c', fidelity: true },
    { engine: 'ort-wasm', precision: 'int8', fidelity: true },
  ];
  return { ...base, name: 'capstone', cells, batchSizes: [1, 16], fidelity: { attributions: true, explainRows: k_quick_explain_rows } };
}

export function presetPlan(preset: PlanPreset, modelId: string, cores: number, context: PresetContext = {}): Plan {
  if (preset === 'quick') return defaultPlan(modelId);
  const { user, device } = context;
  const base = { schemaVersion: k_plan_schema_version, modelId, rules: 'quick' as const, ...(user ? { userModel: user.userModel } : {}) };
  // A user's model: every cell reads the format the model came in where its engine can (userCellFormat).
  const parsePlanFor = (json: PlanJson) => parsePlan(user ? { ...json, cells: json.cells.map((c) => ({ ...c, ...(typeof c.engine === 'string' && isEngineId(c.engine) ? userCellFormat(c.engine, user.format) : { format: user.format }) })) } : json);
  switch (preset) {
    case 'lecture':
      return parsePlanFor(lecturePlan(base));
    case 'capstone':
      return parsePlanFor(capstonePlan(base, device));
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
