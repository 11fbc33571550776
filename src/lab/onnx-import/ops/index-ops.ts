/**
 * Index, mask and rearrangement operators that transformer and detection
 * exports use around their layers: causal masks (Trilu), positions (CumSum),
 * top-k heads, one-hot encodings, pixel shuffles (DepthToSpace), gathers by
 * element. Built from TF.js operations that every backend has.
 */
import type * as Tf from '@tensorflow/tfjs';
import { castTo } from './cast';
import type { OpCall, OpDef, Value } from '../op-types';
import { required, tensorOp } from '../op-types';
import { ElemType } from '../onnx-tensors';
import { normAxis, product } from '../shapes';

/** A [rows, cols] float mask from (col − row) compared with k. */
function diagonalMask(tf: OpCall['tf'], rows: number, cols: number, keep: (offset: Tf.Tensor) => Tf.Tensor): Tf.Tensor {
  const offset = tf.sub(tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]), tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]));
  return keep(offset);
}

/** The ONNX element type a value holds (from the graph where known, else from its TF.js dtype). */
function elemOf(v: Value): number {
  if (v.elem !== undefined) return v.elem;
  return v.t.dtype === 'float32' ? ElemType.FLOAT : v.t.dtype === 'bool' ? ElemType.BOOL : ElemType.INT64;
}

/** Moves `axis` to the end (and back): several TF.js operations work on the last axis only. */
function lastAxis(tf: OpCall['tf'], x: Tf.Tensor, axis: number): { t: Tf.Tensor; back: (y: Tf.Tensor) => Tf.Tensor } {
  if (axis === x.rank - 1) return { t: x, back: (y) => y };
  const perm = [...new Array<number>(x.rank).keys()].filter((a) => a !== axis).concat(axis);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { t: tf.transpose(x, perm), back: (y) => tf.transpose(y, inverse) };
}

async function topK(call: OpCall, inputs: readonly (Value | undefined)[]): Promise<Value[]> {
  const tf = call.tf;
  const x = required(inputs[0], 'X').t;
  const k = call.opset < 10 ? call.attrs.int('k', 1) : ((await call.read(required(inputs[1], 'K')))[0] ?? 1);
  const axis = normAxis(call.attrs.int('axis', -1), x.rank);
  const largest = call.attrs.int('largest', 1) === 1;
  const { t, back } = lastAxis(tf, x, axis);
  // The smallest k are the largest k of the negation; ties keep the lower index first either way.
  const { values, indices } = tf.topk(largest ? t : tf.neg(t), k, true);
  return [
    { t: back(largest ? values : tf.neg(values)), nhwc: false },
    { t: back(indices), nhwc: false, elem: ElemType.INT64 },
  ];
}

export const INDEX_OPS: Record<string, OpDef> = {
  CastLike: {
    run: (call, [x, like]) => {
      const to = elemOf(required(like, 'target_type'));
      return [{ t: castTo(call.tf, required(x, 'input').t, to), nhwc: false, elem: to }];
    },
  },
  IsInf: tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'X');
    const positive = call.attrs.int('detect_positive', 1) === 1;
    const negative = call.attrs.int('detect_negative', 1) === 1;
    return tf.logicalOr(positive ? tf.equal(t, Infinity) : tf.zerosLike(t).cast('bool'), negative ? tf.equal(t, -Infinity) : tf.zerosLike(t).cast('bool'));
  }),
  Mod: tensorOp((call, [a, b]) => {
    const tf = call.tf;
    const x = required(a, 'A');
    const y = required(b, 'B');
    if (call.attrs.int('fmod', 0) === 0) return tf.mod(x, y);
    // fmod: the sign of the dividend (C's fmod), x − trunc(x / y) · y.
    const q = tf.div(tf.cast(x, 'float32'), tf.cast(y, 'float32'));
    const truncated = tf.where(tf.less(q, 0), tf.ceil(q), tf.floor(q));
    const r = tf.sub(tf.cast(x, 'float32'), tf.mul(truncated, tf.cast(y, 'float32')));
    return x.dtype === 'int32' ? tf.cast(r, 'int32') : r;
  }),
  Trilu: tensorOp(async (call, [x], inputs) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const k = inputs[1] ? ((await call.read(inputs[1]))[0] ?? 0) : 0;
    const rows = t.shape[t.rank - 2] ?? 1;
    const cols = t.shape[t.rank - 1] ?? 1;
    const upper = call.attrs.int('upper', 1) === 1;
    const mask = diagonalMask(tf, rows, cols, (offset) => (upper ? tf.greaterEqual(offset, k) : tf.lessEqual(offset, k)));
    return tf.where(tf.broadcastTo(mask, t.shape), t, tf.zerosLike(t));
  }),
  CumSum: tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'x');
    const axis = normAxis((await call.read(required(inputs[1], 'axis')))[0] ?? 0, t.rank);
    return call.tf.cumsum(t, axis, call.attrs.int('exclusive', 0) === 1, call.attrs.int('reverse', 0) === 1);
  }),
  GatherElements: tensorOp((call, [x, idx]) => {
    const tf = call.tf;
    const data = required(x, 'data');
    const indices = required(idx, 'indices');
    const axis = normAxis(call.attrs.int('axis', 0), data.rank);
    const dim = data.shape[axis] ?? 1;
    const int = (n: number) => tf.scalar(n, 'int32');
    const wrapped = tf.where(tf.less(indices, 0), tf.add(indices, int(dim)), indices);
    // A flat index into data: every coordinate of the output position, the axis one taken from indices.
    const strides = data.shape.map((_, i) => product(data.shape.slice(i + 1)));
    let flat: Tf.Tensor = tf.mul(wrapped, int(strides[axis] ?? 1));
    indices.shape.forEach((size, i) => {
      if (i === axis) return;
      const shape = indices.shape.map((_, j) => (j === i ? size : 1));
      flat = tf.add(flat, tf.reshape(tf.mul(tf.range(0, size, 1, 'int32'), int(strides[i] ?? 1)), shape));
    });
    return tf.gather(tf.reshape(data, [-1]), flat);
  }),
  DepthToSpace: tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const b = call.attrs.int('blocksize', 1);
    const [n = 1, c = 1, h = 1, w = 1] = t.shape;
    const crd = call.attrs.string('mode', 'DCR') === 'CRD';
    const split = crd ? tf.reshape(t, [n, c / (b * b), b, b, h, w]) : tf.reshape(t, [n, b, b, c / (b * b), h, w]);
    return tf.reshape(tf.transpose(split, crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]), [n, c / (b * b), h * b, w * b]);
  }),
  SpaceToDepth: tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const b = call.attrs.int('blocksize', 1);
    const [n = 1, c = 1, h = 1, w = 1] = t.shape;
    return tf.reshape(tf.transpose(tf.reshape(t, [n, c, h / b, b, w / b, b]), [0, 3, 5, 1, 2, 4]), [n, c * b * b, h / b, w / b]);
  }),
  Hardmax: tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const hardmax = (u: Tf.Tensor) => tf.cast(tf.oneHot(tf.argMax(u, -1), u.shape[u.rank - 1] ?? 1), 'float32');
    if (call.opset >= 13) {
      const { t: moved, back } = lastAxis(tf, t, normAxis(call.attrs.int('axis', -1), t.rank));
      return back(hardmax(moved));
    }
    // Before opset 13: over everything from `axis` on, as one flattened row.
    const axis = normAxis(call.attrs.int('axis', 1), t.rank);
    return tf.reshape(hardmax(tf.reshape(t, [product(t.shape.slice(0, axis)), product(t.shape.slice(axis))])), t.shape);
  }),
  Shrink: tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const lambd = call.attrs.float('lambd', 0.5);
    const bias = call.attrs.float('bias', 0);
    return tf.where(tf.less(t, -lambd), tf.add(t, bias), tf.where(tf.greater(t, lambd), tf.sub(t, bias), tf.zerosLike(t)));
  }),
  EyeLike: {
    run: (call, [x]) => {
      const tf = call.tf;
      const v = required(x, 'input');
      const [rows = 1, cols = 1] = v.t.shape;
      const k = call.attrs.int('k', 0);
      const to = call.attrs.has('dtype') ? call.attrs.int('dtype', ElemType.FLOAT) : elemOf(v);
      return [{ t: castTo(tf, tf.cast(diagonalMask(tf, rows, cols, (offset) => tf.equal(offset, k)), 'float32'), to), nhwc: false, elem: to }];
    },
  },
  OneHot: tensorOp(async (call, [idx], inputs) => {
    const tf = call.tf;
    const indices = tf.cast(required(idx, 'indices'), 'int32');
    const depth = (await call.read(required(inputs[1], 'depth')))[0] ?? 1;
    const [off = 0, on = 1] = await call.read(required(inputs[2], 'values'));
    const wrapped = tf.where(tf.less(indices, 0), tf.add(indices, tf.scalar(depth, 'int32')), indices);
    const hot = tf.add(tf.mul(tf.cast(tf.oneHot(wrapped, depth), 'float32'), on - off), off);
    const rank = hot.rank;
    const axis = normAxis(call.attrs.int('axis', -1), rank);
    const perm = [...new Array<number>(rank - 1).keys()];
    perm.splice(axis, 0, rank - 1);
    const out = axis === rank - 1 ? hot : tf.transpose(hot, perm);
    const values = required(inputs[2], 'values');
    return values.t.dtype === 'int32' ? tf.cast(out, 'int32') : out;
  }),
  TopK: { run: topK },
};
