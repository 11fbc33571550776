/**
 * ai.onnx.ml TreeEnsembleClassifier and TreeEnsembleRegressor (scikit-learn's
 * gradient boosting, random forests, decision trees), evaluated through the
 * dense tables of ml-tree-tables.ts. How scores become outputs — base values,
 * the binary case, which classes a row scored, post transforms — follows
 * onnxruntime's CPU kernels (tree_ensemble_aggregator.h), the runtime the
 * golden outputs come from; the few uses where it leaves outputs unwritten
 * (PROBIT on one binary score) are refused at import, naming the attribute.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { NodeAttributes } from '../attributes';
import type { HostTensor } from '../onnx-tensors';
import { ElemType } from '../onnx-tensors';
import type { OpDef, TfModule, Value } from '../op-types';
import { required } from '../op-types';
import { asRows } from './ml-linear';
import { applyPostTransform, postTransformOf, type PostTransform } from './ml-post-transform';
import { BRANCH_MODES, type BranchMode, compileTrees, type TreeTables } from './ml-tree-tables';

interface Ensemble {
  tables: TreeTables;
  transform: PostTransform;
  base: number[];
  /** Classifier: the class labels (integers). */
  labels: number[];
  /** Regressor: SUM or AVERAGE. */
  average: boolean;
}

/** Compiled once per node (the attributes object lives as long as the imported graph). */
const compiled = new WeakMap<NodeAttributes, Ensemble | string>();

function baseValues(attrs: NodeAttributes): number[] {
  return attrs.floats('base_values') ?? attrs.numbers('base_values_as_tensor') ?? [];
}

function compileEnsemble(attrs: NodeAttributes, kind: 'classifier' | 'regressor'): Ensemble | string {
  const known = compiled.get(attrs);
  if (known !== undefined) return known;
  const make = (): Ensemble | string => {
    const transform = postTransformOf(attrs.string('post_transform', 'NONE'));
    if (!transform) return `post_transform ${attrs.string('post_transform', '')}`;
    const base = baseValues(attrs);
    if (kind === 'regressor') {
      const aggregate = attrs.string('aggregate_function', 'SUM');
      if (aggregate !== 'SUM' && aggregate !== 'AVERAGE') return `aggregate_function ${aggregate} (the importer sums or averages trees)`;
      const targets = attrs.int('n_targets', 1);
      if (base.length !== 0 && base.length !== targets) return `${base.length} base values for ${targets} targets (onnxruntime takes 0 or one per target)`;
      const tables = compileTrees(attrs, { prefix: 'target', outputs: targets });
      if (typeof tables === 'string') return tables;
      return { tables, transform, base, labels: [], average: aggregate === 'AVERAGE' };
    }
    if ((attrs.strings('classlabels_strings') ?? []).length > 0) return 'string class labels (TF.js holds no strings on its GPU backends)';
    const labels = attrs.ints('classlabels_int64s') ?? [];
    if (labels.length < 2) return `${labels.length} class label(s)`;
    const tables = compileTrees(attrs, { prefix: 'class', outputs: labels.length });
    if (typeof tables === 'string') return tables;
    // onnxruntime takes 0 or one base value per class, and one for a binary ensemble that scores one class (scikit-learn's gradient boosting).
    const binaryCase = labels.length === 2 && tables.columnsUsed.size === 1;
    if (base.length !== 0 && base.length !== labels.length && !(binaryCase && base.length === 1)) return `${base.length} base values for ${labels.length} classes (onnxruntime takes 0 or one per class)`;
    // With fewer than two base values one score column is possible: onnxruntime then writes PROBIT's one value into a two-column output.
    if (labels.length === 2 && base.length < 2 && transform === 'PROBIT') return 'PROBIT on a binary classifier with fewer than two base values (onnxruntime leaves its second column unwritten)';
    return { tables, transform, base, labels, average: false };
  };
  const result = make();
  compiled.set(attrs, result);
  return result;
}

const floatTable = (dims: number[], values: Float32Array): HostTensor => ({ dtype: 'float32', onnxType: ElemType.FLOAT, dims, data: values });

/** The tables as constants of the node: uploaded once with the weights, handed to `run` after X. */
function tableConstants(e: Ensemble): HostTensor[] {
  const t = e.tables;
  const out: HostTensor[] = [
    { dtype: 'int32', onnxType: ElemType.INT64, dims: [t.trees * t.branches], data: t.feature },
    floatTable([t.trees * t.branches], t.threshold),
    floatTable([t.trees, t.branches, t.leaves], t.path),
    floatTable([t.trees, 1, t.leaves], t.trueTurns),
    floatTable([t.trees, t.leaves, t.outputs], t.weights),
    floatTable([t.trees, t.leaves, t.outputs], t.scored),
  ];
  for (const mode of BRANCH_MODES) {
    const mask = t.modeMasks?.get(mode);
    if (mask) out.push(floatTable([t.trees * t.branches], mask));
  }
  if (t.missingTrue) out.push(floatTable([t.trees * t.branches], t.missingTrue));
  return out;
}

function compare(tf: TfModule, mode: BranchMode, x: Tf.Tensor, threshold: Tf.Tensor): Tf.Tensor {
  switch (mode) {
    case 'BRANCH_LEQ': return tf.lessEqual(x, threshold);
    case 'BRANCH_LT': return tf.less(x, threshold);
    case 'BRANCH_GTE': return tf.greaterEqual(x, threshold);
    case 'BRANCH_GT': return tf.greater(x, threshold);
    case 'BRANCH_EQ': return tf.equal(x, threshold);
    case 'BRANCH_NEQ': return tf.notEqual(x, threshold);
  }
}

/** Per-row column sums of the reached leaves' weights, and which columns any reached leaf scored. */
function evaluate(tf: TfModule, e: Ensemble, x: Tf.Tensor, k: readonly (Value | undefined)[]): { sums: Tf.Tensor; scored: Tf.Tensor } {
  const t = e.tables;
  const table = (i: number, what: string) => required(k[i], what).t;
  const rows = asRows(tf, x);
  const features = rows.shape[1] ?? 0;
  if (t.maxFeature >= features) throw new Error(`a tree reads feature ${t.maxFeature}, the input has ${features}`);
  const n = rows.shape[0] ?? 0;
  const gathered = tf.gather(rows, table(0, 'feature table'), 1);
  const threshold = table(1, 'threshold table');
  let decisions: Tf.Tensor;
  let next = 6;
  if (t.modeMasks) {
    decisions = tf.zerosLike(gathered);
    for (const mode of BRANCH_MODES) {
      if (!t.modeMasks.has(mode)) continue;
      decisions = tf.add(decisions, tf.mul(tf.cast(compare(tf, mode, gathered, threshold), 'float32'), table(next, `${mode} mask`)));
      next += 1;
    }
  } else {
    decisions = tf.cast(compare(tf, t.mode, gathered, threshold), 'float32');
  }
  if (t.missingTrue) decisions = tf.maximum(decisions, tf.mul(tf.cast(tf.isNaN(gathered), 'float32'), table(next, 'missing-value table')));
  const byTree = tf.transpose(tf.reshape(decisions, [n, t.trees, t.branches]), [1, 0, 2]);
  const hits = tf.cast(tf.equal(tf.matMul(byTree, table(2, 'path table')), table(3, 'turn table')), 'float32');
  return {
    sums: tf.sum(tf.matMul(hits, table(4, 'weight table')), 0),
    scored: tf.greater(tf.sum(tf.matMul(hits, table(5, 'scored table')), 0), 0),
  };
}

/**
 * onnxruntime's two-class output: a [N, 2] score pair and whether each row's
 * label is the positive one. A class no reached leaf scored is written as 0
 * (onnxruntime's ScoreValue reads 0 without a score), before any transform.
 */
function binaryOutputs(tf: TfModule, e: Ensemble, sums: Tf.Tensor, scored: Tf.Tensor): { scores: Tf.Tensor; positive: Tf.Tensor } {
  const [s0, s1] = tf.unstack(sums, 1) as [Tf.Tensor, Tf.Tensor];
  const [h0, h1] = tf.unstack(scored, 1) as [Tf.Tensor, Tf.Tensor];
  const zero = tf.zerosLike(s0);
  const { base, transform, tables } = e;
  const binaryCase = tables.columnsUsed.size === 1;
  let p0: Tf.Tensor;
  let p1: Tf.Tensor;
  let pos: Tf.Tensor;
  let single: Tf.Tensor | null = null;
  if (base.length === 2) {
    // With class 1 scored, onnxruntime takes base[1] + class 0's score for class 1 and its negative for class 0.
    const a1 = tf.add(s0, base[1] ?? 0);
    const b0 = tf.add(s0, base[0] ?? 0);
    p1 = tf.where(h1, a1, zero);
    p0 = tf.where(h0, tf.where(h1, tf.neg(a1), b0), zero);
    pos = tf.where(h1, a1, tf.where(h0, b0, zero));
  } else {
    // One base value (binary case): added to class 0's score, which still writes as 0 when no reached leaf scored it.
    p0 = tf.where(h0, base.length === 1 ? tf.add(s0, base[0] ?? 0) : s0, zero);
    p1 = tf.where(h1, s1, zero);
    pos = tf.where(h1, s1, p0);
    single = tf.logicalNot(h1);
  }
  const pair = applyPostTransform(tf, tf.stack([p0, p1], 1), transform);
  const threshold = binaryCase && tables.weightsAllPositive ? 0.5 : 0;
  const positive = tf.greater(pos, threshold);
  if (!single) return { scores: pair, positive };
  // One score left (fewer than two base values, class 1 unscored): all-positive weights give [1 − v, v] (v through the logistic under LOGISTIC); mixed ones and the non-binary case [σ(−v), σ(v)] or [−v, v].
  const v = p0;
  let expanded: Tf.Tensor;
  if (binaryCase && tables.weightsAllPositive) {
    const w = transform === 'LOGISTIC' ? tf.sigmoid(v) : v;
    expanded = tf.stack([tf.sub(1, w), w], 1);
  } else {
    expanded = transform === 'LOGISTIC' ? tf.stack([tf.sigmoid(tf.neg(v)), tf.sigmoid(v)], 1) : tf.stack([tf.neg(v), v], 1);
  }
  return { scores: tf.where(tf.reshape(single, [-1, 1]), expanded, pair), positive };
}

function classifierRun(tf: TfModule, e: Ensemble, x: Tf.Tensor, k: readonly (Value | undefined)[]): Value[] {
  const labels = required(k[k.length - 1], 'class labels').t;
  const { sums, scored } = evaluate(tf, e, x, k);
  const classes = e.labels.length;
  if (classes === 2) {
    const { scores, positive } = binaryOutputs(tf, e, sums, scored);
    const index = tf.cast(positive, 'int32');
    // Outside the binary case onnxruntime answers 1 or 0 rather than a class label.
    const label = e.tables.columnsUsed.size === 1 ? tf.gather(labels, index) : index;
    return [{ t: label, nhwc: false }, { t: scores, nhwc: false }];
  }
  const base = new Float32Array(classes);
  base.set(e.base);
  const hasBase = Float32Array.from(base, (_, i) => (i < e.base.length ? 1 : 0));
  const scores = tf.add(sums, tf.tensor(base, [1, classes]));
  const counted = tf.logicalOr(scored, tf.cast(tf.tensor(hasBase, [1, classes]), 'bool'));
  const label = tf.gather(labels, tf.argMax(tf.where(counted, scores, tf.fill(scores.shape, -Infinity)), 1));
  return [{ t: label, nhwc: false }, { t: applyPostTransform(tf, scores, e.transform), nhwc: false }];
}

function regressorRun(tf: TfModule, e: Ensemble, x: Tf.Tensor, k: readonly (Value | undefined)[]): Value[] {
  const { sums, scored } = evaluate(tf, e, x, k);
  const targets = e.tables.outputs;
  let scores = e.average ? tf.div(sums, e.tables.trees) : sums;
  if (targets === 1) {
    // One target: onnxruntime adds base[0] when there is one, and applies PROBIT alone.
    scores = tf.add(scores, e.base[0] ?? 0);
    return [{ t: e.transform === 'PROBIT' ? applyPostTransform(tf, scores, 'PROBIT') : scores, nhwc: false }];
  }
  if (e.base.length === targets) scores = tf.add(scores, tf.tensor(e.base, [1, targets]));
  // Several targets: a target no reached leaf scored is written as 0, base value or not (as onnxruntime does).
  return [{ t: applyPostTransform(tf, tf.where(scored, scores, tf.zerosLike(scores)), e.transform), nhwc: false }];
}

function ensembleOp(kind: 'classifier' | 'regressor'): OpDef {
  return {
    check(attrs) {
      const e = compileEnsemble(attrs, kind);
      return typeof e === 'string' ? e : null;
    },
    constants(attrs) {
      const e = compileEnsemble(attrs, kind);
      if (typeof e === 'string') return [];
      const tables = tableConstants(e);
      return kind === 'classifier' ? [...tables, { dtype: 'int32', onnxType: ElemType.INT64, dims: [e.labels.length], data: Int32Array.from(e.labels) }] : tables;
    },
    run(call, [x, ...k]) {
      const e = compileEnsemble(call.attrs, kind);
      if (typeof e === 'string') throw new Error(e);
      const input = required(x, 'X').t;
      return kind === 'classifier' ? classifierRun(call.tf, e, input, k) : regressorRun(call.tf, e, input, k);
    },
  };
}

export const ML_TREE_OPS: Record<string, OpDef> = {
  TreeEnsembleClassifier: ensembleOp('classifier'),
  TreeEnsembleRegressor: ensembleOp('regressor'),
};
