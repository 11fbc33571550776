/**
 * Each precision variant's own reference outputs per model format, and the
 * model of how engines may differ from them: the one rule, whoever runs the
 * graphs. The zoo's references are computed by native onnxruntime
 * (tools/reference/precision-reference.ts); a model a user brings gets the
 * same derivation from onnxruntime-web wasm in the page, or natively through
 * the CLI (src/lab/models/user/).
 *
 * - fp16 (storage), int4 (fixture), and int8 as TF.js runs it: FP32 arithmetic
 *   on float32 weights that every engine holds bit for bit alike, so engines
 *   differ from the reference only in summation order: FP32's tolerance.
 * - int8 as onnxruntime runs it: activations are re-rounded to uint8 after
 *   every quantized operator. Fused integer kernels (QLinearConv,
 *   QLinearMatMul: what onnxruntime-web wasm runs) and the unfused graph
 *   (DequantizeLinear → FP32 operator → QuantizeLinear, graph optimizations
 *   off: what providers without integer kernels run) differ where a sum lands
 *   at a rounding boundary. The unfused graph with every value about to be
 *   requantized nudged by ±2^-14 shows how far the first such flips carry;
 *   that max |Δ| × k_int8_flip_margin.
 * - fp16c: engines differ in where they round to FP16. onnxruntime's CPU
 *   engine folds the casts (intermediates in FP32: the ONNX cells'
 *   reference); the FP16-storage graph with every node's output rounded to
 *   FP16 models engines that store intermediates in FP16 (TF.js WebGL with
 *   FP16 textures: the TF.js cells' reference). The max |Δ| between the two
 *   × k_fp16_span_margin.
 */
import { castAttribute, DataType, decodeModel, encodeModel, graphOf, type NodeProto } from './onnx-model-edit';
import { qdqWeightsOnly } from './onnx-qdq';
import { roundUp2 } from './variant-reference';

/**
 * FP16 compute: engines differ in where they round to FP16, and the two
 * reference runs are the extremes (no intermediate rounded, every node's
 * output rounded), so an engine in between is about one span from either;
 * 1.5 × the span leaves half again for rounding points that are not ONNX node
 * boundaries (TF.js fuses bias and activation into a kernel, and splits softmax).
 */
export const k_fp16_span_margin = 1.5;
/**
 * INT8's bound is the effect of the first one-code flips; room for two of them
 * landing on the same output. A wider margin would let a kernel that skipped
 * requantization altogether (FP32's answers: cps-wage 1.86e-2 off) pass.
 */
export const k_int8_flip_margin = 2;
/**
 * Relative nudge of each value before requantization: 2^-14, ~512 float32
 * ulps, the smallest power of two at which the golden rows show flips (cps-wage:
 * none at 2^-16).
 */
export const k_requantization_nudge = 2 ** -14;

export type ReferencedPrecision = 'fp16' | 'fp16c' | 'int8' | 'int4';

/** Who computes the references, in the words the notes use. */
export interface ReferenceRuntime {
  /** e.g. "native onnxruntime". */
  noun: string;
  /** e.g. "native" (as in "native fused integer kernels"). */
  adjective: string;
  /** Runs ONNX bytes on the golden inputs, with all graph optimizations or none; the flat outputs. */
  run(bytes: Uint8Array, optimize: boolean): Promise<Float32Array>;
}

export interface ReferenceSpec {
  /** Reference outputs on the golden inputs. */
  outputs: Float32Array;
  /** What ran. */
  graph: string;
  /** File name under golden/ (when outputs are stored as files). */
  file: string;
  /** The measured bound the tolerance comes from (tolerance = margin × maxAbsDiff); absent: FP32's tolerance. */
  basis?: { description: string; maxAbsDiff: number; margin: number };
  why: string;
}

/** The bytes and names of a model's variant files. */
export interface VariantFilesView {
  bytes(precision: ReferencedPrecision): Uint8Array;
  path(precision: ReferencedPrecision): string;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}

/**
 * An emulation of real FP16 compute for onnxruntime's CPU engine, which
 * computes FP16 graphs in float32 (and even drops the input's float16
 * rounding): the FP16-storage graph with every node's output (and the input)
 * rounded to float16 by a Cast pair, run without graph optimizations so the
 * casts stay. It models engines that keep intermediate values in FP16
 * (TF.js WebGL with WEBGL_FORCE_F16_TEXTURES, WebGPU with shader-f16).
 */
export function fp16IntermediatesGraph(fp16StorageBytes: Uint8Array): Uint8Array {
  const model = decodeModel(fp16StorageBytes);
  const graph = graphOf(model);
  const round = (name: string, tag: string): { nodes: NodeProto[]; rounded: string } => {
    const half = `${name}/${tag}_f16`;
    const rounded = `${name}/${tag}_rounded`;
    return {
      rounded,
      nodes: [
        { opType: 'Cast', input: [name], output: [half], name: half, attribute: [castAttribute(DataType.FLOAT16)] },
        { opType: 'Cast', input: [half], output: [rounded], name: rounded, attribute: [castAttribute(DataType.FLOAT)] },
      ],
    };
  };
  const outputs = new Set(graph.output.map((o) => o.name));
  const nodes: NodeProto[] = [];
  const rename = new Map<string, string>();
  for (const input of graph.input) {
    const r = round(input.name ?? '', 'in');
    nodes.push(...r.nodes);
    rename.set(input.name ?? '', r.rounded);
  }
  for (const node of graph.node) {
    node.input = (node.input ?? []).map((i) => rename.get(i) ?? i);
    const isWeightCast = node.opType === 'Cast' && (node.input ?? []).every((i) => graph.initializer.some((t) => t.name === i));
    nodes.push(node);
    if (isWeightCast) continue;
    for (const out of node.output ?? []) {
      if (outputs.has(out)) {
        // Keep the graph output's name: the producer writes a temporary, the cast pair writes the output.
        const raw = `${out}/unrounded`;
        node.output = (node.output ?? []).map((o) => (o === out ? raw : o));
        const r = round(raw, 'out');
        nodes.push(...r.nodes);
        nodes.push({ opType: 'Identity', input: [r.rounded], output: [out], name: `${out}/Identity` });
      } else {
        const r = round(out, 'act');
        nodes.push(...r.nodes);
        rename.set(out, r.rounded);
      }
    }
  }
  graph.node = nodes;
  return encodeModel(model);
}

/** The QDQ graph with every activation scaled by `factor` right before its QuantizeLinear (a model of engines whose sums differ slightly). */
export function nudgeBeforeQuantize(bytes: Uint8Array, factor: number): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const initializers = new Set(graph.initializer.map((t) => t.name ?? ''));
  const factorName = 'reference/nudge_factor';
  graph.initializer.push({ name: factorName, dims: [], dataType: DataType.FLOAT, floatData: [factor] });
  const nodes: NodeProto[] = [];
  for (const node of graph.node) {
    const source = node.input?.[0] ?? '';
    if (node.opType === 'QuantizeLinear' && !initializers.has(source)) {
      const nudged = `${source}/nudged_${node.name ?? ''}`;
      nodes.push({ opType: 'Mul', input: [source, factorName], output: [nudged], name: nudged });
      node.input = [nudged, ...(node.input ?? []).slice(1)];
    }
    nodes.push(node);
  }
  graph.node = nodes;
  return encodeModel(model);
}

/** Each variant's reference outputs per format (see the file header for the rules). */
export async function variantReferenceSpecs(p: ReferencedPrecision, files: VariantFilesView, runtime: ReferenceRuntime): Promise<{ onnx: ReferenceSpec; tfjs?: ReferenceSpec }> {
  const fp32Rule = `this graph computes in FP32 on float32 weights that every engine holds bit for bit alike, so engines differ from ${runtime.noun} only in summation order, as for FP32`;
  if (p === 'fp16' || p === 'int4') {
    const outputs = await runtime.run(files.bytes(p), true);
    const what = p === 'fp16' ? 'FP16-rounded weights expanded to FP32 (the casts are folded at load)' : 'weights rounded to 16 levels, stored as FP32';
    const ref: ReferenceSpec = { outputs, graph: `${files.path(p)}, all graph optimizations`, file: `${p}.f32`, why: `${what}: ${fp32Rule}` };
    return { onnx: ref, tfjs: ref };
  }
  if (p === 'int8') {
    const bytes = files.bytes(p);
    const fused = await runtime.run(bytes, true);
    const unfused = await runtime.run(bytes, false);
    let nudged = maxAbsDiff(fused, unfused);
    for (const factor of [1 + k_requantization_nudge, 1 - k_requantization_nudge]) {
      nudged = Math.max(nudged, maxAbsDiff(fused, await runtime.run(nudgeBeforeQuantize(bytes, factor), false)));
    }
    // Optimizations off: with them on, onnxruntime fuses DequantizeLinear → MatMul into integer kernels with dynamically quantized activations (1.6e-3 off TF.js on cps-wage).
    const weightsOnly = await runtime.run(qdqWeightsOnly(bytes), false);
    return {
      onnx: {
        outputs: fused,
        graph: `${files.path(p)}, all graph optimizations (fused QLinearConv/QLinearMatMul integer kernels)`,
        file: 'int8.f32',
        basis: {
          description: `max |Δ| between ${runtime.adjective} fused integer kernels and the same QDQ graph unfused (DequantizeLinear → FP32 operator → QuantizeLinear, graph optimizations off), as is and with every value about to be requantized nudged by ±${k_requantization_nudge.toExponential(1)} relative`,
          maxAbsDiff: nudged,
          margin: k_int8_flip_margin,
        },
        why:
          'activations are re-rounded to uint8 after every quantized operator; an engine that sums in another order or in float (onnxruntime-web WebGL/WebGPU/WebNN expand QDQ and compute in FP32) lands one code away where a sum sits at a rounding boundary, and that step carries to the outputs. ' +
          `Summation order moves a sum by a few float32 ulps; the ±${k_requantization_nudge.toExponential(1)} nudge (~${Math.round(k_requantization_nudge / 2 ** -23)} ulps) makes the first values cross a boundary on the golden rows and shows how far one flip carries; ${k_int8_flip_margin}× leaves room for two on one output`,
      },
      tfjs: {
        outputs: weightsOnly,
        graph: `${files.path(p)} without its activation QuantizeLinear → DequantizeLinear pairs (dequantized uint8 weights, FP32 activations: what TF.js computes with the int8 files), graph optimizations off (with them, onnxruntime fuses the weight DequantizeLinear into integer kernels)`,
        file: 'int8-weights-only.f32',
        why: `TF.js expands the uint8 weights to FP32 at load and keeps activations in FP32: ${fp32Rule}`,
      },
    };
  }
  // fp16c
  const folded = await runtime.run(files.bytes('fp16c'), true);
  const intermediates = await runtime.run(fp16IntermediatesGraph(files.bytes('fp16')), false);
  const basis = {
    description: `max |Δ| between ${runtime.noun} on the FP16-compute graph (casts folded, intermediates in FP32) and the FP16-storage graph with every node's output rounded to FP16 (graph optimizations off)`,
    maxAbsDiff: maxAbsDiff(folded, intermediates),
    margin: k_fp16_span_margin,
  };
  const outside =
    'Engines with FP16 arithmetic inside an operator (ORT WebGPU with shader-f16) also round within each sum: that is outside this model (no engine here has it), and such a cell that exceeded the tolerance would end errored, not pass';
  return {
    onnx: {
      outputs: folded,
      graph: `${files.path('fp16c')}, all graph optimizations (onnxruntime's CPU engine folds the casts and computes in FP32)`,
      file: 'fp16c.f32',
      basis,
      why: `engines differ in where they round to FP16: none (${runtime.noun}, these outputs), some (onnxruntime-web providers that insert casts around operators without FP16 kernels) or after every operator; the two extremes bound it. ${outside}`,
    },
    tfjs: {
      outputs: intermediates,
      graph: `${files.path('fp16')} with every node's output (and the input) rounded to FP16 by a Cast pair, graph optimizations off: FP32 arithmetic on FP16 intermediates, as TF.js WebGL computes with WEBGL_FORCE_F16_TEXTURES`,
      file: 'fp16c-f16-intermediates.f32',
      basis,
      why: `TF.js WebGL rounds to FP16 where it writes a texture, which is not always at an ONNX node boundary (it fuses bias and activation into a convolution, and splits softmax into several kernels); the span between no and every intermediate rounded to FP16 bounds that. ${outside}`,
    },
  };
}

/**
 * The tolerance a reference spec gives, with its note: margin × the measured
 * bound, two significant digits up, never below FP32's.
 */
export function referenceTolerance(spec: Pick<ReferenceSpec, 'basis' | 'why'>, fp32: number): { tolerance: number; toleranceNote: string } {
  const tolerance = spec.basis && spec.basis.maxAbsDiff > 0 ? Math.max(roundUp2(spec.basis.margin * spec.basis.maxAbsDiff), fp32) : fp32;
  const toleranceNote = spec.basis
    ? `Tolerance ${tolerance}: ${spec.basis.margin} × the ${spec.basis.description}, ${spec.basis.maxAbsDiff.toExponential(2)}${spec.basis.margin * spec.basis.maxAbsDiff < fp32 ? `, raised to FP32's ${fp32}` : ''}. Why: ${spec.why}.`
    : `Tolerance ${tolerance}, FP32's: ${spec.why}.`;
  return { tolerance, toleranceNote };
}
