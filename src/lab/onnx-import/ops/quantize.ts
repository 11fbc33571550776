/**
 * QuantizeLinear and DequantizeLinear, so that QDQ models run: TF.js has no
 * int8 kernels, so a QDQ graph computes in float32 on dequantized values
 * (rounded and clamped exactly where the model quantizes). The cell says its
 * compute precision is FP32 (see graph-import.ts).
 */
import type * as Tf from '@tensorflow/tfjs';
import type { OpCall, OpDef, Value } from '../op-types';
import { required } from '../op-types';
import { ElemType } from '../onnx-tensors';
import { normAxis } from '../shapes';

const T = ElemType;
const k_ranges: Record<number, [number, number]> = {
  [T.UINT8]: [0, 255],
  [T.INT8]: [-128, 127],
  [T.UINT16]: [0, 65535],
  [T.INT16]: [-32768, 32767],
};

/** A scale or zero point shaped to broadcast along `axis` of `v` (per-tensor ones as they are). */
function alongAxis(call: OpCall, v: Value, param: Value, tag: string): Tf.Tensor {
  if (param.t.rank === 0 || param.t.size === 1) return call.tf.reshape(param.t, []);
  const rank = v.t.rank;
  const axis = normAxis(call.attrs.int('axis', 1), rank);
  const physical = v.nhwc ? ([0, 3, 1, 2][axis] ?? axis) : axis;
  return call.derived(param, `${tag}-${physical}-${rank}`, () => {
    const shape = new Array<number>(rank).fill(1);
    shape[physical] = param.t.size;
    return call.tf.reshape(param.t, shape);
  });
}

const checkBlock = (attrs: { int(n: string, d: number): number }) => (attrs.int('block_size', 0) > 0 ? 'blocked quantization (block_size)' : null);

export const QUANTIZE_OPS: Record<string, OpDef> = {
  DequantizeLinear: {
    layoutAware: true,
    check: checkBlock,
    run(call, [x, scale, zp]) {
      const tf = call.tf;
      const v = required(x, 'x');
      let y = tf.cast(v.t, 'float32');
      if (zp) y = tf.sub(y, tf.cast(alongAxis(call, v, zp, 'dq-zp'), 'float32'));
      return [{ t: tf.mul(y, alongAxis(call, v, required(scale, 'x_scale'), 'dq-scale')), nhwc: v.nhwc }];
    },
  },
  QuantizeLinear: {
    layoutAware: true,
    check: checkBlock,
    run(call, [x, scale, zp]) {
      const tf = call.tf;
      const v = required(x, 'x');
      const type = zp?.elem ?? (zp?.t.dtype === 'int32' ? T.INT8 : T.UINT8);
      const range = k_ranges[type];
      if (!range) throw new Error(`QuantizeLinear to element type ${type}`);
      // ONNX rounds half to even, as tf.round does.
      let y = tf.round(tf.div(v.t, alongAxis(call, v, required(scale, 'y_scale'), 'q-scale')));
      if (zp) y = tf.add(y, tf.cast(alongAxis(call, v, zp, 'q-zp'), 'float32'));
      // The integer levels stay float32 numbers: TF.js WebGL gave a following MatMul wrong inputs when they went through int32 (cps-wage INT8, SwiftShader), and float32 holds every 8- and 16-bit level exactly.
      return [{ t: tf.clipByValue(y, range[0], range[1]), nhwc: v.nhwc, elem: type }];
    },
  },
};
