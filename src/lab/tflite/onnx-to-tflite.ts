/**
 * ONNX → .tflite: the lab's own exporter (the zoo's .tflite variants, and
 * LiteRT cells that read an ONNX file). Writes TFLite builtin operators:
 * FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, ADD, MUL, CONCATENATION,
 * RESHAPE, SOFTMAX, LOGISTIC, RELU, RELU6, HARD_SWISH, AVERAGE_POOL_2D,
 * MAX_POOL_2D, MEAN, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, PAD, TRANSPOSE
 * (plus QUANTIZE/DEQUANTIZE at the edges of an INT8 graph and after float16
 * weights).
 *
 * Layout: TFLite's image operators are NHWC, ONNX's NCHW. Each ONNX value is
 * held either as is (`same`) or, for 4-D values between image operators,
 * channels-last (`nhwc`: the TFLite tensor is the ONNX value transposed by
 * [0, 2, 3, 1]). An ONNX Transpose between the two orders costs nothing (the
 * same tensor, the other layout); a TRANSPOSE is written only where an
 * operator needs the other order (a Reshape, a MatMul, the graph's output).
 * Axes (Concat, Softmax, ReduceMean, Pad) are mapped to the layout.
 *
 * Batch: tensors are written with batch 1 and a shape signature of -1 there
 * (a dynamic batch, as TFLite's converter writes it); RESHAPE keeps -1.
 *
 * Precision: float16 constants (the FP16-storage variant) are stored as
 * FLOAT16 tensors read through DEQUANTIZE (TFLite's FP16 weight format).
 * With `int8` ranges the graph is full-integer (tflite-int8.ts): BatchNormalization
 * folds into the convolution before it, every activation is int8 with its
 * calibrated range (operators that move values without computing share
 * their input's parameters, as TFLite's kernels require), QUANTIZE after the
 * input and DEQUANTIZE before the output keep the interface float32.
 *
 * Anything else throws a TfliteExportError that lists every operator use
 * the exporter lacks.
 */
import { float16Bits } from '../models/float16';
import { TfliteExportError, type TfliteMissing } from './export-errors';
import type { SourceConst, SourceGraph, SourceNode } from './onnx-source';
import { readOnnxSource } from './onnx-source';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from './tflite-format';
import { type BuiltinOptions, builtinOptions } from './tflite-options';
import { float32Bytes, int32Bytes, int8Bytes, type TensorQuantization, TfliteGraph, uint16Bytes } from './tflite-graph';
import { int32Bias, int8ActivationParams, k_int8_probability_params, quantizeInt8, symmetricInt8 } from './tflite-int8';

export interface TfliteExportOptions {
  /** Full-integer INT8 with these activation ranges (ONNX value name → [min, max], min/max calibration). */
  int8?: { ranges: Readonly<Record<string, readonly [number, number]>> };
  /** Written into the model's description. */
  description?: string;
}

export interface TfliteExport {
  bytes: Uint8Array;
  /** TFLite builtin operators written, in first-use order. */
  operators: string[];
  /** ONNX values whose INT8 ranges the export reads (calibrate these). */
  calibrated: string[];
}

type Layout = 'same' | 'nhwc';

/** A value held in a TFLite tensor. `shape` is the ONNX (logical) shape, -1 for the batch. */
interface Act {
  kind: 'act';
  tensor: number;
  layout: Layout;
  shape: number[];
  /** The ONNX value whose calibration range applies. */
  range: string;
}
type Val = Act | ({ kind: 'const' } & SourceConst);

const k_to_nhwc = [0, 2, 3, 1];
const k_to_nchw = [0, 3, 1, 2];
/** ONNX NCHW axis → NHWC axis. */
const k_nhwc_axis = [0, 3, 1, 2];

/** Operator versions TFLite's op_version rules give INT8 kernels (float ones are 1). */
const k_int8_versions: Partial<Record<BuiltinOperator, number>> = {
  [BuiltinOperator.ADD]: 2,
  [BuiltinOperator.AVERAGE_POOL_2D]: 2,
  [BuiltinOperator.CONCATENATION]: 2,
  [BuiltinOperator.CONV_2D]: 3,
  [BuiltinOperator.DEPTHWISE_CONV_2D]: 3,
  [BuiltinOperator.FULLY_CONNECTED]: 4,
  [BuiltinOperator.LOGISTIC]: 2,
  [BuiltinOperator.MAX_POOL_2D]: 2,
  [BuiltinOperator.MEAN]: 2,
  [BuiltinOperator.MUL]: 2,
  [BuiltinOperator.PAD]: 2,
  [BuiltinOperator.RELU]: 2,
  [BuiltinOperator.RELU6]: 2,
  [BuiltinOperator.RESIZE_BILINEAR]: 2,
  [BuiltinOperator.RESIZE_NEAREST_NEIGHBOR]: 2,
  [BuiltinOperator.SOFTMAX]: 2,
  [BuiltinOperator.TRANSPOSE]: 2,
  [BuiltinOperator.DEQUANTIZE]: 2,
};


const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Values laid out as `dims`, permuted by `perm`: out[j…] = in[perm…]. */
export function permute(values: Float32Array, dims: readonly number[], perm: readonly number[]): { values: Float32Array; dims: number[] } {
  const outDims = perm.map((p) => dims[p] ?? 1);
  const inStrides = dims.map((_, i) => product(dims.slice(i + 1)));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outDims.length).fill(0);
  for (let o = 0; o < out.length; o += 1) {
    let src = 0;
    for (let k = 0; k < perm.length; k += 1) src += (index[k] ?? 0) * (inStrides[perm[k] ?? 0] ?? 0);
    out[o] = values[src] ?? 0;
    for (let k = outDims.length - 1; k >= 0; k -= 1) {
      index[k] = (index[k] ?? 0) + 1;
      if ((index[k] ?? 0) < (outDims[k] ?? 1)) break;
      index[k] = 0;
    }
  }
  return { values: out, dims: outDims };
}

interface PendingWeight {
  tensor: number;
  values: Float32Array;
  dims: number[];
  /** Per output channel along this axis, or per tensor. */
  axis: number;
  perChannel: boolean;
}

interface PendingBias {
  tensor: number;
  values: Float32Array;
  input: number;
  weight: number;
}

class Converter {
  readonly graph = new TfliteGraph();
  private readonly values = new Map<string, Val>();
  private readonly missing: TfliteMissing[] = [];
  private readonly relayout = new Map<string, Act>();
  /** INT8: activation tensors with the range they take (or fixed parameters), tensors tied to share parameters, weights waiting for scales. */
  private readonly activations = new Map<number, string | TensorQuantization>();
  private readonly tied: [number, number][] = [];
  private readonly weights: PendingWeight[] = [];
  private readonly biases: PendingBias[] = [];
  private readonly floatConsts: { tensor: number; values: Float32Array }[] = [];
  /** Nodes already written as part of another (a ReLU fused into its producer, a BatchNormalization folded into its convolution). */
  private readonly consumed = new Set<SourceNode>();

  constructor(
    private readonly source: SourceGraph,
    readonly int8: TfliteExportOptions['int8'],
  ) {}

  get opset(): number {
    return this.source.opset;
  }

  markConsumed(node: SourceNode): void {
    this.consumed.add(node);
  }

  isConsumed(node: SourceNode): boolean {
    return this.consumed.has(node);
  }

  /** The ONNX values whose calibration ranges the activations take. */
  rangeNames(): string[] {
    return [...new Set([...this.activations.values()].filter((r): r is string => typeof r === 'string'))];
  }

  fail(op: string, reason?: string): undefined {
    if (!this.missing.some((m) => m.op === op && m.reason === reason)) this.missing.push(reason ? { op, reason } : { op });
    return undefined;
  }

  problems(): TfliteMissing[] {
    return this.missing;
  }

  // ---- tensors

  private physical(shape: readonly number[], layout: Layout): number[] {
    return layout === 'nhwc' ? k_to_nhwc.map((p) => shape[p] ?? 1) : [...shape];
  }

  newAct(name: string, shape: number[], layout: Layout, range = name): Act {
    const phys = this.physical(shape, layout);
    const tensor = this.graph.addTensor({ name, shape: phys.map((d) => (d < 0 ? 1 : d)), signature: phys, type: TensorType.FLOAT32 });
    this.activations.set(tensor, range);
    return { kind: 'act', tensor, layout, shape, range };
  }

  /** A float constant tensor (FLOAT16 + DEQUANTIZE for float16 constants), or an INT8 one if `int8` applies. */
  constTensor(name: string, values: Float32Array, dims: number[], float16: boolean): number {
    if (float16) {
      const half = this.graph.addTensor({ name: `${name}/float16`, shape: dims, type: TensorType.FLOAT16, data: uint16Bytes(Array.from(values, float16Bits)) });
      const full = this.graph.addTensor({ name, shape: dims, type: TensorType.FLOAT32 });
      // FLOAT16 input: DEQUANTIZE version 3.
      this.graph.addOperator(BuiltinOperator.DEQUANTIZE, [half], [full], undefined, 3, true);
      return full;
    }
    if (this.int8) {
      const tensor = this.graph.addTensor({ name, shape: dims, type: TensorType.FLOAT32 });
      this.floatConsts.push({ tensor, values });
      return tensor;
    }
    return this.graph.addTensor({ name, shape: dims, type: TensorType.FLOAT32, data: float32Bytes(values) });
  }

  intConst(name: string, values: number[]): number {
    return this.graph.addTensor({ name, shape: [values.length], type: TensorType.INT32, data: int32Bytes(values) });
  }

  /** A weight tensor: float (or float16) as is; INT8: symmetric codes written at the end. */
  weightTensor(name: string, values: Float32Array, dims: number[], float16: boolean, axis: number, perChannel: boolean): number {
    if (!this.int8) return this.constTensor(name, values, dims, float16);
    const tensor = this.graph.addTensor({ name, shape: dims, type: TensorType.INT8 });
    this.weights.push({ tensor, values, dims, axis, perChannel });
    return tensor;
  }

  biasTensor(name: string, values: Float32Array, float16: boolean, input: number, weight: number): number {
    if (!this.int8) return this.constTensor(name, values, [values.length], float16);
    const tensor = this.graph.addTensor({ name, shape: [values.length], type: TensorType.INT32 });
    this.biases.push({ tensor, values, input, weight });
    return tensor;
  }

  // ---- values

  value(name: string): Val | undefined {
    const v = this.values.get(name);
    if (v) return v;
    const c = this.source.consts.get(name);
    return c ? { kind: 'const', ...c } : undefined;
  }

  set(name: string, v: Val): void {
    this.values.set(name, v);
  }

  act(name: string, op: string): Act | undefined {
    const v = this.value(name);
    if (v?.kind === 'act') return v;
    return this.fail(op, v ? `constant input "${name}" where a computed value is expected` : `input "${name}" is not produced by anything the exporter wrote`);
  }

  /** The value in `layout`, with a TRANSPOSE written once per value when it is held in the other. */
  inLayout(a: Act, layout: Layout): Act {
    if (a.layout === layout || a.shape.length !== 4) return a;
    const key = `${a.tensor}:${layout}`;
    const cached = this.relayout.get(key);
    if (cached) return cached;
    const out = this.newAct(`${this.graph.tensor(a.tensor).name || 'value'}/${layout === 'nhwc' ? 'to_NHWC' : 'to_NCHW'}`, a.shape, layout, a.range);
    this.graph.addOperator(BuiltinOperator.TRANSPOSE, [a.tensor, this.intConst('perm', layout === 'nhwc' ? k_to_nhwc : k_to_nchw)], [out.tensor]);
    this.tie(a.tensor, out.tensor);
    this.relayout.set(key, out);
    return out;
  }

  tie(a: number, b: number): void {
    this.tied.push([a, b]);
  }

  fixed(tensor: number, q: TensorQuantization): void {
    this.activations.set(tensor, q);
  }

  /** The ONNX node that reads `name`, when it is the only reader and is `opType` (fusions). */
  onlyReader(name: string, ...opTypes: string[]): SourceNode | undefined {
    if ((this.source.readers.get(name) ?? 0) !== 1) return undefined;
    const node = this.source.nodes.find((n) => n.inputs.includes(name));
    return node && opTypes.includes(node.opType) && !this.consumed.has(node) ? node : undefined;
  }

  /** A ReLU or ReLU6 right after `name` as a fused activation: the node (consumed) and the function. */
  fusedActivation(name: string): { node?: SourceNode; fn: ActivationFunctionType; output: string } {
    const next = this.onlyReader(name, 'Relu', 'Clip');
    if (!next) return { fn: ActivationFunctionType.NONE, output: name };
    const fn = next.opType === 'Relu' ? ActivationFunctionType.RELU : this.clipActivation(next);
    if (fn === undefined) return { fn: ActivationFunctionType.NONE, output: name };
    this.consumed.add(next);
    return { node: next, fn, output: next.outputs[0] ?? name };
  }

  clipActivation(node: SourceNode): ActivationFunctionType | undefined {
    const lo = node.attrs.has('min') ? node.attrs.float('min', 0) : this.value(node.inputs[1] ?? '')?.kind === 'const' ? (this.source.consts.get(node.inputs[1] ?? '')?.values[0] ?? Number.NaN) : Number.NaN;
    const hi = node.attrs.has('max') ? node.attrs.float('max', 0) : this.source.consts.get(node.inputs[2] ?? '')?.values[0] ?? Number.NaN;
    return lo === 0 && hi === 6 ? ActivationFunctionType.RELU6 : undefined;
  }

  // ---- finishing

  /** INT8: parameters for every activation (tied groups share the union of their ranges), then the weights and biases. */
  quantize(input: number, output: number): void {
    const ranges = this.int8?.ranges;
    if (!ranges) return;
    const parent = new Map<number, number>();
    const find = (t: number): number => {
      let r = t;
      while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) ?? r;
      return r;
    };
    for (const [a, b] of this.tied) parent.set(find(b), find(a));
    const groups = new Map<number, number[]>();
    for (const t of this.activations.keys()) groups.set(find(t), [...(groups.get(find(t)) ?? []), t]);
    const params = new Map<number, TensorQuantization>();
    for (const members of groups.values()) {
      const fixedParams = members.map((m) => this.activations.get(m)).find((r): r is TensorQuantization => typeof r === 'object');
      // Members that move values (a RESHAPE's output, a TRANSPOSE for layout) need no range of their own when the group has one.
      let lo = Infinity;
      let hi = -Infinity;
      const unranged: string[] = [];
      for (const m of members) {
        const r = this.activations.get(m);
        if (typeof r !== 'string') continue;
        const range = ranges[r];
        if (range === undefined) {
          unranged.push(r);
          continue;
        }
        lo = Math.min(lo, range[0]);
        hi = Math.max(hi, range[1]);
      }
      if (!fixedParams && !Number.isFinite(lo)) for (const r of unranged) this.fail('(calibration)', `no INT8 range for "${r}"`);
      const q = fixedParams ?? (Number.isFinite(lo) ? int8ActivationParams(lo, hi) : undefined);
      if (q) for (const m of members) params.set(m, q);
    }
    for (const [tensor, q] of params) this.graph.setType(tensor, TensorType.INT8, q);
    for (const w of this.weights) {
      const { codes, quantization } = symmetricInt8(w.values, w.dims, w.axis, w.perChannel);
      this.graph.setData(w.tensor, TensorType.INT8, int8Bytes(codes), quantization);
    }
    for (const b of this.biases) {
      const inputScale = params.get(b.input)?.scale[0] ?? 1;
      const weightScales = this.graph.tensor(b.weight).quantization?.scale ?? [1];
      const { codes, quantization } = int32Bias(b.values, inputScale, weightScales);
      this.graph.setData(b.tensor, TensorType.INT32, int32Bytes(codes), quantization);
    }
    for (const c of this.floatConsts) {
      // A constant operand of ADD/MUL: int8 over its own range.
      let lo = 0;
      let hi = 0;
      for (const v of c.values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const q = int8ActivationParams(lo, hi);
      this.graph.setData(c.tensor, TensorType.INT8, int8Bytes(quantizeInt8(c.values, q)), q);
    }
    // Float interface: QUANTIZE after the input, DEQUANTIZE before the output.
    const inQ = params.get(input);
    const outQ = params.get(output);
    if (!inQ || !outQ) return;
    this.graph.setType(input, TensorType.FLOAT32);
    this.graph.setType(output, TensorType.FLOAT32);
    const qIn = this.graph.addTensor({ name: 'input/quantized', shape: [...this.graph.tensor(input).shape], signature: this.signatureOf(input), type: TensorType.INT8, quantization: inQ });
    const qOut = this.graph.addTensor({ name: 'output/quantized', shape: [...this.graph.tensor(output).shape], signature: this.signatureOf(output), type: TensorType.INT8, quantization: outQ });
    const ops = this.graph.operatorList();
    ops.forEach((o) => {
      o.inputs.forEach((t, i) => {
        if (t === input) o.inputs[i] = qIn;
      });
      o.outputs.forEach((t, i) => {
        if (t === output) o.outputs[i] = qOut;
      });
    });
    this.graph.addOperator(BuiltinOperator.QUANTIZE, [input], [qIn], undefined, 1, true);
    this.graph.addOperator(BuiltinOperator.DEQUANTIZE, [qOut], [output], undefined, 2);
    this.graph.operatorList().forEach((o, position) => {
      if (o.op === BuiltinOperator.QUANTIZE && o.inputs[0] === input) return;
      const version = k_int8_versions[o.op];
      if (version !== undefined && !(o.op === BuiltinOperator.DEQUANTIZE && this.graph.tensor(o.inputs[0] ?? 0).type === TensorType.FLOAT16)) this.graph.setOperatorVersion(position, version);
    });
  }

  private signatureOf(index: number): number[] | undefined {
    const t = this.graph.tensor(index);
    return t.shapeSignature === undefined ? undefined : [...t.shapeSignature];
  }
}

// ---- operators

type Handler = (c: Converter, node: SourceNode) => void;

/** SAME or VALID padding for ONNX pads, or undefined when neither matches (then a PAD is written first). */
function tfPadding(inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, pads: readonly number[]): Padding | undefined {
  if (pads.every((p) => p === 0)) return Padding.VALID;
  const same = (size: number, k: number, s: number) => {
    const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [t, b] = same(inH, kH, sH);
  const [l, r] = same(inW, kW, sW);
  return pads[0] === t && pads[1] === l && pads[2] === b && pads[3] === r ? Padding.SAME : undefined;
}

/** Explicit pads [top, left, bottom, right] of a 2-D window operator, from `pads` or `auto_pad`. */
function windowPads(node: SourceNode, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number): number[] | undefined {
  const auto = node.attrs.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto === 'SAME_UPPER') {
    const same = (size: number, k: number, s: number) => {
      const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    };
    const [t, b] = same(inH, kH, sH);
    const [l, r] = same(inW, kW, sW);
    return [t ?? 0, l ?? 0, b ?? 0, r ?? 0];
  }
  if (auto !== 'NOTSET') return undefined;
  const pads = node.attrs.ints('pads') ?? [0, 0, 0, 0];
  return pads.length === 4 ? pads : undefined;
}

const outSize = (size: number, k: number, s: number, begin: number, end: number) => Math.floor((size + begin + end - k) / s) + 1;

/** A PAD before a window operator whose pads are neither SAME nor VALID. */
function padFirst(c: Converter, x: Act, pads: readonly number[], name: string): Act {
  const [t = 0, l = 0, b = 0, r = 0] = pads;
  const shape = [x.shape[0] ?? -1, x.shape[1] ?? 1, (x.shape[2] ?? 0) + t + b, (x.shape[3] ?? 0) + l + r];
  const out = c.newAct(`${name}/pad`, shape, 'nhwc', x.range);
  const paddings = c.graph.addTensor({ name: `${name}/paddings`, shape: [4, 2], type: TensorType.INT32, data: int32Bytes([0, 0, t, b, l, r, 0, 0]) });
  c.graph.addOperator(BuiltinOperator.PAD, [x.tensor, paddings], [out.tensor]);
  c.tie(x.tensor, out.tensor);
  return out;
}

function conv(c: Converter, node: SourceNode): void {
  const xin = c.act(node.inputs[0] ?? '', 'Conv');
  const w = c.value(node.inputs[1] ?? '');
  const b = node.inputs[2] ? c.value(node.inputs[2]) : undefined;
  if (!xin) return;
  if (w?.kind !== 'const' || (b !== undefined && b.kind !== 'const')) return void c.fail('Conv', 'weights and bias must be constants');
  if (xin.shape.length !== 4 || w.dims.length !== 4) return void c.fail('Conv', `${xin.shape.length - 2}-D convolution (only 2-D)`);
  const dil = node.attrs.ints('dilations') ?? [1, 1];
  const [sH = 1, sW = 1] = node.attrs.ints('strides') ?? [1, 1];
  const group = node.attrs.int('group', 1);
  const [outC = 0, inPerGroup = 0, kH = 0, kW = 0] = w.dims;
  let x = c.inLayout(xin, 'nhwc');
  const [n = -1, inC = 0, inH = 0, inW = 0] = x.shape;
  const pads = windowPads(node, inH, inW, kH, kW, sH, sW);
  if (!pads) return void c.fail('Conv', `auto_pad ${node.attrs.string('auto_pad', '')}`);
  const depthwise = group > 1 && group === inC && inPerGroup === 1;
  if (group !== 1 && !depthwise) return void c.fail('Conv', `group ${group} (only 1, or depthwise)`);
  let padding = tfPadding(inH, inW, kH, kW, sH, sW, pads);
  const outH = outSize(inH, kH, sH, pads[0] ?? 0, pads[2] ?? 0);
  const outW = outSize(inW, kW, sW, pads[1] ?? 0, pads[3] ?? 0);
  if (padding === undefined) {
    x = padFirst(c, x, pads, node.name);
    padding = Padding.VALID;
  }

  // A BatchNormalization right after (INT8 only: TFLite's converter folds it; FP32/FP16 write it as MUL + ADD, exactly as ONNX computes it).
  let weights = w.values;
  let bias = b?.kind === 'const' ? b.values : new Float32Array(outC);
  let last = node.outputs[0] ?? '';
  const bn = c.int8 ? c.onlyReader(last, 'BatchNormalization') : undefined;
  if (bn) {
    const folded = foldBatchNorm(c, bn, weights, bias, outC);
    if (folded) {
      ({ weights, bias } = folded);
      c.markConsumed(bn);
      last = bn.outputs[0] ?? last;
    }
  }
  const act = c.fusedActivation(last);
  const out = c.newAct(act.output, [n, outC, outH, outW], 'nhwc');
  const float16 = w.float16;
  if (depthwise) {
    // ONNX [C·m, 1, kH, kW] → TFLite [1, kH, kW, C·m].
    const p = permute(weights, w.dims, [1, 2, 3, 0]);
    const wt = c.weightTensor(`${node.name}/depthwise_kernel`, p.values, p.dims, float16, 3, true);
    const bt = c.biasTensor(`${node.name}/bias`, bias, b?.kind === 'const' && b.float16, x.tensor, wt);
    const o = builtinOptions('DepthwiseConv2DOptions', { padding, strideW: sW, strideH: sH, depthMultiplier: outC / inC, fusedActivationFunction: act.fn, dilationWFactor: dil[1] ?? 1, dilationHFactor: dil[0] ?? 1 });
    c.graph.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, [x.tensor, wt, bt], [out.tensor], o, 2);
  } else {
    // ONNX OIHW → TFLite OHWI.
    const p = permute(weights, w.dims, [0, 2, 3, 1]);
    const wt = c.weightTensor(`${node.name}/kernel`, p.values, p.dims, float16, 0, true);
    const bt = c.biasTensor(`${node.name}/bias`, bias, b?.kind === 'const' && b.float16, x.tensor, wt);
    const o = builtinOptions('Conv2DOptions', { padding, strideW: sW, strideH: sH, fusedActivationFunction: act.fn, dilationWFactor: dil[1] ?? 1, dilationHFactor: dil[0] ?? 1 });
    c.graph.addOperator(BuiltinOperator.CONV_2D, [x.tensor, wt, bt], [out.tensor], o);
  }
  c.set(act.output, out);
}

/** Conv weights and bias with a following BatchNormalization folded in (per output channel scale and shift). */
function foldBatchNorm(c: Converter, bn: SourceNode, weights: Float32Array, bias: Float32Array, outC: number): { weights: Float32Array; bias: Float32Array } | undefined {
  const [gamma, beta, mean, variance] = bn.inputs.slice(1, 5).map((i) => c.value(i));
  if (gamma?.kind !== 'const' || beta?.kind !== 'const' || mean?.kind !== 'const' || variance?.kind !== 'const') return undefined;
  const eps = bn.attrs.float('epsilon', 1e-5);
  const per = weights.length / outC;
  const w = new Float32Array(weights.length);
  const b = new Float32Array(outC);
  for (let o = 0; o < outC; o += 1) {
    const scale = (gamma.values[o] ?? 1) / Math.sqrt((variance.values[o] ?? 1) + eps);
    for (let i = 0; i < per; i += 1) w[o * per + i] = (weights[o * per + i] ?? 0) * scale;
    b[o] = ((bias[o] ?? 0) - (mean.values[o] ?? 0)) * scale + (beta.values[o] ?? 0);
  }
  return { weights: w, bias: b };
}

/** MatMul (+ a following Add of a constant bias) or Gemm → FULLY_CONNECTED. */
function fullyConnected(c: Converter, node: SourceNode): void {
  const op = node.opType;
  const xin = c.act(node.inputs[0] ?? '', op);
  const w = c.value(node.inputs[1] ?? '');
  if (!xin) return;
  if (w?.kind !== 'const' || w.dims.length !== 2) return void c.fail(op, 'the second input must be a constant 2-D matrix');
  if (xin.shape.length !== 2) return void c.fail(op, `a ${xin.shape.length}-D input (only 2-D)`);
  const x = c.inLayout(xin, 'same');
  let bias: { values: Float32Array; float16: boolean } | undefined;
  let last = node.outputs[0] ?? '';
  let kernel: { values: Float32Array; dims: number[] };
  if (op === 'Gemm') {
    if (node.attrs.int('transA', 0) !== 0) return void c.fail('Gemm', 'transA');
    const alpha = node.attrs.float('alpha', 1);
    const beta = node.attrs.float('beta', 1);
    const oriented = node.attrs.int('transB', 0) === 1 ? { values: w.values, dims: w.dims } : permute(w.values, w.dims, [1, 0]);
    kernel = alpha === 1 ? oriented : { values: oriented.values.map((v) => Math.fround(v * alpha)), dims: oriented.dims };
    const cv = node.inputs[2] ? c.value(node.inputs[2]) : undefined;
    if (cv !== undefined) {
      if (cv.kind !== 'const' || cv.values.length !== kernel.dims[0]) return void c.fail('Gemm', 'C must be a constant vector of the output width');
      bias = { values: beta === 1 ? cv.values : cv.values.map((v) => Math.fround(v * beta)), float16: cv.float16 };
    }
  } else {
    kernel = permute(w.values, w.dims, [1, 0]);
    const add = c.onlyReader(last, 'Add');
    const other = add?.inputs.find((i) => i !== last);
    const cv = other === undefined ? undefined : c.value(other);
    if (add && cv?.kind === 'const' && cv.values.length === kernel.dims[0]) {
      bias = { values: cv.values, float16: cv.float16 };
      c.markConsumed(add);
      last = add.outputs[0] ?? last;
    }
  }
  const outDim = kernel.dims[0] ?? 0;
  const act = c.fusedActivation(last);
  const out = c.newAct(act.output, [x.shape[0] ?? -1, outDim], 'same');
  const wt = c.weightTensor(`${node.name}/weights`, kernel.values, kernel.dims, w.float16, 0, false);
  const inputs = [x.tensor, wt];
  if (bias) inputs.push(c.biasTensor(`${node.name}/bias`, bias.values, bias.float16, x.tensor, wt));
  c.graph.addOperator(BuiltinOperator.FULLY_CONNECTED, inputs, [out.tensor], builtinOptions('FullyConnectedOptions', { fusedActivationFunction: act.fn }));
  c.set(act.output, out);
}

/** A constant operand of an elementwise operator in the layout of the other operand (NCHW per-channel [C,1,1] → [C]). */
function broadcastConst(k: SourceConst, other: Act): { values: Float32Array; dims: number[] } | undefined {
  const rank = other.shape.length;
  const dims = [...new Array<number>(Math.max(0, rank - k.dims.length)).fill(1), ...k.dims];
  if (dims.length !== rank) return undefined;
  if (other.layout === 'nhwc') {
    const p = permute(k.values, dims, k_to_nhwc);
    return { values: p.values, dims: p.dims };
  }
  return { values: k.values, dims };
}

function elementwise(c: Converter, node: SourceNode): void {
  const op = node.opType === 'Add' ? BuiltinOperator.ADD : BuiltinOperator.MUL;
  const [a, b] = node.inputs.map((i) => c.value(i));
  if (!a || !b) return void c.fail(node.opType, 'an input is not produced by anything the exporter wrote');
  let inputs: number[];
  let like: Act;
  if (a.kind === 'act' && b.kind === 'act') {
    like = a.shape.length === 4 && b.shape.length === 4 ? a : c.inLayout(a, 'same');
    const bb = c.inLayout(b, like.layout);
    if (bb.shape.length !== like.shape.length) return void c.fail(node.opType, 'operands of different ranks');
    inputs = [like.tensor, bb.tensor];
  } else {
    const actual = a.kind === 'act' ? a : b.kind === 'act' ? b : undefined;
    const k = a.kind === 'const' ? a : b.kind === 'const' ? b : undefined;
    if (!actual || !k) return void c.fail(node.opType, 'two constant operands');
    like = actual;
    const laid = broadcastConst(k, like);
    if (!laid) return void c.fail(node.opType, 'a constant operand of higher rank');
    const kt = c.constTensor(`${node.name}/constant`, laid.values, laid.dims, k.float16);
    inputs = a.kind === 'act' ? [like.tensor, kt] : [kt, like.tensor];
  }
  const act = c.fusedActivation(node.outputs[0] ?? '');
  const other = b.kind === 'act' && a.kind === 'act' ? b.shape : like.shape;
  const out = c.newAct(act.output, like.shape.map((d, i) => (d === 1 ? (other[i] ?? d) : d)), like.layout);
  const o = op === BuiltinOperator.ADD ? builtinOptions('AddOptions', { fusedActivationFunction: act.fn }) : builtinOptions('MulOptions', { fusedActivationFunction: act.fn });
  c.graph.addOperator(op, inputs, [out.tensor], o);
  c.set(act.output, out);
}

/** An operator with one input and one output of the same shape and layout. */
function unary(op: BuiltinOperator, fixed?: TensorQuantization): Handler {
  return (c, node) => {
    const x = c.act(node.inputs[0] ?? '', node.opType);
    if (!x) return;
    const out = c.newAct(node.outputs[0] ?? '', x.shape, x.layout);
    c.graph.addOperator(op, [x.tensor], [out.tensor]);
    if (fixed) c.fixed(out.tensor, fixed);
    c.set(node.outputs[0] ?? '', out);
  };
}

function clip(c: Converter, node: SourceNode): void {
  if (c.clipActivation(node) !== ActivationFunctionType.RELU6) return void c.fail('Clip', 'only Clip(0, 6) (RELU6)');
  unary(BuiltinOperator.RELU6)(c, node);
}

/** The TFLite axis of ONNX axis `axis` of a value held in `a`'s layout. */
function mappedAxis(a: Act, axis: number): number {
  const rank = a.shape.length;
  const positive = axis < 0 ? axis + rank : axis;
  return a.layout === 'nhwc' ? (k_nhwc_axis[positive] ?? positive) : positive;
}

function softmax(c: Converter, node: SourceNode): void {
  const x = c.act(node.inputs[0] ?? '', 'Softmax');
  if (!x) return;
  const axis = mappedAxis(x, node.attrs.int('axis', c.opset >= 13 ? -1 : 1));
  if (axis !== x.shape.length - 1) return void c.fail('Softmax', 'over an axis that is not the last');
  if (c.opset < 13 && x.shape.length !== 2) return void c.fail('Softmax', 'opset < 13 (coerced to 2-D) on more than 2 dimensions');
  const out = c.newAct(node.outputs[0] ?? '', x.shape, x.layout);
  c.graph.addOperator(BuiltinOperator.SOFTMAX, [x.tensor], [out.tensor], builtinOptions('SoftmaxOptions', { beta: 1 }));
  c.fixed(out.tensor, k_int8_probability_params);
  c.set(node.outputs[0] ?? '', out);
}

function concat(c: Converter, node: SourceNode): void {
  const parts = node.inputs.map((i) => c.act(i, 'Concat'));
  if (parts.some((p) => p === undefined)) return;
  const acts = parts as Act[];
  const layout: Layout = acts.every((a) => a.shape.length === 4) ? (acts[0]?.layout ?? 'same') : 'same';
  const laid = acts.map((a) => c.inLayout(a, layout));
  const first = laid[0];
  if (!first) return void c.fail('Concat', 'no inputs');
  const axis = node.attrs.int('axis', 1);
  const positive = axis < 0 ? axis + first.shape.length : axis;
  const shape = first.shape.map((d, i) => (i === positive ? laid.reduce((n, a) => n + (a.shape[i] ?? 0), 0) : d));
  const act = c.fusedActivation(node.outputs[0] ?? '');
  const out = c.newAct(act.output, shape, layout);
  c.graph.addOperator(BuiltinOperator.CONCATENATION, laid.map((a) => a.tensor), [out.tensor], builtinOptions('ConcatenationOptions', { axis: mappedAxis(first, axis), fusedActivationFunction: act.fn }));
  // TFLite's int8 concatenation copies codes: inputs and output share one set of parameters.
  for (const a of laid) c.tie(a.tensor, out.tensor);
  c.set(act.output, out);
}

/** Reshape / Flatten: RESHAPE on the value in ONNX order, the batch kept dynamic (-1). */
function reshape(c: Converter, node: SourceNode): void {
  const xin = c.act(node.inputs[0] ?? '', node.opType);
  if (!xin) return;
  const x = c.inLayout(xin, 'same');
  let shape: number[];
  if (node.opType === 'Flatten') {
    const axis = node.attrs.int('axis', 1);
    if (axis !== 1) return void c.fail('Flatten', `axis ${axis} (only 1)`);
    shape = [-1, product(x.shape.slice(1))];
  } else {
    const target = c.value(node.inputs[1] ?? '');
    if (target?.kind !== 'const' || !target.ints) return void c.fail('Reshape', 'a computed shape (only a constant one)');
    if (node.attrs.int('allowzero', 0) !== 0) return void c.fail('Reshape', 'allowzero');
    const ints = target.ints.map((d, i) => (d === 0 ? (x.shape[i] ?? 0) : d));
    const known = product(x.shape.slice(1));
    if ((ints[0] === -1 || ints[0] === x.shape[0]) && product(ints.slice(1)) === known) shape = [-1, ...ints.slice(1)];
    else return void c.fail('Reshape', 'a reshape that moves the batch dimension');
  }
  const out = c.newAct(node.outputs[0] ?? '', shape, 'same');
  c.graph.addOperator(BuiltinOperator.RESHAPE, [x.tensor, c.intConst(`${node.name}/shape`, shape)], [out.tensor], builtinOptions('ReshapeOptions', { newShape: shape }));
  c.tie(x.tensor, out.tensor);
  c.set(node.outputs[0] ?? '', out);
}

function transpose(c: Converter, node: SourceNode): void {
  const x = c.act(node.inputs[0] ?? '', 'Transpose');
  if (!x) return;
  const rank = x.shape.length;
  const perm = node.attrs.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const shape = perm.map((p) => x.shape[p] ?? 1);
  const name = node.outputs[0] ?? '';
  // NCHW ⇄ NHWC on a value: the same tensor in the other layout, no operator.
  if (rank === 4 && x.layout === 'same' && perm.join() === k_to_nchw.join()) return c.set(name, { ...x, layout: 'nhwc', shape });
  if (rank === 4 && x.layout === 'nhwc' && perm.join() === k_to_nhwc.join()) return c.set(name, { ...x, layout: 'same', shape });
  if (perm[0] !== 0) return void c.fail('Transpose', 'a permutation that moves the batch dimension');
  const y = c.inLayout(x, 'same');
  const out = c.newAct(name, shape, 'same');
  c.graph.addOperator(BuiltinOperator.TRANSPOSE, [y.tensor, c.intConst(`${node.name}/perm`, perm)], [out.tensor]);
  c.tie(y.tensor, out.tensor);
  c.set(name, out);
}

function pool(c: Converter, node: SourceNode): void {
  const max = node.opType === 'MaxPool';
  const xin = c.act(node.inputs[0] ?? '', node.opType);
  if (!xin) return;
  if (xin.shape.length !== 4) return void c.fail(node.opType, 'only 2-D pooling');
  if (node.attrs.int('ceil_mode', 0) !== 0) return void c.fail(node.opType, 'ceil_mode');
  if ((node.attrs.ints('dilations') ?? [1, 1]).some((d) => d !== 1)) return void c.fail(node.opType, 'dilations');
  if (node.outputs.length > 1 && node.outputs[1]) return void c.fail(node.opType, 'the Indices output');
  const x = c.inLayout(xin, 'nhwc');
  const [kH = 1, kW = 1] = node.attrs.ints('kernel_shape') ?? [];
  const [sH = 1, sW = 1] = node.attrs.ints('strides') ?? [1, 1];
  const [n = -1, ch = 0, inH = 0, inW = 0] = x.shape;
  const pads = windowPads(node, inH, inW, kH, kW, sH, sW);
  if (!pads) return void c.fail(node.opType, 'auto_pad');
  const padding = tfPadding(inH, inW, kH, kW, sH, sW, pads);
  // TFLite's SAME average excludes padding from the count, which is ONNX's count_include_pad 0; other pads cannot be written.
  if (padding === undefined) return void c.fail(node.opType, `pads [${pads.join(', ')}] (only SAME or VALID)`);
  if (!max && padding === Padding.SAME && pads.some((p) => p > 0) && node.attrs.int('count_include_pad', 0) !== 0) return void c.fail('AveragePool', 'count_include_pad with padding');
  const act = c.fusedActivation(node.outputs[0] ?? '');
  const out = c.newAct(act.output, [n, ch, outSize(inH, kH, sH, pads[0] ?? 0, pads[2] ?? 0), outSize(inW, kW, sW, pads[1] ?? 0, pads[3] ?? 0)], 'nhwc');
  c.graph.addOperator(max ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D, [x.tensor], [out.tensor], builtinOptions('Pool2DOptions', { padding, strideW: sW, strideH: sH, filterWidth: kW, filterHeight: kH, fusedActivationFunction: act.fn }));
  c.tie(x.tensor, out.tensor);
  c.set(act.output, out);
}

/** ReduceMean and GlobalAveragePool → MEAN. */
function mean(c: Converter, node: SourceNode): void {
  const global = node.opType === 'GlobalAveragePool';
  const xin = c.act(node.inputs[0] ?? '', node.opType);
  if (!xin) return;
  const x = global ? c.inLayout(xin, 'nhwc') : xin;
  const rank = x.shape.length;
  let axes = global ? [2, 3] : (node.attrs.ints('axes') ?? constInts(c, node.inputs[1]) ?? Array.from({ length: rank }, (_, i) => i));
  axes = axes.map((a) => (a < 0 ? a + rank : a));
  if (axes.includes(0)) return void c.fail(node.opType, 'a mean over the batch');
  const keep = global || node.attrs.int('keepdims', 1) === 1;
  if (!keep && x.layout === 'nhwc') return void c.fail(node.opType, 'keepdims 0 on a channels-first image value');
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const out = c.newAct(node.outputs[0] ?? '', shape, x.layout);
  c.graph.addOperator(BuiltinOperator.MEAN, [x.tensor, c.intConst(`${node.name}/axes`, axes.map((a) => mappedAxis(x, a)))], [out.tensor], builtinOptions('ReducerOptions', { keepDims: keep }));
  c.set(node.outputs[0] ?? '', out);
}

function resize(c: Converter, node: SourceNode): void {
  const xin = c.act(node.inputs[0] ?? '', node.opType);
  if (!xin) return;
  if (xin.shape.length !== 4) return void c.fail(node.opType, 'only 4-D images');
  const x = c.inLayout(xin, 'nhwc');
  const mode = node.attrs.string('mode', 'nearest');
  const transform = node.attrs.string('coordinate_transformation_mode', node.opType === 'Upsample' ? 'asymmetric' : 'half_pixel');
  const [, , inH = 0, inW = 0] = x.shape;
  const scalesVal = c.value(node.inputs[node.opType === 'Upsample' ? 1 : 2] ?? '');
  const sizesVal = c.value(node.inputs[3] ?? '');
  let outH: number;
  let outW: number;
  if (sizesVal?.kind === 'const' && sizesVal.values.length === 4) {
    outH = sizesVal.ints?.[2] ?? 0;
    outW = sizesVal.ints?.[3] ?? 0;
  } else if (scalesVal?.kind === 'const' && scalesVal.values.length === 4) {
    if (scalesVal.values[0] !== 1 || scalesVal.values[1] !== 1) return void c.fail(node.opType, 'scaling the batch or channels');
    outH = Math.floor(inH * (scalesVal.values[2] ?? 1));
    outW = Math.floor(inW * (scalesVal.values[3] ?? 1));
  } else return void c.fail(node.opType, 'computed scales or sizes');
  let op: BuiltinOperator;
  let options: BuiltinOptions;
  if (mode === 'nearest') {
    const nearest = node.attrs.string('nearest_mode', 'round_prefer_floor');
    if (transform !== 'asymmetric' || nearest !== 'floor') return void c.fail(node.opType, `nearest with ${transform} / ${nearest} (only asymmetric / floor)`);
    op = BuiltinOperator.RESIZE_NEAREST_NEIGHBOR;
    options = builtinOptions('ResizeNearestNeighborOptions');
  } else if (mode === 'linear') {
    const known: Record<string, [boolean, boolean]> = { asymmetric: [false, false], half_pixel: [false, true], align_corners: [true, false], pytorch_half_pixel: [false, true] };
    const flags = known[transform];
    if (!flags || (transform === 'pytorch_half_pixel' && (outH === 1 || outW === 1))) return void c.fail(node.opType, `linear with ${transform}`);
    op = BuiltinOperator.RESIZE_BILINEAR;
    options = builtinOptions('ResizeBilinearOptions', { alignCorners: flags[0], halfPixelCenters: flags[1] });
  } else return void c.fail(node.opType, `mode ${mode}`);
  const out = c.newAct(node.outputs[0] ?? '', [x.shape[0] ?? -1, x.shape[1] ?? 1, outH, outW], 'nhwc');
  c.graph.addOperator(op, [x.tensor, c.intConst(`${node.name}/size`, [outH, outW])], [out.tensor], options);
  c.tie(x.tensor, out.tensor);
  c.set(node.outputs[0] ?? '', out);
}

function pad(c: Converter, node: SourceNode): void {
  const x = c.act(node.inputs[0] ?? '', 'Pad');
  if (!x) return;
  if (node.attrs.string('mode', 'constant') !== 'constant') return void c.fail('Pad', `mode ${node.attrs.string('mode', '')}`);
  const value = node.inputs[2] ? c.value(node.inputs[2]) : undefined;
  if (value !== undefined && (value.kind !== 'const' || (value.values[0] ?? 0) !== 0)) return void c.fail('Pad', 'a value other than 0');
  const padsVal = node.attrs.ints('pads') ?? constInts(c, node.inputs[1]);
  const rank = x.shape.length;
  if (!padsVal || padsVal.length !== 2 * rank || node.inputs[3]) return void c.fail('Pad', 'computed pads or axes');
  if ((padsVal[0] ?? 0) !== 0 || (padsVal[rank] ?? 0) !== 0) return void c.fail('Pad', 'padding the batch');
  const pairs = Array.from({ length: rank }, (_, i) => [padsVal[i] ?? 0, padsVal[i + rank] ?? 0]);
  const physical = x.layout === 'nhwc' ? k_to_nhwc.map((p) => pairs[p] ?? [0, 0]) : pairs;
  const shape = x.shape.map((d, i) => (i === 0 ? d : d + (pairs[i]?.[0] ?? 0) + (pairs[i]?.[1] ?? 0)));
  const out = c.newAct(node.outputs[0] ?? '', shape, x.layout);
  const paddings = c.graph.addTensor({ name: `${node.name}/paddings`, shape: [rank, 2], type: TensorType.INT32, data: int32Bytes(physical.flat()) });
  c.graph.addOperator(BuiltinOperator.PAD, [x.tensor, paddings], [out.tensor]);
  c.tie(x.tensor, out.tensor);
  c.set(node.outputs[0] ?? '', out);
}

/** A BatchNormalization not folded into a convolution: MUL and ADD by per-channel constants, as ONNX computes it. */
function batchNorm(c: Converter, node: SourceNode): void {
  const x = c.act(node.inputs[0] ?? '', 'BatchNormalization');
  const [gamma, beta, meanV, variance] = node.inputs.slice(1, 5).map((i) => c.value(i));
  if (!x) return;
  if (gamma?.kind !== 'const' || beta?.kind !== 'const' || meanV?.kind !== 'const' || variance?.kind !== 'const') return void c.fail('BatchNormalization', 'computed statistics');
  if (node.outputs.length > 1 && node.outputs.slice(1).some((o) => o !== '')) return void c.fail('BatchNormalization', 'training outputs');
  const eps = node.attrs.float('epsilon', 1e-5);
  const channels = gamma.values.length;
  const scale = Float32Array.from({ length: channels }, (_, i) => (gamma.values[i] ?? 1) / Math.sqrt((variance.values[i] ?? 1) + eps));
  const shift = Float32Array.from({ length: channels }, (_, i) => (beta.values[i] ?? 0) - (meanV.values[i] ?? 0) * (scale[i] ?? 1));
  const perChannel = (values: Float32Array): { values: Float32Array; dims: number[] } =>
    x.layout === 'nhwc' || x.shape.length === 2 ? { values, dims: [channels] } : { values, dims: [channels, ...new Array<number>(x.shape.length - 2).fill(1)] };
  const s = perChannel(scale);
  const t = perChannel(shift);
  const mid = c.newAct(`${node.name}/scaled`, x.shape, x.layout);
  c.graph.addOperator(BuiltinOperator.MUL, [x.tensor, c.constTensor(`${node.name}/scale`, s.values, s.dims, false)], [mid.tensor], builtinOptions('MulOptions'));
  const act = c.fusedActivation(node.outputs[0] ?? '');
  const out = c.newAct(act.output, x.shape, x.layout);
  c.graph.addOperator(BuiltinOperator.ADD, [mid.tensor, c.constTensor(`${node.name}/shift`, t.values, t.dims, false)], [out.tensor], builtinOptions('AddOptions', { fusedActivationFunction: act.fn }));
  c.set(act.output, out);
}

/** The integers of a constant input (axes, pads), or undefined when it is absent or computed. */
function constInts(c: Converter, name: string | undefined): number[] | undefined {
  const v = name ? c.value(name) : undefined;
  return v?.kind === 'const' ? v.ints : undefined;
}

function identity(c: Converter, node: SourceNode): void {
  const x = c.value(node.inputs[0] ?? '');
  if (!x) return void c.fail(node.opType, 'an input the exporter did not write');
  c.set(node.outputs[0] ?? '', x);
}

const HANDLERS: Readonly<Record<string, Handler>> = Object.freeze({
  Conv: conv,
  MatMul: fullyConnected,
  Gemm: fullyConnected,
  Add: elementwise,
  Mul: elementwise,
  Relu: unary(BuiltinOperator.RELU),
  Clip: clip,
  Sigmoid: unary(BuiltinOperator.LOGISTIC, k_int8_probability_params),
  HardSwish: unary(BuiltinOperator.HARD_SWISH),
  Softmax: softmax,
  Concat: concat,
  Reshape: reshape,
  Flatten: reshape,
  Transpose: transpose,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: mean,
  ReduceMean: mean,
  Resize: resize,
  Upsample: resize,
  Pad: pad,
  BatchNormalization: batchNorm,
  Identity: identity,
  Dropout: identity,
});

/** ONNX operators the exporter writes (the support table and tests read it). */
export const EXPORTABLE_ONNX_OPS: readonly string[] = Object.freeze(Object.keys(HANDLERS));

function convert(bytes: Uint8Array, options: TfliteExportOptions): { converter: Converter; input: Act; output: Act } {
  const source = readOnnxSource(bytes);
  const c = new Converter(source, options.int8);
  const dims = source.input.dims.map((d, i) => (i === 0 || d === null ? -1 : d));
  if (dims.slice(1).some((d) => d < 0)) throw new TfliteExportError([{ op: '(input)', reason: 'a symbolic dimension other than the batch' }]);
  const input = c.newAct(source.input.name, dims, 'same');
  c.set(source.input.name, input);
  for (const node of source.nodes) {
    if (c.isConsumed(node)) continue;
    const handler = HANDLERS[node.opType];
    if (!handler) {
      c.fail(node.opType);
      continue;
    }
    handler(c, node);
  }
  const produced = c.value(source.output);
  if (c.problems().length > 0 || produced?.kind !== 'act') throw new TfliteExportError(c.problems().length > 0 ? c.problems() : [{ op: '(output)', reason: 'not computed from the input' }]);
  return { converter: c, input, output: c.inLayout(produced, 'same') };
}

/**
 * The ONNX values an INT8 export of this model reads calibration ranges for
 * (run the FP32 model with these exposed, as int8-calibration.ts does).
 * @throws TfliteExportError when the model cannot be exported at all.
 */
export function tfliteCalibrationTensors(onnxBytes: Uint8Array): string[] {
  // The INT8 structure (BatchNormalization folded), before any range is read.
  const { converter } = convert(onnxBytes, { int8: { ranges: {} } });
  return converter.rangeNames();
}

/**
 * Exports an ONNX model to .tflite.
 * @throws TfliteExportError listing every operator use the exporter lacks.
 */
export function onnxToTflite(onnxBytes: Uint8Array, options: TfliteExportOptions = {}): TfliteExport {
  const { converter: c, input, output } = convert(onnxBytes, options);
  c.quantize(input.tensor, output.tensor);
  if (c.problems().length > 0) throw new TfliteExportError(c.problems());
  const source = readOnnxSource(onnxBytes);
  const description = options.description ?? `Written by Inference Lab's .tflite exporter from an ONNX graph${options.int8 ? ' (full-integer INT8)' : ''}`;
  const bytes = c.graph.finish([{ name: source.input.name, tensor: input.tensor }], [{ name: source.output, tensor: output.tensor }], description);
  return { bytes, operators: c.graph.operatorNames(), calibrated: c.rangeNames() };
}
