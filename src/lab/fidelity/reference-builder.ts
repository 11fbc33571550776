/**
 * Builds an FP32 fidelity reference (fidelity.json's attribution setup and
 * values) from a model's predictions, whoever runs the model: native
 * onnxruntime for the zoo (tools/reference/fidelity-reference.ts), the page's
 * reference engine or the CLI's native one for a model a user brings. Every
 * engine later repeats the same seeded setup with the same code, so
 * attribution drift compares like with like.
 */
import type { EvaluationSet } from './evaluation-set';
import { occlusionInputs, planOcclusion, solveOcclusion } from './occlusion';
import type { KernelShapReference, OcclusionReference } from './reference-data';
import { planKernelShap, solveKernelShap } from './shapley';
import { chooseAttributionRows, gatherRows } from './tabular-evaluation';

/** Runs the model on whole rows (rows × input width), returning rows × output width. */
export type Predict = (rows: Float32Array) => Promise<Float32Array>;

export interface KernelShapSetup {
  explainRows: number;
  backgroundRows: number;
  coalitions: number;
  seed: number;
  target: number;
  groupNames: string[];
  groups: number[][];
}

export async function kernelShapReference(evaluation: EvaluationSet, width: number, setup: KernelShapSetup, predict: Predict): Promise<KernelShapReference> {
  const all = evaluation.inputs(0, evaluation.rows);
  const { explained, background } = chooseAttributionRows(evaluation.rows, setup.explainRows, setup.backgroundRows, setup.seed);
  const backgroundRows = gatherRows(all, evaluation.inputWidth, background);
  const values: number[][] = [];
  let exact = true;
  for (const row of explained) {
    const x = all.subarray(row * evaluation.inputWidth, (row + 1) * evaluation.inputWidth);
    const plan = planKernelShap(x, backgroundRows, { seed: setup.seed, coalitions: setup.coalitions, groups: setup.groups });
    values.push(solveKernelShap(plan, await predict(plan.inputs), width, setup.target).values);
    exact &&= plan.exact;
  }
  return { method: 'kernel-shap', target: setup.target, seed: setup.seed, coalitions: setup.coalitions, groupNames: setup.groupNames, groups: setup.groups, explained, background, values, exact };
}

export interface OcclusionSetup {
  patch: number;
  stride: number;
  fill: number;
  /** Images explained per class (the first of each class, in evaluation order). */
  perClass: number;
}

/** Occlusion maps for the first images of each class, each for the reference's top-1 class of that image. */
export async function occlusionReference(evaluation: EvaluationSet, outputs: Float32Array, width: number, setup: OcclusionSetup, predict: Predict): Promise<OcclusionReference> {
  const shape = evaluation.image;
  if (!shape) throw new Error('Occlusion needs image evaluation data');
  const explained: number[] = [];
  const perClass = new Map<number, number>();
  evaluation.labels.forEach((label, row) => {
    const seen = perClass.get(label) ?? 0;
    if (seen < setup.perClass) {
      explained.push(row);
      perClass.set(label, seen + 1);
    }
  });
  const targets: number[] = [];
  const values: number[][] = [];
  for (const row of explained) {
    const probs = outputs.subarray(row * width, (row + 1) * width);
    const target = probs.indexOf(Math.max(...probs));
    const plan = planOcclusion(evaluation.inputs(row, 1), shape, { patch: setup.patch, stride: setup.stride, fill: setup.fill });
    values.push(solveOcclusion(plan, await predict(occlusionInputs(plan)), width, target).values);
    targets.push(target);
  }
  return { method: 'occlusion', patch: setup.patch, stride: setup.stride, fill: setup.fill, explained, targets, values };
}
