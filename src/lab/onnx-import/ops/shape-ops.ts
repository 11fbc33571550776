/** Operators that move, cut and build tensors. Shape arguments are read on the host (once, for constants). */
import type * as Tf from '@tensorflow/tfjs';
import type { OpCall, OpDef, Value } from '../op-types';
import { required, tensorOp } from '../op-types';
import { broadcastShape, normAxis, product } from '../shapes';

/** Physical index of each logical NCHW axis in a channels-last value. */
const k_nchw_to_physical = [0, 3, 1, 2];
/** Logical shape (NCHW) of a value, whatever its physical layout. */
export function logicalShape(v: Value): number[] {
  const s = v.t.shape;
  return v.nhwc ? [s[0] ?? 1, s[3] ?? 1, s[1] ?? 1, s[2] ?? 1] : [...s];
}

async function axesArg(call: OpCall, inputs: readonly (Value | undefined)[], index: number, fromOpset: number): Promise<number[] | undefined> {
  if (call.opset < fromOpset) return call.attrs.ints('axes');
  const v = inputs[index];
  return v ? call.read(v) : undefined;
}

function reshapeTo(call: OpCall, x: Tf.Tensor, target: number[], allowZero: boolean): Tf.Tensor {
  const dims = target.map((d, i) => (d === 0 && !allowZero ? (x.shape[i] ?? 0) : d));
  const known = product(dims.filter((d) => d !== -1));
  const inferred = dims.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  return call.tf.reshape(x, inferred);
}

function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** ONNX Slice bounds for one axis, clamped as the operator defines, as stridedSlice arguments. */
function sliceBounds(dim: number, start: number, end: number, step: number): { begin: number; end: number; toStart: boolean } {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { begin: s, end: e, toStart: false };
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  // stridedSlice reads an end of -1 as "the last element"; before index 0 is its end mask.
  return { begin: s, end: e, toStart: e === -1 };
}

async function slice(call: OpCall, inputs: readonly (Value | undefined)[]): Promise<Tf.Tensor> {
  const x = call.native(required(inputs[0], 'data'));
  const rank = x.rank;
  let starts: number[];
  let ends: number[];
  let axes: number[] | undefined;
  let steps: number[] | undefined;
  if (call.opset < 10) {
    starts = call.attrs.ints('starts') ?? [];
    ends = call.attrs.ints('ends') ?? [];
    axes = call.attrs.ints('axes');
  } else {
    starts = await call.read(required(inputs[1], 'starts'));
    ends = await call.read(required(inputs[2], 'ends'));
    axes = inputs[3] ? await call.read(inputs[3]) : undefined;
    steps = inputs[4] ? await call.read(inputs[4]) : undefined;
  }
  const begin = new Array<number>(rank).fill(0);
  const end = [...x.shape];
  const strides = new Array<number>(rank).fill(1);
  let endMask = 0;
  (axes ?? starts.map((_, i) => i)).forEach((a, i) => {
    const axis = normAxis(a, rank);
    const step = steps?.[i] ?? 1;
    if (step === 0) throw new Error('Slice step 0');
    const b = sliceBounds(x.shape[axis] ?? 0, starts[i] ?? 0, ends[i] ?? 0, step);
    begin[axis] = b.begin;
    end[axis] = b.end;
    strides[axis] = step;
    if (b.toStart) endMask |= 1 << axis;
  });
  if (strides.every((s) => s === 1)) {
    return call.tf.slice(x, begin, end.map((e, i) => Math.max(0, e - (begin[i] ?? 0))));
  }
  return call.tf.stridedSlice(x, begin, end, strides, 0, endMask);
}

async function pad(call: OpCall, inputs: readonly (Value | undefined)[]): Promise<Tf.Tensor> {
  const tf = call.tf;
  let x = call.native(required(inputs[0], 'data'));
  const rank = x.rank;
  const mode = call.attrs.string('mode', 'constant');
  let pads: number[];
  let value = 0;
  let axes = [...new Array(rank).keys()];
  if (call.opset < 11) {
    pads = call.attrs.ints('pads') ?? call.attrs.ints('paddings') ?? [];
    value = call.attrs.float('value', 0);
  } else {
    pads = await call.read(required(inputs[1], 'pads'));
    if (inputs[2]) value = (await call.read(inputs[2]))[0] ?? 0;
    if (inputs[3]) axes = (await call.read(inputs[3])).map((a) => normAxis(a, rank));
  }
  const before = new Array<number>(rank).fill(0);
  const after = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => {
    before[a] = pads[i] ?? 0;
    after[a] = pads[i + axes.length] ?? 0;
  });
  if (mode === 'constant') {
    // Negative pads crop.
    if (before.some((p) => p < 0) || after.some((p) => p < 0)) {
      const b = before.map((p) => Math.max(0, -p));
      const size = x.shape.map((d, i) => d - (b[i] ?? 0) - Math.max(0, -(after[i] ?? 0)));
      x = tf.slice(x, b, size);
    }
    return tf.pad(x, before.map((p, i) => [Math.max(0, p), Math.max(0, after[i] ?? 0)] as [number, number]), value);
  }
  // edge and reflect: gather, per padded axis, the source index of every output position.
  for (let axis = 0; axis < rank; axis += 1) {
    const b = before[axis] ?? 0;
    const a = after[axis] ?? 0;
    if (b === 0 && a === 0) continue;
    const dim = x.shape[axis] ?? 0;
    const index: number[] = [];
    for (let o = -b; o < dim + a; o += 1) {
      if (mode === 'edge') index.push(Math.min(Math.max(o, 0), dim - 1));
      else {
        const period = 2 * (dim - 1);
        let r = period === 0 ? 0 : ((o % period) + period) % period;
        if (r >= dim) r = period - r;
        index.push(r);
      }
    }
    x = tf.gather(x, tf.tensor1d(index, 'int32'), axis);
  }
  return x;
}

export const SHAPE_OPS: Record<string, OpDef> = {
  Shape: {
    layoutAware: true,
    run(call, [x]) {
      const shape = logicalShape(required(x, 'data'));
      const rank = shape.length;
      const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + rank : a, 0), rank);
      const start = clampAxis(call.attrs.int('start', 0));
      const end = call.attrs.has('end') ? clampAxis(call.attrs.int('end', rank)) : rank;
      return [{ t: call.tf.tensor1d(shape.slice(start, end), 'int32'), nhwc: false }];
    },
  },
  Size: { layoutAware: true, run: (call, [x]) => [{ t: call.tf.scalar(required(x, 'data').t.size, 'int32'), nhwc: false }] },
  Reshape: tensorOp(async (call, [x], inputs) => {
    const target = call.opset < 5 ? (call.attrs.ints('shape') ?? []) : await call.read(required(inputs[1], 'shape'));
    return reshapeTo(call, required(x, 'data'), target, call.attrs.int('allowzero', 0) === 1);
  }),
  Flatten: tensorOp((call, [x]) => {
    const t = required(x, 'input');
    const axis = call.attrs.int('axis', 1);
    const a = axis < 0 ? axis + t.rank : axis;
    return call.tf.reshape(t, [product(t.shape.slice(0, a)), product(t.shape.slice(a))]);
  }),
  Squeeze: tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'data');
    const axes = (await axesArg(call, inputs, 1, 13))?.map((a) => normAxis(a, t.rank));
    return call.tf.reshape(t, t.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
  }),
  Unsqueeze: tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'data');
    const raw = (await axesArg(call, inputs, 1, 13)) ?? [];
    const rank = t.rank + raw.length;
    const axes = raw.map((a) => normAxis(a, rank));
    const shape: number[] = [];
    let from = 0;
    for (let i = 0; i < rank; i += 1) shape.push(axes.includes(i) ? 1 : (t.shape[from++] ?? 1));
    return call.tf.reshape(t, shape);
  }),
  Transpose: {
    layoutAware: true,
    run(call, [x]) {
      const v = required(x, 'data');
      const rank = v.t.rank;
      const perm = call.attrs.ints('perm') ?? [...new Array(rank).keys()].reverse();
      // Physical permutation from the input as stored to the output in ONNX layout.
      const fromStored = v.nhwc ? perm.map((p) => k_nchw_to_physical[p] ?? p) : perm;
      if (isIdentity(fromStored)) return [{ t: v.t, nhwc: false }];
      if (rank === 4) {
        // Stored channels-last, the output needs no data movement at all (NHWC → "NCHW" of the model's own Transpose).
        const asNhwc = [0, 2, 3, 1].map((i) => fromStored[i] ?? i);
        if (isIdentity(asNhwc)) return [{ t: v.t, nhwc: true }];
      }
      return [{ t: call.tf.transpose(v.t, fromStored), nhwc: false }];
    },
  },
  Concat: {
    layoutAware: true,
    run(call, inputs) {
      const vs = inputs.filter((v): v is Value => v !== undefined);
      const first = required(vs[0], 'inputs');
      const axis = normAxis(call.attrs.int('axis', 0), first.t.rank);
      if (vs.every((v) => v.nhwc)) return [{ t: call.tf.concat(vs.map((v) => v.t), k_nchw_to_physical[axis]), nhwc: true }];
      const ts = vs.map((v) => call.native(v)).filter((t) => t.size > 0 || vs.length === 1);
      return [{ t: ts.length === 1 ? (ts[0] as Tf.Tensor) : call.tf.concat(ts, axis), nhwc: false }];
    },
  },
  Split: tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'input');
    const axis = normAxis(call.attrs.int('axis', 0), t.rank);
    const dim = t.shape[axis] ?? 0;
    let sizes = call.opset < 13 ? call.attrs.ints('split') : inputs[1] ? await call.read(inputs[1]) : undefined;
    if (!sizes) {
      const n = call.attrs.int('num_outputs', call.outputs);
      const each = Math.ceil(dim / n);
      sizes = [...new Array<number>(n).keys()].map((i) => Math.max(0, Math.min(each, dim - i * each)));
    }
    return call.tf.split(t, sizes, axis);
  }),
  Slice: tensorOp((call, _xs, inputs) => slice(call, inputs)),
  Gather: tensorOp((call, [x, idx]) => {
    const t = required(x, 'data');
    const axis = normAxis(call.attrs.int('axis', 0), t.rank);
    const i = required(idx, 'indices').cast('int32');
    const dim = t.shape[axis] ?? 0;
    return call.tf.gather(t, call.tf.where(call.tf.less(i, 0), call.tf.add(i, call.tf.scalar(dim, 'int32')), i), axis);
  }),
  Expand: tensorOp(async (call, [x], inputs) => {
    const t = required(x, 'input');
    return call.tf.broadcastTo(t, broadcastShape(t.shape, await call.read(required(inputs[1], 'shape'))));
  }),
  Tile: tensorOp(async (call, [x], inputs) => call.tf.tile(required(x, 'input'), await call.read(required(inputs[1], 'repeats')))),
  Range: tensorOp(async (call, [s], inputs) => {
    const [start, limit, delta] = await Promise.all([0, 1, 2].map(async (i) => (await call.read(required(inputs[i], 'range')))[0] ?? 0));
    const dtype = required(s, 'start').dtype === 'int32' ? 'int32' : 'float32';
    const n = Math.max(Math.ceil(((limit ?? 0) - (start ?? 0)) / (delta ?? 1)), 0);
    return call.tf.add(call.tf.mul(call.tf.range(0, n, 1, dtype), delta ?? 1), start ?? 0).cast(dtype);
  }),
  ConstantOfShape: tensorOp(async (call, _xs, inputs) => {
    const shape = await call.read(required(inputs[0], 'input'));
    const value = call.attrs.tensor('value');
    const dtype = value?.dtype ?? 'float32';
    return call.tf.fill(shape, value?.data[0] ?? 0, dtype === 'bool' ? 'bool' : dtype);
  }),
  Pad: tensorOp((call, _xs, inputs) => pad(call, inputs)),
};
