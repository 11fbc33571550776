/**
 * The quick plan for a model a user brought: the zoo's quick plan (every
 * engine at FP32, INT8 beside it on the wasm engines when the page made an
 * INT8 variant, batch 1 and 16, fidelity where there is labelled data), with
 * each cell reading the model's own format and the plan recording the file's
 * SHA-256 and intake options.
 */
import type { EngineId } from '../../engines/engine-descriptors';
import { ENGINE_IDS } from '../../engines/engine-descriptors';
import { k_plan_schema_version, k_quick_explain_rows, parsePlan, type Plan, QUICK_INT8_ENGINES } from '../../runner/plan';
import type { UserModelEntry } from './user-models';

export function userModelPlan(entry: UserModelEntry, engines: readonly EngineId[] = ENGINE_IDS): Plan {
  const { manifest } = entry;
  const format = manifest.userModel?.format ?? 'onnx';
  const fidelity = manifest.evaluation !== undefined;
  const int8 = manifest.artifacts.int8 !== undefined;
  const fixedBatch = entry.card.measured?.changes.some((c) => c.startsWith('The batch axis is fixed'));
  return parsePlan({
    schemaVersion: k_plan_schema_version,
    name: 'quick',
    modelId: entry.modelId,
    cells: [
      ...engines.map((engine) => ({ engine, precision: 'fp32', format, fidelity })),
      ...(int8 ? QUICK_INT8_ENGINES.filter((e) => engines.includes(e)).map((engine) => ({ engine, precision: 'int8', format, fidelity })) : []),
    ],
    batchSizes: fixedBatch ? [1] : [1, 16],
    rules: 'quick',
    fidelity: { attributions: true, explainRows: k_quick_explain_rows },
    userModel: { sha256: entry.sha256, fileName: entry.fileName, intake: entry.options },
  });
}
