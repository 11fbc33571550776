/**
 * INT8 for graphs the lab did not make, built on the zoo's QDQ transform
 * (onnx-qdq.ts):
 *
 * 1. Gemm with a constant weight becomes MatMul (+ Add of its bias), the
 *    exact float rewrite PyTorch's Linear needs before QDQ: alpha and beta
 *    folded into the constants, transB applied to the weight. Gemm with
 *    transA, or with computed weights, stays as it is (and in float).
 * 2. Static QDQ: Conv and MatMul with constant weights, their bias Add, their
 *    inputs and outputs (graph outputs included) get QuantizeLinear →
 *    DequantizeLinear with per-tensor uint8 ranges from calibration on the
 *    user's rows; onnxruntime's CPU and wasm engines fuse the pairs into
 *    QLinearConv / QLinearMatMul integer kernels.
 * 3. Dynamic INT8 where static cannot apply: a MatMul whose activation
 *    ranges could not be calibrated (no finite values reached it) keeps its
 *    weight as uint8 and quantizes its input at run time
 *    (DynamicQuantizeLinear → MatMulInteger → scale), which onnxruntime fuses
 *    into its dynamic integer kernel.
 *
 * The report lists every operator quantized, how, and every one left in float
 * with the reason; the model card shows it.
 */
import { affineParamsFor, quantizeAffine } from '../affine-quantization';
import {
  castAttribute,
  DataType,
  decodeModel,
  encodeModel,
  float32Tensor,
  float32Values,
  graphOf,
  type ModelProto,
  type NodeProto,
  readersOf,
  tensorDims,
  uint8Tensor,
  uniqueValueName,
} from '../onnx-model-edit';
import { type ActivationRanges, onnxToQdq, planQdq, type QdqPlan } from '../onnx-qdq';

export interface Int8Report {
  /** Static: QDQ; dynamic: DynamicQuantizeLinear → MatMulInteger. */
  quantized: { node: string; op: string; how: 'static' | 'dynamic' }[];
  /** Weight-bearing operators kept in float, and why. */
  float: { node: string; op: string; why: string }[];
  /** Rewrites made before quantizing (Gemm → MatMul + Add). */
  rewrites: string[];
}

const attr = (node: NodeProto, name: string) => node.attribute?.find((a) => a.name === name);
const intAttr = (node: NodeProto, name: string, fallback: number): number => (attr(node, name)?.i === undefined || attr(node, name)?.i === null ? fallback : Number(attr(node, name)?.i));
const floatAttr = (node: NodeProto, name: string, fallback: number): number => attr(node, name)?.f ?? fallback;

/** Rewrites each Gemm with a constant B (and constant or absent C) into MatMul (+ Add), in place. */
function gemmToMatMul(model: ModelProto, report: Int8Report): void {
  const graph = graphOf(model);
  const initializer = (name: string | undefined) => (name ? graph.initializer.find((t) => t.name === name) : undefined);
  const nodes: NodeProto[] = [];
  for (const node of graph.node) {
    const [a, b, c] = node.input ?? [];
    const weight = node.opType === 'Gemm' ? initializer(b) : undefined;
    const name = node.name || node.output?.[0] || 'Gemm';
    if (node.opType !== 'Gemm' || !weight || weight.dataType !== DataType.FLOAT || (c && !initializer(c))) {
      if (node.opType === 'Gemm') report.float.push({ node: name, op: 'Gemm', why: !weight ? 'its weight is computed at run time' : 'its bias is computed at run time' });
      nodes.push(node);
      continue;
    }
    if (intAttr(node, 'transA', 0) === 1) {
      report.float.push({ node: name, op: 'Gemm', why: 'transA = 1 (a transposed activation) has no MatMul form here' });
      nodes.push(node);
      continue;
    }
    const [rows, cols] = tensorDims(weight) as [number, number];
    const values = float32Values(weight);
    const alpha = floatAttr(node, 'alpha', 1);
    const transB = intAttr(node, 'transB', 0) === 1;
    // MatMul's weight is [K, N]: the transpose of a transB weight [N, K].
    const [k, n] = transB ? [cols, rows] : [rows, cols];
    const kn = new Float32Array(k * n);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) kn[i * n + j] = alpha * (values[transB ? j * cols + i : i * cols + j] as number);
    const weightName = uniqueValueName(graph, `${b ?? ''}/matmul_weight`);
    graph.initializer.push(float32Tensor(weightName, [k, n], kn));
    const out = node.output?.[0] ?? '';
    if (c && initializer(c)) {
      const beta = floatAttr(node, 'beta', 1);
      const bias = initializer(c);
      const biasName = uniqueValueName(graph, `${c}/matmul_bias`);
      graph.initializer.push(float32Tensor(biasName, tensorDims(bias ?? {}), Float32Array.from(float32Values(bias ?? {}), (v) => beta * v)));
      const product = uniqueValueName(graph, `${out}/matmul`);
      nodes.push({ opType: 'MatMul', input: [a ?? '', weightName], output: [product], name: `${name}/MatMul` });
      nodes.push({ opType: 'Add', input: [product, biasName], output: [out], name: `${name}/Add` });
    } else {
      nodes.push({ opType: 'MatMul', input: [a ?? '', weightName], output: [out], name: `${name}/MatMul` });
    }
    report.rewrites.push(`Gemm "${name}" → MatMul${c ? ' + Add' : ''} (${transB ? 'transB applied to the weight' : 'weight as it is'}${alpha !== 1 ? `, alpha ${alpha} folded in` : ''})`);
  }
  graph.node = nodes;
  // The Gemm weights are no longer read.
  const read = new Set(graph.node.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer.filter((t) => read.has(t.name ?? ''));
}

/** The FP32 graph INT8 is made from (Gemm rewritten), and what was rewritten. */
export function int8Base(fp32: Uint8Array): { bytes: Uint8Array; report: Int8Report } {
  const model = decodeModel(fp32);
  const report: Int8Report = { quantized: [], float: [], rewrites: [] };
  gemmToMatMul(model, report);
  return { bytes: report.rewrites.length > 0 ? encodeModel(model) : fp32, report };
}

/** Activations to calibrate for the static plan of `base` (int8Base's bytes). */
export function int8CalibrationTensors(base: Uint8Array): string[] {
  return planQdq(decodeModel(base)).activations;
}

const finite = (range: readonly [number, number] | undefined): boolean => range !== undefined && Number.isFinite(range[0]) && Number.isFinite(range[1]);

/**
 * The INT8 model from `base` and the calibration ranges. Operators whose
 * ranges are missing or not finite fall back to dynamic quantization
 * (MatMul) or stay in float (Conv).
 * @throws Error when nothing at all can be quantized.
 */
export function userInt8(base: { bytes: Uint8Array; report: Int8Report }, ranges: ActivationRanges): { bytes: Uint8Array; report: Int8Report } {
  const report: Int8Report = { quantized: [], float: [...base.report.float], rewrites: [...base.report.rewrites] };
  const model = decodeModel(base.bytes);
  const graph = graphOf(model);
  const first = planQdq(model);
  const readers = readersOf(graph);
  const bad = new Set(first.activations.filter((a) => !finite(ranges[a])));
  const dynamic: string[] = [];
  const floatConvs = new Set<string>();
  for (const node of graph.node) {
    const [x, w] = node.input ?? [];
    if ((node.opType !== 'Conv' && node.opType !== 'MatMul') || !first.uint8Weights.includes(w ?? '')) continue;
    const out = node.output?.[0] ?? '';
    const next = readers.get(out);
    const after = next?.length === 1 && (next[0]?.opType === 'Relu' || next[0]?.opType === 'Add') ? (next[0]?.output?.[0] ?? out) : out;
    if (![x ?? '', out, after].some((t) => bad.has(t))) continue;
    if (node.opType === 'MatMul') dynamic.push(out);
    else {
      floatConvs.add(w ?? '');
      report.float.push({ node: node.name || out, op: 'Conv', why: 'calibration saw no finite values for its input or output' });
    }
  }
  const withDynamic = dynamic.length > 0 ? dynamicMatMuls(base.bytes, dynamic) : base.bytes;
  const planned = planQdq(decodeModel(withDynamic));
  const plan: QdqPlan = {
    activations: planned.activations.filter((a) => !bad.has(a)),
    uint8Weights: planned.uint8Weights.filter((w) => !floatConvs.has(w)),
    int32Biases: planned.int32Biases.filter((b) => !floatConvs.has(b.weight)),
  };
  if (plan.uint8Weights.length === 0 && dynamic.length === 0) {
    throw new Error('nothing to quantize: no Conv, MatMul or Gemm with constant float weights (operators such as ai.onnx.ml trees keep their weights as attributes)');
  }
  const bytes = plan.uint8Weights.length > 0 ? onnxToQdq(withDynamic, ranges, plan).bytes : withDynamic;
  for (const node of graphOf(decodeModel(withDynamic)).node) {
    if ((node.opType === 'Conv' || node.opType === 'MatMul') && plan.uint8Weights.includes(node.input?.[1] ?? '')) {
      report.quantized.push({ node: node.name || node.output?.[0] || '', op: node.opType, how: 'static' });
    }
  }
  for (const out of dynamic) report.quantized.push({ node: out, op: 'MatMul', how: 'dynamic' });
  return { bytes, report };
}

/**
 * Dynamic INT8 for the MatMuls producing `outputs`: uint8 weight, input
 * quantized per call (DynamicQuantizeLinear), MatMulInteger, then the int32
 * sum × input scale × weight scale in float.
 */
function dynamicMatMuls(bytes: Uint8Array, outputs: readonly string[]): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const nodes: NodeProto[] = [];
  for (const node of graph.node) {
    const out = node.output?.[0] ?? '';
    if (node.opType !== 'MatMul' || !outputs.includes(out)) {
      nodes.push(node);
      continue;
    }
    const [x, w] = node.input as [string, string];
    const weight = graph.initializer.find((t) => t.name === w);
    if (!weight) {
      nodes.push(node);
      continue;
    }
    const values = float32Values(weight);
    const params = affineParamsFor(values);
    const v = (base: string) => uniqueValueName(graph, `${out}/dynamic/${base}`);
    const [codes, wScale, wZero, xq, xScale, xZero, acc, accFloat, scaled] = ['w_quantized', 'w_scale', 'w_zero_point', 'x_quantized', 'x_scale', 'x_zero_point', 'int32', 'float', 'x_scaled'].map(v) as [string, string, string, string, string, string, string, string, string];
    graph.initializer.push(uint8Tensor(codes, tensorDims(weight), quantizeAffine(values, params)), float32Tensor(wScale, [], [params.scale]), uint8Tensor(wZero, [], [params.zeroPoint]));
    nodes.push(
      { opType: 'DynamicQuantizeLinear', input: [x], output: [xq, xScale, xZero], name: `${out}/DynamicQuantizeLinear` },
      { opType: 'MatMulInteger', input: [xq, codes, xZero, wZero], output: [acc], name: `${out}/MatMulInteger` },
      { opType: 'Cast', input: [acc], output: [accFloat], name: `${out}/Cast`, attribute: [castAttribute(DataType.FLOAT)] },
      { opType: 'Mul', input: [accFloat, xScale], output: [scaled], name: `${out}/MulInputScale` },
      { opType: 'Mul', input: [scaled, wScale], output: [out], name: `${out}/MulWeightScale` },
    );
  }
  graph.node = nodes;
  const read = new Set(graph.node.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer.filter((t) => read.has(t.name ?? ''));
  model.docString = `${model.docString ? `${model.docString}\n` : ''}Dynamic INT8 MatMuls: ${outputs.join(', ')}.`;
  return encodeModel(model);
}
