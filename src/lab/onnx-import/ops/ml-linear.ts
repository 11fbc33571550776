/**
 * ai.onnx.ml's linear models and feature steps, as scikit-learn exports use
 * them (LogisticRegression, LinearRegression, StandardScaler, SimpleImputer,
 * ZipMap at the end of a classifier). Semantics follow onnxruntime's CPU
 * kernels (linearclassifier.cc, linearregressor.cc), the runtime the golden
 * outputs come from, including its binary case: one coefficient row and two
 * class labels give probabilities [1 − s, s] of the raw score s, with no
 * transform. Coefficients become constants at import (`constants`), uploaded
 * once with the weights.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { NodeAttributes } from '../attributes';
import type { HostTensor } from '../onnx-tensors';
import { ElemType } from '../onnx-tensors';
import type { OpDef, TfModule } from '../op-types';
import { required, tensorOp } from '../op-types';
import { applyPostTransform, postTransformOf, probit } from './ml-post-transform';

const floatTable = (dims: number[], values: readonly number[]): HostTensor => ({ dtype: 'float32', onnxType: ElemType.FLOAT, dims, data: Float32Array.from(values) });
const intTable = (values: readonly number[]): HostTensor => ({ dtype: 'int32', onnxType: ElemType.INT64, dims: [values.length], data: Int32Array.from(values) });

/** The model input as [N, F] float32 (the ml operators take float, double and integer inputs alike, computing in float). */
export function asRows(tf: TfModule, x: Tf.Tensor): Tf.Tensor {
  const f = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  return f.rank === 1 ? tf.reshape(f, [1, f.shape[0] ?? 0]) : f;
}

interface LinearSpec {
  coefficients: number[];
  intercepts: number[];
  targets: number;
}

function linearSpec(attrs: NodeAttributes, targetsAttr: 'intercepts' | 'targets'): LinearSpec | string {
  const coefficients = attrs.floats('coefficients');
  if (!coefficients || coefficients.length === 0) return 'no coefficients';
  const intercepts = attrs.floats('intercepts') ?? [];
  const targets = targetsAttr === 'intercepts' ? intercepts.length : attrs.int('targets', 1);
  if (targets < 1) return 'no intercepts (onnxruntime counts the classes by them)';
  if (coefficients.length % targets !== 0) return `${coefficients.length} coefficients do not divide into ${targets} rows`;
  if (targetsAttr === 'targets' && intercepts.length !== 0 && intercepts.length !== targets) return `${intercepts.length} intercepts for ${targets} targets`;
  return { coefficients, intercepts: intercepts.length > 0 ? intercepts : new Array<number>(targets).fill(0), targets };
}

function linearTables(spec: LinearSpec): HostTensor[] {
  const features = spec.coefficients.length / spec.targets;
  return [floatTable([spec.targets, features], spec.coefficients), floatTable([spec.targets], spec.intercepts)];
}

/** X · Wᵀ + b, checking the feature count against the coefficients. */
function scoresOf(tf: TfModule, x: Tf.Tensor, w: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  const rows = asRows(tf, x);
  if (rows.shape[1] !== w.shape[1]) throw new Error(`the input has ${rows.shape[1]} features, the coefficients ${w.shape[1]}`);
  return tf.add(tf.matMul(rows, w, false, true), b);
}

function classLabels(attrs: NodeAttributes): number[] | string {
  if ((attrs.strings('classlabels_strings') ?? []).length > 0) return 'string class labels (TF.js holds no strings on its GPU backends)';
  return attrs.ints('classlabels_ints') ?? [];
}

const linearClassifier: OpDef = {
  check(attrs) {
    const spec = linearSpec(attrs, 'intercepts');
    if (typeof spec === 'string') return spec;
    const labels = classLabels(attrs);
    if (typeof labels === 'string') return labels;
    const transform = postTransformOf(attrs.string('post_transform', 'NONE'));
    if (!transform) return `post_transform ${attrs.string('post_transform', '')}`;
    if (spec.targets === 1 && labels.length === 2 && transform === 'PROBIT') return 'PROBIT on a binary classifier (onnxruntime leaves its second column unwritten)';
    if (spec.targets > 1 && labels.length !== spec.targets) return `${labels.length} class labels for ${spec.targets} score columns`;
    return null;
  },
  constants: (attrs) => {
    const spec = linearSpec(attrs, 'intercepts');
    const labels = classLabels(attrs);
    if (typeof spec === 'string' || typeof labels === 'string') return [];
    // One score column: the label is the second or first class label when there are exactly two, else 1 or 0 (as onnxruntime answers).
    const table = spec.targets > 1 || labels.length === 2 ? labels : [0, 1];
    return [...linearTables(spec), intTable(table)];
  },
  run(call, [x, w, b, labelsValue]) {
    const tf = call.tf;
    const labels = required(labelsValue, 'class labels').t;
    const s = scoresOf(tf, required(x, 'X').t, required(w, 'coefficients').t, required(b, 'intercepts').t);
    const transform = postTransformOf(call.attrs.string('post_transform', 'NONE')) ?? 'NONE';
    if (s.shape[1] === 1) {
      const score = tf.reshape(s, [-1]);
      const label = tf.gather(labels, tf.cast(tf.greater(score, 0), 'int32'));
      const twoLabels = (call.attrs.ints('classlabels_ints') ?? []).length === 2;
      // Two labels: onnxruntime writes [1 − v, v], v the score (through the logistic function under LOGISTIC; SOFTMAX leaves it as it is).
      const v = transform === 'LOGISTIC' ? tf.sigmoid(score) : score;
      const z = twoLabels ? tf.stack([tf.sub(1, v), v], 1) : transform === 'PROBIT' ? probit(tf, s) : s;
      return [{ t: label, nhwc: false }, { t: z, nhwc: false }];
    }
    const label = tf.gather(labels, tf.argMax(s, 1));
    return [{ t: label, nhwc: false }, { t: applyPostTransform(tf, s, transform), nhwc: false }];
  },
};

const linearRegressor: OpDef = {
  check(attrs) {
    const spec = linearSpec(attrs, 'targets');
    if (typeof spec === 'string') return spec;
    return postTransformOf(attrs.string('post_transform', 'NONE')) ? null : `post_transform ${attrs.string('post_transform', '')}`;
  },
  constants: (attrs) => {
    const spec = linearSpec(attrs, 'targets');
    return typeof spec === 'string' ? [] : linearTables(spec);
  },
  run(call, [x, w, b]) {
    const tf = call.tf;
    const s = scoresOf(tf, required(x, 'X').t, required(w, 'coefficients').t, required(b, 'intercepts').t);
    const transform = postTransformOf(call.attrs.string('post_transform', 'NONE')) ?? 'NONE';
    // One target: onnxruntime applies PROBIT alone (its binary path); several: any transform.
    if (s.shape[1] === 1) return [{ t: transform === 'PROBIT' ? probit(tf, s) : s, nhwc: false }];
    return [{ t: applyPostTransform(tf, s, transform), nhwc: false }];
  },
};

/** A per-feature (or single) float attribute as a [1, F] row to broadcast over the batch. */
function perFeature(attrs: NodeAttributes, name: string, fallback: number[]): number[] {
  const v = attrs.floats(name);
  return v && v.length > 0 ? v : fallback;
}

export const ML_LINEAR_OPS: Record<string, OpDef> = {
  LinearClassifier: linearClassifier,
  LinearRegressor: linearRegressor,
  Scaler: {
    constants: (attrs) => {
      const offset = perFeature(attrs, 'offset', [0]);
      const scale = perFeature(attrs, 'scale', [1]);
      return [floatTable([offset.length], offset), floatTable([scale.length], scale)];
    },
    run: (call, [x, offset, scale]) => [{ t: call.tf.mul(call.tf.sub(asRows(call.tf, required(x, 'X').t), required(offset, 'offset').t), required(scale, 'scale').t), nhwc: false }],
  },
  Imputer: {
    check: (attrs) => ((attrs.ints('imputed_value_int64s') ?? []).length > 0 ? 'integer imputation (imputed_value_int64s)' : null),
    constants: (attrs) => {
      const values = perFeature(attrs, 'imputed_value_floats', []);
      return [floatTable([values.length], values)];
    },
    run(call, [x, imputed]) {
      const tf = call.tf;
      const rows = asRows(tf, required(x, 'X').t);
      const replaced = call.attrs.float('replaced_value_float', 0);
      const hit = Number.isNaN(replaced) ? tf.isNaN(rows) : tf.equal(rows, replaced);
      return [{ t: tf.where(hit, tf.broadcastTo(required(imputed, 'imputed values').t, rows.shape), rows), nhwc: false }];
    },
  },
  Binarizer: tensorOp((call, [x]) => call.tf.cast(call.tf.greater(asRows(call.tf, required(x, 'X')), call.attrs.float('threshold', 0)), 'float32')),
  /**
   * ZipMap turns probabilities into a sequence of {label: p} maps; the lab
   * reads tensors, so the probabilities pass through as they are (the keys are
   * the class labels, in column order).
   */
  ZipMap: tensorOp((_call, [x]) => required(x, 'X')),
  ArrayFeatureExtractor: tensorOp((call, [x, indices]) => {
    const t = required(x, 'X');
    const rows = t.rank === 1 ? call.tf.reshape(t, [1, t.shape[0] ?? 0]) : t;
    return call.tf.gather(rows, call.tf.reshape(required(indices, 'indices'), [-1]), rows.rank - 1);
  }),
};
