/**
 * Floating-point operations per row, counted from an ONNX graph: the work the
 * model asks for, whatever engine runs it. Achieved GFLOP/s (figures.ts) and
 * the roofline divide by it, so every rule is written down here and in
 * `k_flop_rules`, which the results carry beside the count.
 *
 * Shapes are propagated from the graph inputs (the symbolic batch dimension
 * set to 1) through the operators listed below; an operator that is not
 * listed, or a shape that cannot be known, makes the whole count `uncounted`
 * with the reason — never a partial number presented as the total.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { DataType, decodeModel, type ModelProto, type NodeProto, type TensorProto } from './onnx-model-edit';

export interface OperatorFlops {
  opType: string;
  nodes: number;
  /** FLOPs of all nodes of this type, for one row. */
  flops: number;
}

export type FlopCount =
  | {
      state: 'counted';
      /** Total floating-point operations for one row (batch 1). */
      flopsPerRow: number;
      /** Per operator type, largest first (data-movement operators count 0 and are listed too). */
      byOperator: OperatorFlops[];
      /** The counting rules, in words. */
      rules: string;
    }
  | { state: 'uncounted'; reason: string };

/** The rules, as the model card and the results state them. */
export const k_flop_rules =
  'One multiply-add = 2 FLOPs. MatMul/Gemm: 2·M·N·K (+ M·N for a Gemm bias). Conv: 2·Cout·Hout·Wout·(Cin/group)·kh·kw (+ Cout·Hout·Wout for the bias). ' +
  'Elementwise (Add, Mul, Relu, Sigmoid, Clip, …): 1 per output element (per extra input for Sum/Max/Min). BatchNormalization: 2 per element (folded scale and shift). ' +
  'Softmax: 3 per element (exp, sum, divide). MaxPool/AveragePool: kernel size per output element; global pooling: 1 per input element. ' +
  'Data movement (Transpose, Reshape, Flatten, Concat, nearest Resize, Cast, Identity): 0. Counted on the FP32 graph for every cell; per row = the graph with batch 1.';

type Shape = number[];

class Uncountable extends Error {}

const UNARY = new Set(['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Clip', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Erf', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Softplus', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Gelu', 'Mish']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'PRelu']);
const VARIADIC = new Set(['Sum', 'Max', 'Min', 'Mean']);
const IDENTITY = new Set(['Identity', 'Cast', 'Dropout']);

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

function attribute(node: NodeProto, name: string): OnnxTypes.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}
function intAttr(node: NodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i === undefined || a.i === null ? fallback : Number(a.i);
}
function intsAttr(node: NodeProto, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.ints && a.ints.length > 0 ? a.ints.map(Number) : undefined;
}
function stringAttr(node: NodeProto, name: string, fallback: string): string {
  const s = attribute(node, name)?.s;
  return s && s.length > 0 ? new TextDecoder().decode(s) : fallback;
}

/** int64/int32/float values of a small constant tensor (shapes, scales, axes). */
function tensorValues(t: TensorProto): number[] {
  const raw = t.rawData;
  const count = product((t.dims ?? []).map(Number));
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (t.dataType === DataType.INT64) return Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    if (t.dataType === DataType.INT32) return Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    if (t.dataType === DataType.FLOAT) return Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
    return [];
  }
  const asNumber = (x: number | { toNumber(): number }) => (typeof x === 'number' ? x : x.toNumber());
  if (t.dataType === DataType.INT64) return (t.int64Data ?? []).map(asNumber);
  if (t.dataType === DataType.INT32) return [...(t.int32Data ?? [])];
  if (t.dataType === DataType.FLOAT) return [...(t.floatData ?? [])];
  return [];
}

function broadcast(shapes: readonly Shape[], node: NodeProto): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x !== 1 && d !== 1 && x !== d) throw new Uncountable(`${node.opType} "${node.name ?? ''}": shapes [${shapes.map((s) => s.join('×')).join('], [')}] do not broadcast`);
      if (x !== 1) d = x;
    }
    out.push(d);
  }
  return out;
}

/** Output spatial sizes of a sliding window (Conv, pooling), by ONNX's formula. */
function windowOutput(node: NodeProto, spatial: Shape, kernel: Shape): Shape {
  const strides = intsAttr(node, 'strides') ?? spatial.map(() => 1);
  const dilations = intsAttr(node, 'dilations') ?? spatial.map(() => 1);
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const pads = intsAttr(node, 'pads') ?? spatial.flatMap(() => [0, 0]);
  return spatial.map((size, i) => {
    const s = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / s);
    const effective = ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1;
    const padded = autoPad === 'VALID' ? size : size + (pads[i] ?? 0) + (pads[i + spatial.length] ?? 0);
    return Math.floor((padded - effective) / s) + 1;
  });
}

interface NodeCount {
  shape: Shape;
  flops: number;
}

function countNode(node: NodeProto, shapeOf: (i: number) => Shape, constant: (i: number) => number[] | undefined): NodeCount {
  const op = node.opType ?? '';
  const inputs = node.input ?? [];
  const x = () => shapeOf(0);
  if (UNARY.has(op) || IDENTITY.has(op)) return { shape: x(), flops: UNARY.has(op) ? product(x()) : 0 };
  if (BINARY.has(op) || VARIADIC.has(op)) {
    const shapes = inputs.map((_, i) => shapeOf(i));
    const out = broadcast(shapes, node);
    return { shape: out, flops: product(out) * Math.max(1, shapes.length - 1) };
  }
  switch (op) {
    case 'MatMul': {
      let a = shapeOf(0);
      let b = shapeOf(1);
      if (a.length === 1) a = [1, ...a];
      if (b.length === 1) b = [...b, 1];
      const [m, k] = a.slice(-2) as [number, number];
      const [k2, n] = b.slice(-2) as [number, number];
      if (k !== k2) throw new Uncountable(`MatMul "${node.name ?? ''}": inner sizes ${k} and ${k2} differ`);
      const batch = broadcast([a.slice(0, -2), b.slice(0, -2)], node);
      return { shape: [...batch, m, n], flops: 2 * product(batch) * m * n * k };
    }
    case 'Gemm': {
      const a = shapeOf(0);
      const b = shapeOf(1);
      const [m, k] = (intAttr(node, 'transA', 0) ? [a[1], a[0]] : [a[0], a[1]]) as [number, number];
      const n = (intAttr(node, 'transB', 0) ? b[0] : b[1]) as number;
      const bias = inputs.length > 2 && inputs[2] !== '' ? m * n : 0;
      return { shape: [m, n], flops: 2 * m * n * k + bias };
    }
    case 'Conv': {
      const xs = x();
      const w = shapeOf(1);
      const [batch, , ...spatial] = xs as [number, number, ...number[]];
      const [cout, cinPerGroup, ...kernel] = w as [number, number, ...number[]];
      const out = windowOutput(node, spatial, intsAttr(node, 'kernel_shape') ?? kernel);
      const outputs = batch * cout * product(out);
      const bias = inputs.length > 2 && inputs[2] !== '' ? outputs : 0;
      return { shape: [batch, cout, ...out], flops: 2 * outputs * cinPerGroup * product(kernel) + bias };
    }
    case 'BatchNormalization':
      return { shape: x(), flops: 2 * product(x()) };
    case 'Softmax':
    case 'LogSoftmax':
      return { shape: x(), flops: 3 * product(x()) };
    case 'MaxPool':
    case 'AveragePool': {
      const [batch, channels, ...spatial] = x() as [number, number, ...number[]];
      const kernel = intsAttr(node, 'kernel_shape');
      if (!kernel) throw new Uncountable(`${op} "${node.name ?? ''}" has no kernel_shape`);
      const out = [batch, channels, ...windowOutput(node, spatial, kernel)];
      return { shape: out, flops: product(out) * product(kernel) };
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const [batch, channels, ...spatial] = x() as [number, number, ...number[]];
      return { shape: [batch, channels, ...spatial.map(() => 1)], flops: product(x()) };
    }
    case 'Transpose': {
      const s = x();
      const perm = intsAttr(node, 'perm') ?? s.map((_, i) => s.length - 1 - i);
      return { shape: perm.map((p) => s[p] as number), flops: 0 };
    }
    case 'Flatten': {
      const s = x();
      const axis = intAttr(node, 'axis', 1);
      const a = axis < 0 ? axis + s.length : axis;
      return { shape: [product(s.slice(0, a)), product(s.slice(a))], flops: 0 };
    }
    case 'Reshape': {
      const s = x();
      const target = constant(1);
      if (!target) throw new Uncountable(`Reshape "${node.name ?? ''}": its shape is not a constant`);
      const allowZero = intAttr(node, 'allowzero', 0) === 1;
      const dims = target.map((d, i) => (d === 0 && !allowZero ? (s[i] as number) : d));
      const known = product(dims.filter((d) => d !== -1));
      return { shape: dims.map((d) => (d === -1 ? product(s) / known : d)), flops: 0 };
    }
    case 'Concat': {
      const shapes = inputs.map((_, i) => shapeOf(i));
      const first = shapes[0] as Shape;
      const raw = intAttr(node, 'axis', 0);
      const axis = raw < 0 ? raw + first.length : raw;
      const out = [...first];
      out[axis] = shapes.reduce((sum, s) => sum + (s[axis] as number), 0);
      return { shape: out, flops: 0 };
    }
    case 'Resize':
    case 'Upsample': {
      const mode = stringAttr(node, 'mode', 'nearest');
      if (mode !== 'nearest') throw new Uncountable(`${op} "${node.name ?? ''}": mode "${mode}" has no counting rule (only nearest, which moves data)`);
      const s = x();
      const sizes = op === 'Resize' ? constant(3) : undefined;
      const scales = op === 'Resize' ? constant(2) : constant(1);
      if (sizes && sizes.length === s.length) return { shape: sizes, flops: 0 };
      if (scales && scales.length === s.length) return { shape: s.map((d, i) => Math.floor(d * (scales[i] as number))), flops: 0 };
      throw new Uncountable(`${op} "${node.name ?? ''}": neither scales nor sizes is a constant`);
    }
    default:
      throw new Uncountable(`no counting rule for operator ${op}${node.name ? ` ("${node.name}")` : ''}`);
  }
}

/** Each counted operator's share of the FLOPs, largest first, e.g. "Conv 87.0%, MatMul 9.5%" (the results panel and the model card say it so). */
export function flopShares(flops: Extract<FlopCount, { state: 'counted' }>): string {
  return flops.byOperator
    .filter((o) => o.flops > 0)
    .map((o) => `${o.opType} ${((o.flops / flops.flopsPerRow) * 100).toFixed(1)}%`)
    .join(', ');
}

/** Counts one decoded model. */
export function countModelFlops(model: ModelProto): FlopCount {
  const graph = model.graph;
  if (!graph) return { state: 'uncounted', reason: 'the ONNX model has no graph' };
  const shapes = new Map<string, Shape>();
  const constants = new Map<string, number[]>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    shapes.set(name, (t.dims ?? []).map(Number));
    if (t.dataType !== DataType.FLOAT || product((t.dims ?? []).map(Number)) <= 16) constants.set(name, tensorValues(t));
  }
  let rows: number | undefined;
  try {
    for (const input of graph.input ?? []) {
      const name = input.name ?? '';
      if (shapes.has(name)) continue;
      const dims = input.type?.tensorType?.shape?.dim ?? [];
      const shape = dims.map((d, i) => {
        if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) return Number(d.dimValue);
        if (i === 0) return 1; // the batch: one row
        throw new Uncountable(`input "${name}" has a symbolic dimension ${i} (${d.dimParam ?? '?'}) besides the batch`);
      });
      rows ??= shape[0] ?? 1;
      shapes.set(name, shape);
    }
    const totals = new Map<string, OperatorFlops>();
    for (const node of graph.node ?? []) {
      const op = node.opType ?? '';
      if (op === 'Constant') {
        const value = attribute(node, 'value')?.t;
        const out = node.output?.[0] ?? '';
        if (!value) throw new Uncountable(`Constant "${node.name ?? ''}" has no tensor value`);
        shapes.set(out, (value.dims ?? []).map(Number));
        constants.set(out, tensorValues(value));
        continue;
      }
      const inputs = node.input ?? [];
      const shapeOf = (i: number): Shape => {
        const s = shapes.get(inputs[i] ?? '');
        if (!s) throw new Uncountable(`${op} "${node.name ?? ''}": the shape of input ${i} ("${inputs[i] ?? ''}") is unknown`);
        return s;
      };
      const constant = (i: number) => (inputs[i] ? constants.get(inputs[i]) : undefined);
      const { shape, flops } = countNode(node, shapeOf, constant);
      shapes.set(node.output?.[0] ?? '', shape);
      const entry = totals.get(op) ?? { opType: op, nodes: 0, flops: 0 };
      entry.nodes += 1;
      entry.flops += flops;
      totals.set(op, entry);
    }
    const perRow = rows ?? 1;
    const byOperator = [...totals.values()].map((e) => ({ ...e, flops: e.flops / perRow })).sort((a, b) => b.flops - a.flops || a.opType.localeCompare(b.opType));
    return { state: 'counted', flopsPerRow: byOperator.reduce((s, e) => s + e.flops, 0), byOperator, rules: k_flop_rules };
  } catch (error) {
    if (error instanceof Uncountable) return { state: 'uncounted', reason: error.message };
    throw error;
  }
}

/** Counts ONNX bytes. @throws when the bytes are not an ONNX model. */
export function countFlops(onnxBytes: Uint8Array): FlopCount {
  return countModelFlops(decodeModel(onnxBytes));
}
