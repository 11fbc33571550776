/**
 * Cast. TF.js has no float16 tensors, so a cast to FLOAT16 rounds to the
 * nearest float16 value (ties to even) and keeps it in float32: exactly what
 * a float16 store and reload does, while the arithmetic around it stays
 * float32. The cell says so (see `float16Storage` in graph-import.ts).
 */
import type * as Tf from '@tensorflow/tfjs';
import type { OpCall, OpDef } from '../op-types';
import { required } from '../op-types';
import { ElemType, onnxTypeName, tfDtypeOf } from '../onnx-tensors';

const T = ElemType;
const k_f16_max = 65504;
/** Half of float16's smallest step above 65504: values at or beyond it round to infinity. */
const k_f16_overflow = 65520;

/** Rounds float32 values to float16's grid on the device: step 2^(e-10) in binade e, 2^-24 below the normal range. */
export function roundToFloat16Grid(tf: OpCall['tf'], x: Tf.Tensor): Tf.Tensor {
  const ax = tf.abs(x);
  // floor(log2) can be one off near powers of two; the two corrections make it exact.
  let e = tf.floor(tf.div(tf.log(tf.maximum(ax, 1e-30)), Math.LN2));
  e = tf.where(tf.less(ax, tf.pow(2, e)), tf.sub(e, 1), e);
  e = tf.where(tf.greaterEqual(ax, tf.pow(2, tf.add(e, 1))), tf.add(e, 1), e);
  const step = tf.pow(2, tf.sub(tf.maximum(e, -14), 10));
  const rounded = tf.mul(tf.round(tf.div(x, step)), step);
  const overflow = tf.greaterEqual(ax, k_f16_overflow);
  const inf = tf.mul(tf.sign(x), Infinity);
  const finite = tf.where(overflow, inf, tf.clipByValue(rounded, -k_f16_max, k_f16_max));
  // NaN and ±Inf stay as they are.
  return tf.where(tf.logicalOr(tf.isNaN(x), tf.isInf(x)), x, finite);
}

const k_int_ranges: Record<number, [number, number]> = {
  [T.INT8]: [-128, 127],
  [T.UINT8]: [0, 255],
  [T.INT16]: [-32768, 32767],
  [T.UINT16]: [0, 65535],
};

/** Wraps integers into a narrower type, as a C cast does. */
function wrapInt(tf: OpCall['tf'], x: Tf.Tensor, to: number): Tf.Tensor {
  const range = k_int_ranges[to];
  if (!range) return x;
  const span = range[1] - range[0] + 1;
  const shifted = tf.sub(x, range[0]);
  return tf.add(tf.sub(shifted, tf.mul(tf.floorDiv(shifted, span), span)), range[0]).cast('int32');
}

export function castTo(tf: OpCall['tf'], x: Tf.Tensor, to: number): Tf.Tensor {
  const dtype = tfDtypeOf(to);
  if (!dtype) throw new Error(`Cast to ${onnxTypeName(to)}`);
  if (to === T.FLOAT16) return roundToFloat16Grid(tf, x.cast('float32'));
  if (dtype === 'int32' && x.dtype === 'float32') {
    // Float to integer truncates toward zero.
    return wrapInt(tf, tf.cast(tf.where(tf.less(x, 0), tf.ceil(x), tf.floor(x)), 'int32'), to);
  }
  if (dtype === 'int32') return wrapInt(tf, x.cast('int32'), to);
  if (dtype === 'bool') return tf.notEqual(x, 0);
  return x.cast(dtype);
}

export const CAST_OPS: Record<string, OpDef> = {
  Cast: {
    layoutAware: true,
    check(attrs) {
      const to = attrs.int('to', 0);
      return tfDtypeOf(to) ? null : `cast to ${onnxTypeName(to)}, which TF.js has no tensor type for`;
    },
    run(call, [x]) {
      const v = required(x, 'input');
      const to = call.attrs.int('to', T.FLOAT);
      return [{ t: castTo(call.tf, v.t, to), nhwc: v.nhwc, elem: to }];
    },
  },
};
