/** Element-wise operators. Unary ones and broadcasting binary ones keep a channels-last value channels-last. */
import type * as Tf from '@tensorflow/tfjs';
import type { OpCall, OpDef, Value } from '../op-types';
import { required, tensorOp } from '../op-types';
import { broadcastShape } from '../shapes';

type Unary = (tf: OpCall['tf'], x: Tf.Tensor, call: OpCall) => Tf.Tensor;

function unary(fn: Unary): OpDef {
  return {
    layoutAware: true,
    run(call, [x]) {
      const v = required(x, 'X');
      return [{ t: fn(call.tf, v.t, call), nhwc: v.nhwc }];
    },
  };
}

/** A rank-≤4 native operand broadcast against channels-last 4-D values: made 4-D, then channels-last. */
function toChannelsLast(call: OpCall, v: Value): Tf.Tensor {
  if (v.nhwc) return v.t;
  return call.derived(v, 'nhwc-operand', () => {
    const shape = [...new Array<number>(4 - v.t.rank).fill(1), ...v.t.shape];
    return call.tf.transpose(call.tf.reshape(v.t, shape), [0, 2, 3, 1]);
  });
}

/** Operands for a broadcasting op: all channels-last when any is (and none has rank above 4), else all native. */
function operands(call: OpCall, inputs: readonly (Value | undefined)[]): { ts: Tf.Tensor[]; nhwc: boolean } {
  const vs = inputs.filter((v): v is Value => v !== undefined);
  const nhwc = vs.some((v) => v.nhwc) && vs.every((v) => v.nhwc || v.t.rank <= 4);
  return { ts: vs.map((v) => (nhwc ? toChannelsLast(call, v) : call.native(v))), nhwc };
}

function broadcasting(fn: (tf: OpCall['tf'], ts: Tf.Tensor[]) => Tf.Tensor): OpDef {
  return {
    layoutAware: true,
    run(call, inputs) {
      const { ts, nhwc } = operands(call, inputs);
      return [{ t: fn(call.tf, ts), nhwc }];
    },
  };
}

const at = (ts: Tf.Tensor[], i: number): Tf.Tensor => required(ts[i], `input ${i}`);

/** ONNX integer division truncates toward zero; TF.js floors. */
function divide(tf: OpCall['tf'], a: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  if (a.dtype !== 'int32') return tf.div(a, b);
  return tf.cast(tf.div(tf.cast(a, 'float32'), tf.cast(b, 'float32')), 'int32');
}

function variadic(fn: (tf: OpCall['tf'], a: Tf.Tensor, b: Tf.Tensor) => Tf.Tensor): OpDef {
  return broadcasting((tf, ts) => ts.slice(1).reduce((acc, t) => fn(tf, acc, t), at(ts, 0)));
}

const k_selu_alpha = 1.67326319217681884765625;
const k_selu_gamma = 1.05070102214813232421875;

export const ELEMENTWISE_OPS: Record<string, OpDef> = {
  Add: broadcasting((tf, ts) => tf.add(at(ts, 0), at(ts, 1))),
  Sub: broadcasting((tf, ts) => tf.sub(at(ts, 0), at(ts, 1))),
  Mul: broadcasting((tf, ts) => tf.mul(at(ts, 0), at(ts, 1))),
  Div: broadcasting((tf, ts) => divide(tf, at(ts, 0), at(ts, 1))),
  Pow: broadcasting((tf, ts) => {
    const [a, b] = [at(ts, 0), at(ts, 1)];
    return a.dtype === b.dtype ? tf.pow(a, b) : tf.cast(tf.pow(tf.cast(a, 'float32'), tf.cast(b, 'float32')), a.dtype);
  }),
  Max: variadic((tf, a, b) => tf.maximum(a, b)),
  Min: variadic((tf, a, b) => tf.minimum(a, b)),
  Sum: variadic((tf, a, b) => tf.add(a, b)),
  Mean: broadcasting((tf, ts) => tf.div(ts.slice(1).reduce((acc, t) => tf.add(acc, t), at(ts, 0)), ts.length)),
  Relu: unary((tf, x) => tf.relu(x)),
  Sigmoid: unary((tf, x) => tf.sigmoid(x)),
  Tanh: unary((tf, x) => tf.tanh(x)),
  Exp: unary((tf, x) => tf.exp(x)),
  Log: unary((tf, x) => tf.log(x)),
  Sqrt: unary((tf, x) => tf.sqrt(x)),
  Abs: unary((tf, x) => tf.abs(x)),
  Neg: unary((tf, x) => tf.neg(x)),
  Reciprocal: unary((tf, x) => tf.reciprocal(x)),
  Floor: unary((tf, x) => tf.floor(x)),
  Ceil: unary((tf, x) => tf.ceil(x)),
  // ONNX Round and tf.round both round half to even.
  Round: unary((tf, x) => tf.round(x)),
  Sign: unary((tf, x) => tf.sign(x)),
  Erf: unary((tf, x) => tf.erf(x)),
  Sin: unary((tf, x) => tf.sin(x)),
  Cos: unary((tf, x) => tf.cos(x)),
  Tan: unary((tf, x) => tf.tan(x)),
  Asin: unary((tf, x) => tf.asin(x)),
  Acos: unary((tf, x) => tf.acos(x)),
  Atan: unary((tf, x) => tf.atan(x)),
  Sinh: unary((tf, x) => tf.sinh(x)),
  Cosh: unary((tf, x) => tf.cosh(x)),
  Asinh: unary((tf, x) => tf.asinh(x)),
  Acosh: unary((tf, x) => tf.acosh(x)),
  Atanh: unary((tf, x) => tf.atanh(x)),
  Softplus: unary((tf, x) => tf.softplus(x)),
  Softsign: unary((tf, x) => tf.div(x, tf.add(tf.abs(x), 1))),
  LeakyRelu: unary((tf, x, c) => tf.leakyRelu(x, c.attrs.float('alpha', 0.01))),
  Elu: unary((tf, x, c) => {
    const alpha = c.attrs.float('alpha', 1);
    return tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), alpha));
  }),
  Selu: unary((tf, x, c) => {
    const alpha = c.attrs.float('alpha', k_selu_alpha);
    const gamma = c.attrs.float('gamma', k_selu_gamma);
    return tf.mul(tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), alpha)), gamma);
  }),
  Celu: unary((tf, x, c) => {
    const alpha = c.attrs.float('alpha', 1);
    return tf.add(tf.relu(x), tf.minimum(0, tf.mul(tf.sub(tf.exp(tf.div(x, alpha)), 1), alpha)));
  }),
  HardSigmoid: unary((tf, x, c) => tf.clipByValue(tf.add(tf.mul(x, c.attrs.float('alpha', 0.2)), c.attrs.float('beta', 0.5)), 0, 1)),
  HardSwish: unary((tf, x) => tf.mul(x, tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1))),
  ThresholdedRelu: unary((tf, x, c) => tf.where(tf.greater(x, c.attrs.float('alpha', 1)), x, tf.zerosLike(x))),
  Identity: { layoutAware: true, run: (_c, [x]) => [required(x, 'input')] },
  // Inference: Dropout passes its input through; the optional mask is all true.
  Dropout: {
    layoutAware: true,
    check(attrs, _opset, node) {
      const training = node.inputs[2];
      if (!training) return null;
      const value = node.constant(training);
      return value && value.data[0] === 0 ? null : 'training_mode that is not a constant false (random masks)';
    },
    run(call, [x]) {
      const v = required(x, 'data');
      return [v, { t: call.tf.onesLike(v.t).cast('bool'), nhwc: v.nhwc }];
    },
  },
  PRelu: tensorOp((call, [x, slope]) => {
    const t = required(x, 'X');
    return call.tf.where(call.tf.less(t, 0), call.tf.mul(t, required(slope, 'slope')), t);
  }),
  Clip: tensorOp(async (call, [x, lo, hi], inputs) => {
    const t = required(x, 'input');
    const min = call.opset < 11 ? call.attrs.float('min', -Infinity) : lo ? ((await call.read(required(inputs[1], 'min')))[0] ?? -Infinity) : -Infinity;
    const max = call.opset < 11 ? call.attrs.float('max', Infinity) : hi ? ((await call.read(required(inputs[2], 'max')))[0] ?? Infinity) : Infinity;
    return call.tf.minimum(call.tf.maximum(t, min), max).cast(t.dtype);
  }),
  Equal: tensorOp((c, [a, b]) => c.tf.equal(required(a, 'A'), required(b, 'B'))),
  Less: tensorOp((c, [a, b]) => c.tf.less(required(a, 'A'), required(b, 'B'))),
  Greater: tensorOp((c, [a, b]) => c.tf.greater(required(a, 'A'), required(b, 'B'))),
  LessOrEqual: tensorOp((c, [a, b]) => c.tf.lessEqual(required(a, 'A'), required(b, 'B'))),
  GreaterOrEqual: tensorOp((c, [a, b]) => c.tf.greaterEqual(required(a, 'A'), required(b, 'B'))),
  And: tensorOp((c, [a, b]) => c.tf.logicalAnd(required(a, 'A'), required(b, 'B'))),
  Or: tensorOp((c, [a, b]) => c.tf.logicalOr(required(a, 'A'), required(b, 'B'))),
  Xor: tensorOp((c, [a, b]) => c.tf.logicalXor(required(a, 'A'), required(b, 'B'))),
  Not: tensorOp((c, [a]) => c.tf.logicalNot(required(a, 'X'))),
  IsNaN: tensorOp((c, [a]) => c.tf.isNaN(required(a, 'X'))),
  Where: tensorOp((c, [cond, a, b]) => {
    const [x, y] = [required(a, 'X'), required(b, 'Y')];
    // tf.where needs all three in one shape.
    const shape = broadcastShape(broadcastShape(required(cond, 'condition').shape, x.shape), y.shape);
    return c.tf.where(c.tf.broadcastTo(required(cond, 'condition'), shape), c.tf.broadcastTo(x, shape), c.tf.broadcastTo(y, shape));
  }),
};
