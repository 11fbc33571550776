/** Reductions and arg-reductions. Axes come from an attribute before opset 13 (ReduceSum) or 18 (the others), from an input after. */
import type * as Tf from '@tensorflow/tfjs';
import type { OpCall, OpDef } from '../op-types';
import { required, tensorOp } from '../op-types';
import { normAxis } from '../shapes';

type Reducer = (tf: OpCall['tf'], x: Tf.Tensor, axes: number[], keep: boolean) => Tf.Tensor;

function reduction(fn: Reducer, axesInputFrom: number): OpDef {
  return tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'data');
    const keep = call.attrs.int('keepdims', 1) === 1;
    let axes = call.opset < axesInputFrom ? call.attrs.ints('axes') : inputs[1] ? await call.read(inputs[1]) : undefined;
    if (!axes || axes.length === 0) {
      if (call.attrs.int('noop_with_empty_axes', 0) === 1) return t;
      axes = [...new Array(t.rank).keys()];
    }
    const norm = axes.map((a) => normAxis(a, t.rank));
    // TF.js reductions of int32 sum in int32, as ONNX does; float sums stay float32.
    // Kept dimensions are put back by a reshape: TF.js WebGPU's prod dropped them when asked to keep them.
    const y = fn(call.tf, t, norm, false);
    return keep ? call.tf.reshape(y, t.shape.map((d, i) => (norm.includes(i) ? 1 : d))) : y;
  });
}

function argReduction(kind: 'max' | 'min'): OpDef {
  return tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'data');
    const axis = normAxis(call.attrs.int('axis', 0), t.rank);
    // TF.js picks the first extreme; the last one is the first of the reversed axis, counted from the end.
    const last = call.attrs.int('select_last_index', 0) === 1;
    const source = last ? tf.reverse(t, axis) : t;
    let y = kind === 'max' ? tf.argMax(source, axis) : tf.argMin(source, axis);
    if (last) y = tf.sub(tf.scalar((t.shape[axis] ?? 1) - 1, 'int32'), y);
    return call.attrs.int('keepdims', 1) === 1 ? tf.expandDims(y, axis) : y;
  });
}

export const REDUCE_OPS: Record<string, OpDef> = {
  ReduceSum: reduction((tf, x, a, k) => tf.sum(x, a, k), 13),
  ReduceMean: reduction((tf, x, a, k) => tf.mean(x, a, k), 18),
  ReduceMax: reduction((tf, x, a, k) => tf.max(x, a, k), 18),
  ReduceMin: reduction((tf, x, a, k) => tf.min(x, a, k), 18),
  ReduceProd: reduction((tf, x, a, k) => tf.prod(x, a, k), 18),
  ReduceSumSquare: reduction((tf, x, a, k) => tf.sum(tf.square(x), a, k), 18),
  ReduceL1: reduction((tf, x, a, k) => tf.sum(tf.abs(x), a, k), 18),
  ReduceL2: reduction((tf, x, a, k) => tf.sqrt(tf.sum(tf.square(x), a, k)), 18),
  ReduceLogSum: reduction((tf, x, a, k) => tf.log(tf.sum(x, a, k)), 18),
  ReduceLogSumExp: reduction((tf, x, a, k) => tf.logSumExp(x, a, k), 18),
  ArgMax: argReduction('max'),
  ArgMin: argReduction('min'),
};
