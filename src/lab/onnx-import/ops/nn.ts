/**
 * Convolution, pooling, normalisation and dense operators. Convolutions and
 * pools run channels-last (TF.js's native layout on every backend) and hand
 * their result on channels-last, so a chain of them converts once at each end.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { NodeAttributes } from '../attributes';
import { OnnxImportError } from '../import-errors';
import type { OpCall, OpDef, Value } from '../op-types';
import { required, tensorOp } from '../op-types';
import { normAxis, product } from '../shapes';

type Pads4 = [[number, number], [number, number], [number, number], [number, number]];

/** A 3-D (1-D spatial) or 4-D value as a channels-last 4-D tensor, and how to give the result back. */
function spatial2d(call: OpCall, v: Value): { x: Tf.Tensor4D; back: (y: Tf.Tensor4D) => Value } {
  const tf = call.tf;
  if (v.nhwc) return { x: v.t as Tf.Tensor4D, back: (y) => ({ t: y, nhwc: true }) };
  if (v.t.rank === 4) {
    return { x: call.derived(v, 'to-nhwc', () => tf.transpose(v.t, [0, 2, 3, 1])) as Tf.Tensor4D, back: (y) => ({ t: y, nhwc: true }) };
  }
  if (v.t.rank === 3) {
    // [N, C, L] as [N, 1, L, C].
    const [n = 1, c = 1, l = 1] = v.t.shape;
    const x = tf.reshape<Tf.Rank.R4>(tf.transpose(v.t, [0, 2, 1]), [n, 1, l, c]);
    return { x, back: (y) => ({ t: tf.transpose(tf.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]), [0, 2, 1]), nhwc: false }) };
  }
  // Known only here when the kernel's rank is not an attribute: still a positive "cannot", not a failure.
  throw new OnnxImportError('operator', `${call.opType} on a ${v.t.rank}-D input: only 1-D and 2-D spatial inputs are imported`, [
    { op: call.opType, domain: '', opset: call.opset, reason: `${v.t.rank - 2}-D spatial input` },
  ]);
}

/** Spatial attributes as two entries (height, width), a 1-D operator getting height 1. */
function pair(values: number[] | undefined, fallback: number, rank1d: boolean): [number, number] {
  if (!values || values.length === 0) return [fallback, fallback];
  if (rank1d) return [fallback === 0 ? 0 : 1, values[0] ?? fallback];
  return [values[0] ?? fallback, values[1] ?? fallback];
}

/** Explicit (begin, end) padding per spatial axis from pads or auto_pad. */
function spatialPads(call: OpCall, inHW: [number, number], kernel: [number, number], strides: [number, number], dilations: [number, number], rank1d: boolean): [[number, number], [number, number]] {
  const autoPad = call.attrs.string('auto_pad', 'NOTSET');
  if (autoPad === 'VALID') return [[0, 0], [0, 0]];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const one = (i: 0 | 1): [number, number] => {
      const eff = (kernel[i] - 1) * dilations[i] + 1;
      const out = Math.ceil(inHW[i] / strides[i]);
      const total = Math.max((out - 1) * strides[i] + eff - inHW[i], 0);
      const small = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    };
    return [one(0), one(1)];
  }
  const p = call.attrs.ints('pads') ?? [];
  if (rank1d) return [[0, 0], [p[0] ?? 0, p[1] ?? 0]];
  return [[p[0] ?? 0, p[2] ?? 0], [p[1] ?? 0, p[3] ?? 0]];
}

const nhwcPads = (p: [[number, number], [number, number]]): Pads4 => [[0, 0], p[0], p[1], [0, 0]];

function conv(call: OpCall, inputs: readonly (Value | undefined)[]): Value[] {
  const tf = call.tf;
  const xv = required(inputs[0], 'X');
  const wv = required(inputs[1], 'W');
  const rank1d = (xv.nhwc ? 4 : xv.t.rank) === 3;
  const { x, back } = spatial2d(call, xv);
  const group = call.attrs.int('group', 1);
  const w = wv.t;
  const kernel: [number, number] = rank1d ? [1, w.shape[2] ?? 1] : [w.shape[2] ?? 1, w.shape[3] ?? 1];
  const strides = pair(call.attrs.ints('strides'), 1, rank1d);
  const dilations = pair(call.attrs.ints('dilations'), 1, rank1d);
  const pads = nhwcPads(spatialPads(call, [x.shape[1], x.shape[2]], kernel, strides, dilations, rank1d));
  const outC = w.shape[0] ?? 1;
  const inC = x.shape[3];
  const bias = inputs[2] ? call.native(inputs[2]) : undefined;
  // ONNX [M, C/group, kH, kW] → TF.js [kH, kW, C/group, M]; made once for a constant filter.
  const filter4d = (t: Tf.Tensor) => (rank1d ? tf.reshape(t, [t.shape[0] ?? 1, t.shape[1] ?? 1, 1, t.shape[2] ?? 1]) : t);
  let y: Tf.Tensor4D;
  if (group === 1) {
    const f = call.derived(wv, 'conv-filter', () => tf.transpose(filter4d(w), [2, 3, 1, 0])) as Tf.Tensor4D;
    y = tf.fused.conv2d({ x, filter: f, strides, pad: pads, dataFormat: 'NHWC', dilations, ...(bias ? { bias } : {}) });
  } else if (group === inC && (w.shape[1] ?? 1) === 1 && (strides.every((s) => s === 1) || dilations.every((d) => d === 1))) {
    // Depthwise: [C·mult, 1, kH, kW] → [kH, kW, C, mult].
    const mult = outC / group;
    const f = call.derived(wv, 'depthwise-filter', () => tf.transpose(tf.reshape(filter4d(w), [group, mult, kernel[0], kernel[1]]), [2, 3, 0, 1])) as Tf.Tensor4D;
    // TF.js depthwise convolutions take no explicit padding: pad first, then 'valid'.
    const xp = pads.some(([b, e]) => b > 0 || e > 0) ? tf.pad(x, pads) : x;
    y = tf.fused.depthwiseConv2d({ x: xp, filter: f, strides, pad: 'valid', dataFormat: 'NHWC', dilations, ...(bias ? { bias } : {}) });
  } else {
    const f = call.derived(wv, 'conv-filter', () => tf.transpose(filter4d(w), [2, 3, 1, 0])) as Tf.Tensor4D;
    const xs = tf.split<Tf.Tensor4D>(x, group, 3);
    const fs = tf.split<Tf.Tensor4D>(f, group, 3);
    const ys = xs.map((xi, i) => tf.conv2d(xi, required(fs[i], 'filter group'), strides, pads, 'NHWC', dilations));
    y = tf.concat4d(ys, 3);
    if (bias) y = tf.add<Tf.Tensor4D>(y, bias);
  }
  return [back(y)];
}

function convTranspose(call: OpCall, inputs: readonly (Value | undefined)[]): Value[] {
  const tf = call.tf;
  const xv = required(inputs[0], 'X');
  const wv = required(inputs[1], 'W');
  const rank1d = (xv.nhwc ? 4 : xv.t.rank) === 3;
  const { x, back } = spatial2d(call, xv);
  const w = wv.t;
  const kernel: [number, number] = rank1d ? [1, w.shape[2] ?? 1] : [w.shape[2] ?? 1, w.shape[3] ?? 1];
  const strides = pair(call.attrs.ints('strides'), 1, rank1d);
  const outPad = pair(call.attrs.ints('output_padding'), 0, rank1d);
  const outC = w.shape[1] ?? 1;
  const inHW: [number, number] = [x.shape[1], x.shape[2]];
  // The full ('valid') transposed convolution, then ONNX's pads cut off and output_padding added.
  const full = inHW.map((d, i) => (d - 1) * (strides[i] ?? 1) + (kernel[i] ?? 1)) as [number, number];
  const autoPad = call.attrs.string('auto_pad', 'NOTSET');
  const outputShape = call.attrs.ints('output_shape');
  let begin: [number, number];
  let size: [number, number];
  if (outputShape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const target = outputShape ? pair(outputShape.slice(-2), 1, rank1d) : (inHW.map((d, i) => d * (strides[i] ?? 1)) as [number, number]);
    const one = (i: 0 | 1): number => {
      const total = full[i] + outPad[i] - target[i];
      // As ONNX states it: SAME_UPPER puts the odd cell at the end, otherwise at the start.
      return autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
    };
    begin = [one(0), one(1)];
    size = target;
  } else {
    const p = spatialPads(call, inHW, kernel, strides, [1, 1], rank1d);
    begin = [p[0][0], p[1][0]];
    size = [full[0] + outPad[0] - p[0][0] - p[0][1], full[1] + outPad[1] - p[1][0] - p[1][1]];
  }
  // ONNX [C, M, kH, kW] → TF.js [kH, kW, M, C].
  const f = call.derived(wv, 'deconv-filter', () => tf.transpose(rank1d ? tf.reshape(w, [w.shape[0] ?? 1, outC, 1, kernel[1]]) : w, [2, 3, 1, 0])) as Tf.Tensor4D;
  let y = tf.conv2dTranspose(x, f, [x.shape[0], full[0], full[1], outC], strides, 'valid');
  // A negative start or an end past the full output is room the output padding adds (bias only).
  const before = [Math.max(0, -begin[0]), Math.max(0, -begin[1])] as const;
  const after = [Math.max(0, begin[0] + size[0] - full[0]), Math.max(0, begin[1] + size[1] - full[1])] as const;
  if (before.some((p) => p > 0) || after.some((p) => p > 0)) y = tf.pad(y, [[0, 0], [before[0], after[0]], [before[1], after[1]], [0, 0]]);
  y = tf.slice(y, [0, begin[0] + before[0], begin[1] + before[1], 0], [-1, size[0], size[1], -1]);
  if (inputs[2]) y = tf.add(y, call.native(inputs[2]));
  return [back(y)];
}

/** 3-D (volumetric) kernels: the importer maps 1-D and 2-D ones onto TF.js's 2-D kernels only. */
const volumetric = (attrs: NodeAttributes) => ((attrs.ints('kernel_shape')?.length ?? 0) > 2 ? 'a 3-D kernel' : null);

function pool(kind: 'max' | 'avg'): OpDef {
  return {
    layoutAware: true,
    check(attrs, _opset, node) {
      if (node.outputs > 1) return 'the Indices output';
      return volumetric(attrs);
    },
    run(call, inputs) {
      const tf = call.tf;
      const xv = required(inputs[0], 'X');
      const rank1d = (xv.nhwc ? 4 : xv.t.rank) === 3;
      const { x: given, back: backGiven } = spatial2d(call, xv);
      // Integer inputs (MaxPool on uint8) pool as float32, exact for them: TF.js wasm pools float32 only.
      const x = given.dtype === 'float32' ? given : tf.cast(given, 'float32');
      const back = (y: Tf.Tensor4D) => backGiven(given.dtype === 'float32' ? y : tf.cast(y, given.dtype));
      const kernel = pair(call.attrs.ints('kernel_shape'), 1, rank1d);
      const strides = pair(call.attrs.ints('strides'), 1, rank1d);
      const dilations = pair(call.attrs.ints('dilations'), 1, rank1d);
      const inHW: [number, number] = [x.shape[1], x.shape[2]];
      const pads = spatialPads(call, inHW, kernel, strides, dilations, rank1d);
      // ceil_mode: extra room at the end for the last partial window, as long as it starts inside the input or its left padding.
      if (call.attrs.int('ceil_mode', 0) === 1) {
        for (const i of [0, 1] as const) {
          const eff = (kernel[i] - 1) * dilations[i] + 1;
          const span = inHW[i] + pads[i][0] + pads[i][1] - eff;
          let out = Math.ceil(span / strides[i]) + 1;
          if ((out - 1) * strides[i] >= inHW[i] + pads[i][0]) out -= 1;
          pads[i][1] += Math.max(0, (out - 1) * strides[i] + eff - (inHW[i] + pads[i][0] + pads[i][1]));
        }
      }
      const padded = pads.some(([b, e]) => b > 0 || e > 0);
      const window = (t: Tf.Tensor4D, type: 'max' | 'avg'): Tf.Tensor4D =>
        dilations.some((d) => d > 1)
          ? tf.pool<Tf.Tensor4D>(t, kernel, type, 'valid', dilations, strides)
          : type === 'max'
            ? tf.maxPool(t, kernel, strides, 'valid')
            : tf.avgPool(t, kernel, strides, 'valid');
      if (kind === 'max') {
        const xp = padded ? tf.pad(x, nhwcPads(pads), -Infinity) : x;
        return [back(window(xp, 'max'))];
      }
      if (!padded) return [back(window(x, 'avg'))];
      const xp = tf.pad(x, nhwcPads(pads), 0);
      const sum = window(xp, 'avg');
      // Average over the cells that count: the input (and its explicit padding when count_include_pad = 1).
      const includePad = call.attrs.int('count_include_pad', 0) === 1;
      const basePads = spatialPads(call, inHW, kernel, strides, dilations, rank1d);
      const ones = tf.ones<Tf.Rank.R4>([1, inHW[0], inHW[1], 1]);
      const mask = includePad
        ? tf.pad(tf.pad(ones, nhwcPads(basePads), 1), [[0, 0], [0, pads[0][1] - basePads[0][1]], [0, pads[1][1] - basePads[1][1]], [0, 0]], 0)
        : tf.pad(ones, nhwcPads(pads), 0);
      return [back(tf.div<Tf.Tensor4D>(sum, window(mask, 'avg')))];
    },
  };
}

function globalPool(kind: 'max' | 'avg'): OpDef {
  return {
    layoutAware: true,
    run(call, [x]) {
      const v = required(x, 'X');
      const reduce = (t: Tf.Tensor, axes: number[]) => (kind === 'avg' ? call.tf.mean(t, axes, true) : call.tf.max(t, axes, true));
      if (v.nhwc) return [{ t: reduce(v.t, [1, 2]), nhwc: true }];
      return [{ t: reduce(v.t, [...new Array(Math.max(v.t.rank - 2, 0)).keys()].map((i) => i + 2)), nhwc: false }];
    },
  };
}

/** A per-channel parameter shaped to broadcast against the value (channel axis 1, or last when channels-last). */
function perChannel(call: OpCall, v: Value, param: Value, tag: string): Tf.Tensor {
  const rank = v.t.rank;
  return call.derived(param, `${tag}-${v.nhwc ? 'nhwc' : rank}`, () => {
    const p = call.native(param);
    return v.nhwc ? p : call.tf.reshape(p, [p.size, ...new Array<number>(Math.max(rank - 2, 0)).fill(1)]);
  });
}

const batchNorm: OpDef = {
  layoutAware: true,
  check: (attrs, _opset, node) => (attrs.int('training_mode', 0) === 1 || node.outputs > 1 ? 'training mode (running statistics as outputs)' : null),
  run(call, inputs) {
    const tf = call.tf;
    const v = required(inputs[0], 'X');
    const [scale, b, mean, variance] = [1, 2, 3, 4].map((i) => required(inputs[i], 'BatchNormalization parameter'));
    const eps = call.attrs.float('epsilon', 1e-5);
    // y = x·a + c with a = scale / sqrt(var + ε), c = B − mean·a: made once for constant parameters.
    const a = call.derived(required(scale, 'scale'), `bn-a-${eps}`, () => tf.div(call.native(required(scale, 'scale')), tf.sqrt(tf.add(call.native(required(variance, 'var')), eps))));
    const aV: Value = { t: a, nhwc: false };
    const c = tf.sub(call.native(required(b, 'B')), tf.mul(call.native(required(mean, 'mean')), a));
    const y = tf.add(tf.mul(v.t, perChannel(call, v, aV, 'bn-a')), perChannel(call, v, { t: c, nhwc: false }, 'bn-c'));
    return [{ t: y, nhwc: v.nhwc }];
  },
};

function softmax(log: boolean): OpDef {
  return tensorOp((call, [x]) => {
    const tf = call.tf;
    const t = required(x, 'input');
    const fn = (u: Tf.Tensor) => (log ? tf.logSoftmax(u) : tf.softmax(u));
    if (call.opset < 13) {
      // Opsets 1–12: the input is seen as 2-D, split at `axis`.
      const a = normAxis(call.attrs.int('axis', 1), t.rank);
      return tf.reshape(fn(tf.reshape(t, [product(t.shape.slice(0, a)), product(t.shape.slice(a))])), t.shape);
    }
    const a = normAxis(call.attrs.int('axis', -1), t.rank);
    if (a === t.rank - 1) return fn(t);
    const perm = [...new Array(t.rank).keys()].filter((i) => i !== a).concat(a);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(fn(tf.transpose(t, perm)), inverse);
  });
}

function matMul(tf: OpCall['tf'], a: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  // NumPy semantics for 1-D operands: a row vector on the left, a column on the right, dropped afterwards.
  const a2 = a.rank === 1 ? tf.reshape(a, [1, a.size]) : a;
  const b2 = b.rank === 1 ? tf.reshape(b, [b.size, 1]) : b;
  let y = tf.matMul(a2, b2);
  if (a.rank === 1) y = tf.squeeze(y, [y.rank - 2]);
  if (b.rank === 1) y = tf.squeeze(y, [y.rank - 1]);
  return y;
}

const layerNorm = tensorOp((call, [x, scale, bias]) => {
  const tf = call.tf;
  const t = required(x, 'X');
  const axis = normAxis(call.attrs.int('axis', -1), t.rank);
  const axes = [...new Array(t.rank - axis).keys()].map((i) => i + axis);
  const { mean, variance } = tf.moments(t, axes, true);
  const inv = tf.rsqrt(tf.add(variance, call.attrs.float('epsilon', 1e-5)));
  let y = tf.mul(tf.sub(t, mean), inv);
  if (scale) y = tf.mul(y, scale);
  if (bias) y = tf.add(y, bias);
  return call.outputs > 1 ? [y, mean, inv] : y;
});

export const NN_OPS: Record<string, OpDef> = {
  Conv: { layoutAware: true, check: volumetric, run: conv },
  ConvTranspose: {
    layoutAware: true,
    check(attrs) {
      if (volumetric(attrs)) return volumetric(attrs);
      if (attrs.int('group', 1) !== 1) return 'group > 1';
      if ((attrs.ints('dilations') ?? []).some((d) => d !== 1)) return 'dilations > 1 (TF.js conv2dTranspose has none)';
      return null;
    },
    run: convTranspose,
  },
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: globalPool('avg'),
  GlobalMaxPool: globalPool('max'),
  BatchNormalization: batchNorm,
  InstanceNormalization: {
    layoutAware: true,
    run(call, [x, scale, b]) {
      const tf = call.tf;
      const v = required(x, 'input');
      const axes = v.nhwc ? [1, 2] : [...new Array(v.t.rank - 2).keys()].map((i) => i + 2);
      const { mean, variance } = tf.moments(v.t, axes, true);
      const y = tf.mul(tf.sub(v.t, mean), tf.rsqrt(tf.add(variance, call.attrs.float('epsilon', 1e-5))));
      return [{ t: tf.add(tf.mul(y, perChannel(call, v, required(scale, 'scale'), 'in-s')), perChannel(call, v, required(b, 'B'), 'in-b')), nhwc: v.nhwc }];
    },
  },
  LayerNormalization: layerNorm,
  Softmax: softmax(false),
  LogSoftmax: softmax(true),
  MatMul: tensorOp((call, [a, b]) => matMul(call.tf, required(a, 'A'), required(b, 'B'))),
  Gemm: tensorOp((call, [a, b, c]) => {
    const tf = call.tf;
    let y = tf.matMul(required(a, 'A'), required(b, 'B'), call.attrs.int('transA', 0) === 1, call.attrs.int('transB', 0) === 1);
    const alpha = call.attrs.float('alpha', 1);
    if (alpha !== 1) y = tf.mul(y, alpha);
    if (c) {
      const beta = call.attrs.float('beta', 1);
      y = tf.add(y, beta === 1 ? c : tf.mul(c, beta));
    }
    return y;
  }),
};
