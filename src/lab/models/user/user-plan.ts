/**
 * The quick plan for a model a user brought: the zoo's quick plan (each
 * engine's quick precisions, where the page made that variant, batch 1 and
 * 16, fidelity where there is labelled data), with
 * each cell reading the model's own format and the plan recording the file's
 * SHA-256 and intake options.
 */
import type { EngineId } from '../../engines/engine-descriptors';
import { ENGINE_IDS, ENGINES } from '../../engines/engine-descriptors';
import { k_plan_schema_version, k_quick_explain_rows, k_quick_stages, parsePlan, type Plan, userCellFormat } from '../../runner/plan';
import type { UserModelEntry } from './user-models';

export function userModelPlan(entry: UserModelEntry, engines: readonly EngineId[] = ENGINE_IDS): Plan {
  const { manifest } = entry;
  const format = manifest.userModel?.format ?? 'onnx';
  const fidelity = manifest.evaluation !== undefined;
  const fixedBatch = entry.card.measured?.changes.some((c) => c.startsWith('The batch axis is fixed'));
  return parsePlan({
    schemaVersion: k_plan_schema_version,
    name: 'quick',
    modelId: entry.modelId,
    cells: [
      ...engines.filter((engine) => ENGINES[engine].quick.includes('fp32')).map((engine) => ({ engine, precision: 'fp32', ...userCellFormat(engine, format), fidelity })),
      // The variants each engine's quick plan runs beside FP32, where this model has them.
      ...engines.flatMap((engine) => ENGINES[engine].quick.filter((p) => p !== 'fp32' && manifest.artifacts[p] !== undefined).map((precision) => ({ engine, precision, ...userCellFormat(engine, format), fidelity }))),
    ],
    batchSizes: fixedBatch ? [1] : [1, 16],
    rules: 'quick',
    stages: k_quick_stages,
    fidelity: { attributions: true, explainRows: k_quick_explain_rows },
    userModel: { sha256: entry.sha256, fileName: entry.fileName, intake: entry.options },
  });
}
