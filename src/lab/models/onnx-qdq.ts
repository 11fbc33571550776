/**
 * INT8 by the book: an FP32 ONNX model → a QDQ graph that onnxruntime's CPU
 * and wasm engines fuse into integer kernels (QLinearConv, QLinearMatMul,
 * QLinearAdd).
 *
 * Quantized operators: Conv and MatMul with a constant weight, and the Add of
 * a constant bias that follows a quantized MatMul (Dense layers are exported
 * as MatMul + Add). For each of them:
 * - the weight is a uint8 initializer (per-tensor affine, {@link affineParamsFor})
 *   read through DequantizeLinear; a Conv bias is int32 at input scale ×
 *   weight scale, zero point 0 (what QLinearConv adds to its accumulator); an
 *   Add's bias is uint8 like a weight;
 * - every float activation it reads gets QuantizeLinear → DequantizeLinear
 *   (uint8, per tensor, scales from calibration ranges);
 * - its output gets QuantizeLinear → DequantizeLinear too, after the ReLU when
 *   a ReLU is its only reader (that range starts at 0, zero point 0, so
 *   onnxruntime drops the ReLU into the quantization). Without this trailing
 *   pair onnxruntime keeps `DequantizeLinear → Conv` in float32.
 * Everything else (Softmax, BatchNormalization, Concat, residual Add, Resize,
 * Transpose) reads dequantized float values and computes in float32; the
 * graph's outputs stay float32 (a quantized operator's output that is a graph
 * output gets its QuantizeLinear → DequantizeLinear too, the DequantizeLinear
 * writing the output's name, so the last operator fuses like the others).
 *
 * {@link planQdq} lists the activation tensors to calibrate; {@link onnxToQdq}
 * applies the plan with their ranges and also returns each weight's
 * quantization, so the TF.js twin can store the identical values.
 */
import { type AffineParams, affineParamsFor, affineParamsForRange, dequantizeAffine, quantizeAffine, quantizeInt32 } from './affine-quantization';
import {
  DataType,
  decodeModel,
  encodeModel,
  float32Tensor,
  float32Values,
  type GraphProto,
  graphOf,
  int32Tensor,
  type ModelProto,
  type NodeProto,
  readersOf,
  rewireInputs,
  tensorDims,
  uint8Tensor,
  uniqueValueName,
} from './onnx-model-edit';

export interface QdqPlan {
  /** Float activation tensors that get QuantizeLinear → DequantizeLinear, in graph order: calibrate these. */
  activations: string[];
  /** Weight initializers stored as uint8. */
  uint8Weights: string[];
  /** Conv bias initializers stored as int32 at the scale of `input` × the scale of `weight`. */
  int32Biases: { bias: string; input: string; weight: string }[];
}

/** Activation name → [min, max] seen on the calibration data. */
export type ActivationRanges = Record<string, readonly [number, number]>;

/** How one weight ends up stored; its dequantized float32 values are what both formats compute with. */
export type WeightQuantization =
  | { kind: 'uint8'; params: AffineParams; dequantized: Float32Array }
  | { kind: 'int32'; scale: number; dequantized: Float32Array };

const isInitializer = (graph: GraphProto, name: string | undefined): boolean => name !== undefined && (graph.initializer ?? []).some((t) => t.name === name);

/** Which tensors a QDQ version of `model` quantizes. */
export function planQdq(model: ModelProto): QdqPlan {
  const graph = graphOf(model);
  const readers = readersOf(graph);
  const activations: string[] = [];
  const addActivation = (name: string): void => {
    if (!activations.includes(name)) activations.push(name);
  };
  const uint8Weights: string[] = [];
  const int32Biases: QdqPlan['int32Biases'] = [];
  /** The op's output, or its only reader's when that is a ReLU. */
  const quantizedOutput = (node: NodeProto): string => {
    const out = node.output?.[0] ?? '';
    const next = readers.get(out);
    return next?.length === 1 && next[0]?.opType === 'Relu' ? (next[0].output?.[0] ?? out) : out;
  };
  const matMulOutputs = new Set<string>();
  for (const node of graph.node) {
    const [x, w, b] = node.input ?? [];
    if (x === undefined) continue;
    if ((node.opType === 'Conv' || node.opType === 'MatMul') && isInitializer(graph, w) && !isInitializer(graph, x)) {
      addActivation(x);
      uint8Weights.push(w as string);
      if (node.opType === 'Conv' && b !== undefined && b !== '') {
        if (!isInitializer(graph, b)) throw new Error(`QDQ: Conv "${node.name ?? ''}" has a computed bias; not supported`);
        int32Biases.push({ bias: b, input: x, weight: w as string });
      }
      if (node.opType === 'MatMul') matMulOutputs.add(node.output?.[0] ?? '');
      addActivation(quantizedOutput(node));
    } else if (node.opType === 'Add' && (node.input ?? []).length === 2) {
      const [a, c] = node.input as [string, string];
      const [value, bias] = isInitializer(graph, c) ? [a, c] : isInitializer(graph, a) ? [c, a] : [undefined, undefined];
      if (value === undefined || bias === undefined || !matMulOutputs.has(value)) continue;
      uint8Weights.push(bias);
      addActivation(quantizedOutput(node));
    }
  }
  return { activations, uint8Weights, int32Biases };
}

/**
 * The quantization of every planned weight: uint8 from the weight's own
 * range; Conv biases int32 at input scale × weight scale.
 */
export function weightQuantization(model: ModelProto, plan: QdqPlan, ranges: ActivationRanges): Map<string, WeightQuantization> {
  const graph = graphOf(model);
  const values = (name: string): Float32Array => {
    const tensor = graph.initializer.find((t) => t.name === name);
    if (tensor === undefined) throw new Error(`QDQ: no initializer "${name}"`);
    return float32Values(tensor);
  };
  const out = new Map<string, WeightQuantization>();
  for (const name of plan.uint8Weights) {
    const v = values(name);
    const params = affineParamsFor(v);
    out.set(name, { kind: 'uint8', params, dequantized: dequantizeAffine(quantizeAffine(v, params), params) });
  }
  for (const { bias, input, weight } of plan.int32Biases) {
    const w = out.get(weight);
    if (w?.kind !== 'uint8') throw new Error(`QDQ: bias "${bias}" needs the uint8 weight "${weight}"`);
    const scale = Math.fround(activationParams(ranges, input).scale * w.params.scale);
    const codes = quantizeInt32(values(bias), scale);
    out.set(bias, { kind: 'int32', scale, dequantized: dequantizeAffine(codes, { scale, zeroPoint: 0 }) });
  }
  return out;
}

export function activationParams(ranges: ActivationRanges, name: string): AffineParams {
  const range = ranges[name];
  if (range === undefined) throw new Error(`QDQ: no calibration range for activation "${name}"`);
  return affineParamsForRange(range[0], range[1]);
}

/**
 * The QDQ model. Weights keep their names (a DequantizeLinear produces them),
 * so the graph's other nodes are unchanged apart from reading dequantized
 * activations. `only`: a plan restricted from {@link planQdq}'s (operators
 * left out stay in float).
 */
export function onnxToQdq(bytes: Uint8Array, ranges: ActivationRanges, only?: QdqPlan): { bytes: Uint8Array; plan: QdqPlan; weights: Map<string, WeightQuantization> } {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const plan = only ?? planQdq(model);
  const weights = weightQuantization(model, plan, ranges);

  const head: NodeProto[] = [];
  graph.initializer = graph.initializer.flatMap((tensor) => {
    const name = tensor.name ?? '';
    const q = weights.get(name);
    if (q === undefined) return [tensor];
    const dims = tensorDims(tensor);
    const codes = uniqueValueName(graph, `${name}/quantized`);
    const scale = uniqueValueName(graph, `${name}/scale`);
    const zeroPoint = uniqueValueName(graph, `${name}/zero_point`);
    head.push({ opType: 'DequantizeLinear', input: [codes, scale, zeroPoint], output: [name], name: `${name}/DequantizeLinear` });
    const values = float32Values(tensor);
    if (q.kind === 'uint8') {
      return [uint8Tensor(codes, dims, quantizeAffine(values, q.params)), float32Tensor(scale, [], [q.params.scale]), uint8Tensor(zeroPoint, [], [q.params.zeroPoint])];
    }
    return [int32Tensor(codes, dims, quantizeInt32(values, q.scale)), float32Tensor(scale, [], [q.scale]), int32Tensor(zeroPoint, [], [0])];
  });

  const readers = readersOf(graph);
  const inserted = new Map<string, NodeProto[]>();
  const graphOutputs = new Set(graph.output.map((o) => o.name ?? ''));
  for (const name of plan.activations) {
    const params = activationParams(ranges, name);
    const scale = uniqueValueName(graph, `${name}/act_scale`);
    const zeroPoint = uniqueValueName(graph, `${name}/act_zero_point`);
    graph.initializer.push(float32Tensor(scale, [], [params.scale]), uint8Tensor(zeroPoint, [], [params.zeroPoint]));
    const quantized = uniqueValueName(graph, `${name}/quantized`);
    let source = name;
    let dequantized = uniqueValueName(graph, `${name}/dequantized`);
    if (graphOutputs.has(name)) {
      // The producer writes a float temporary; the DequantizeLinear writes the output's own name.
      source = uniqueValueName(graph, `${name}/float`);
      for (const node of graph.node) node.output = (node.output ?? []).map((o) => (o === name ? source : o));
      rewireInputs(readers.get(name) ?? [], name, source);
      dequantized = name;
    } else {
      rewireInputs(readers.get(name) ?? [], name, dequantized);
    }
    inserted.set(source, [
      { opType: 'QuantizeLinear', input: [source, scale, zeroPoint], output: [quantized], name: `${name}/QuantizeLinear` },
      { opType: 'DequantizeLinear', input: [quantized, scale, zeroPoint], output: [dequantized], name: `${name}/DequantizeLinear` },
    ]);
  }
  // Each pair right after the node that makes its value (graph inputs: at the start), so the order stays topological.
  const ordered: NodeProto[] = [...head, ...graph.input.flatMap((input) => inserted.get(input.name ?? '') ?? [])];
  for (const node of graph.node) ordered.push(node, ...(node.output ?? []).flatMap((o) => inserted.get(o) ?? []));
  graph.node = ordered;
  if (graph.initializer.some((t) => t.dataType === DataType.FLOAT && plan.uint8Weights.includes(t.name ?? ''))) throw new Error('QDQ: a weight stayed float');
  model.docString = `${model.docString ? `${model.docString}\n` : ''}Precision variant int8: QDQ graph (uint8 per-tensor weights and activations, int32 Conv biases).`;
  return { bytes: encodeModel(model), plan, weights };
}

/** A copy of `bytes` whose `exposed` values are also graph outputs (float32), for calibration. */
export function exposeValues(bytes: Uint8Array, exposed: readonly string[]): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const inputs = new Set(graph.input.map((i) => i.name));
  for (const name of exposed) {
    if (inputs.has(name) || graph.output.some((o) => o.name === name)) continue;
    graph.output.push({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
  }
  return encodeModel(model);
}

/**
 * The QDQ model without its activation QuantizeLinear → DequantizeLinear
 * pairs: weights still read through DequantizeLinear (the same float32 values
 * as the TF.js twin's uint8 weights), activations in float32. This is what
 * TF.js computes with the int8 files, so native onnxruntime running it gives
 * the TF.js int8 cells their own reference outputs.
 */
export function qdqWeightsOnly(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const initializers = new Set(graph.initializer.map((t) => t.name ?? ''));
  const outputs = new Set(graph.output.map((o) => o.name ?? ''));
  const dropped = new Set<NodeProto>();
  for (const q of graph.node.filter((n) => n.opType === 'QuantizeLinear')) {
    const source = q.input?.[0] ?? '';
    const quantized = q.output?.[0] ?? '';
    if (initializers.has(source)) continue;
    const readers = readersOf(graph);
    for (const dq of readers.get(quantized) ?? []) {
      const dequantized = dq.output?.[0] ?? '';
      if (dq.opType !== 'DequantizeLinear') throw new Error(`QDQ: "${quantized}" is read by ${dq.opType} "${dq.name ?? ''}", not a DequantizeLinear`);
      if (outputs.has(dequantized)) {
        // A graph output's pair: its producer writes the output's name again.
        for (const node of graph.node) {
          node.output = (node.output ?? []).map((o) => (o === source ? dequantized : o));
          node.input = (node.input ?? []).map((i) => (i === source ? dequantized : i));
        }
      } else {
        rewireInputs(readers.get(dequantized) ?? [], dequantized, source);
      }
      dropped.add(dq);
    }
    dropped.add(q);
  }
  graph.node = graph.node.filter((n) => !dropped.has(n));
  const used = new Set(graph.node.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer.filter((t) => used.has(t.name ?? ''));
  model.docString = `${model.docString ? `${model.docString}\n` : ''}Derived reference graph: int8 weights dequantized, activations in float32 (what TF.js computes with the int8 files).`;
  return encodeModel(model);
}
