/**
 * The precision variants of a user's model, made in the page from its FP32
 * graph by the lab's own transforms, each with its own reference outputs and
 * tolerance by the zoo's rule (variant-references.ts), computed by the
 * reference engine. A variant that cannot be made, cannot run on the
 * reference engine, or whose tolerance would let a constant answer pass is
 * listed as not made, with the reason.
 */
import { exposeValues } from '../onnx-qdq';
import { DataType, decodeModel, graphOf } from '../onnx-model-edit';
import { onnxToFp16Compute, onnxToFp16Storage } from '../onnx-fp16';
import { type ReferencedPrecision, referenceTolerance, type ReferenceSpec, variantReferenceSpecs, maxAbsDiff } from '../variant-references';
import type { VariantReference } from '../manifest';
import type { TfjsWeight } from '../onnx-graph';
import { encodeTfjsWeights, type TfjsWeightEntry } from '../tfjs-weight-variants';
import { affineParamsFor } from '../affine-quantization';
import { errorMessage } from '../../util/errors';
import type { CardVariant } from './model-card';
import type { ReferenceEngine, ReferenceInput, ReferenceModel } from './reference-engine';
import { int8Base, int8CalibrationTensors, userInt8 } from './user-int8';

/** What each variant of a user's model is, in plain words (the manifest's note and the card's first line). */
export const k_user_variant_notes: Readonly<Record<'fp16' | 'fp16c' | 'int8', { onnx: string; tfjs: string }>> = Object.freeze({
  fp16: {
    onnx: 'FP16 storage: every float32 weight stored as float16 and cast back to float32 at load (Cast nodes that onnxruntime folds); computes in FP32.',
    tfjs: 'FP16 storage: float16 weights in the weights manifest, expanded to float32 when TF.js loads them; computes in FP32.',
  },
  fp16c: {
    onnx: 'FP16 compute: the whole graph in float16, the float32 input cast to float16 and the output back; whether kernels really compute in FP16 is the engine\'s (the cell says).',
    tfjs: 'FP16 compute: not made for TF.js files (TF.js WebGL computes FP16 from the FP16-storage files).',
  },
  int8: {
    onnx: 'INT8: uint8 per-tensor weights; calibrated uint8 activations around each quantized operator (QDQ), which onnxruntime\'s CPU and wasm engines fuse into integer kernels; other engines dequantize and compute in FP32.',
    tfjs: 'INT8 storage: uint8 per-tensor weights in the weights manifest, expanded to float32 when TF.js loads them; computes in FP32.',
  },
});

export interface MadeVariant {
  precision: 'fp16' | 'fp16c' | 'int8';
  file: { path: string; bytes: Uint8Array } | { path: string; modelJson: string; shard: { path: string; bytes: Uint8Array } };
  /** The reference the cells reading this format are checked against. */
  reference: Omit<VariantReference, 'outputs' | 'file'> & { outputs: Float32Array };
}

export interface VariantContext {
  reference: ReferenceEngine;
  /** Runs a model on the golden rows (optimize: false turns ONNX graph optimizations off). */
  golden: (model: ReferenceModel, optimize?: boolean) => Promise<Float32Array>;
  goldenOutputs: Float32Array;
  fp32Tolerance: number;
  calibration: { input: (rows: Float32Array, count: number) => ReferenceInput; inputs: Float32Array; rows: number; width: number; weak: boolean; description: string };
  onProgress: (what: string) => void;
}

/** A constant answer (each output column's mean over the golden rows): a variant whose tolerance lets it pass cannot be checked. */
function constantAnswer(outputs: Float32Array, rows: number): Float32Array {
  const width = outputs.length / rows;
  const means = Array.from({ length: width }, (_, c) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += outputs[r * width + c] as number;
    return sum / rows;
  });
  return Float32Array.from(outputs, (_, i) => means[i % width] as number);
}

function checkable(spec: ReferenceSpec, tolerance: number, ctx: VariantContext, rows: number): string | null {
  const garbage = maxAbsDiff(constantAnswer(spec.outputs, rows), spec.outputs);
  return tolerance >= garbage / 2
    ? `its cells could not be checked: the tolerance its engines need (${tolerance}) would let a constant answer pass (max |Δ| of one ${garbage.toExponential(2)})`
    : null;
}

/** ONNX variants: FP16 storage, FP16 compute, INT8 (static QDQ, dynamic where static cannot apply). */
export async function onnxVariants(fp32: Uint8Array, ctx: VariantContext, goldenRows: number): Promise<{ made: MadeVariant[]; card: CardVariant[] }> {
  const made: MadeVariant[] = [];
  const card: CardVariant[] = [];
  const bytes = new Map<ReferencedPrecision, Uint8Array>();
  const notMade = (precision: string, summary: string) => card.push({ precision, state: 'not-made', summary, details: [], warnings: [] });

  const tryMake = (precision: 'fp16' | 'fp16c', make: () => Uint8Array): void => {
    try {
      bytes.set(precision, make());
    } catch (error) {
      notMade(precision, `not made: ${errorMessage(error)}`);
    }
  };
  ctx.onProgress('making FP16 variants');
  const floatWeights = graphOf(decodeModel(fp32)).initializer.some((t) => t.dataType === DataType.FLOAT);
  if (floatWeights) tryMake('fp16', () => onnxToFp16Storage(fp32));
  else notMade('fp16', 'not made: the model has no float32 weight tensors to store as float16 (ai.onnx.ml operators keep their numbers in attributes)');
  if (bytes.has('fp16')) tryMake('fp16c', () => onnxToFp16Compute(fp32));
  else notMade('fp16c', 'not made: FP16 compute is checked against the FP16-storage graph, which could not be made');

  let int8Report: ReturnType<typeof userInt8>['report'] | undefined;
  ctx.onProgress('calibrating INT8');
  try {
    const base = int8Base(fp32);
    const tensors = int8CalibrationTensors(base.bytes);
    const ranges = await calibrate(base.bytes, tensors, ctx);
    const int8 = userInt8(base, ranges);
    bytes.set('int8', int8.bytes);
    int8Report = int8.report;
  } catch (error) {
    notMade('int8', `not made: ${errorMessage(error)}`);
  }

  const files = { bytes: (p: ReferencedPrecision) => bytes.get(p) ?? new Uint8Array(), path: (p: ReferencedPrecision) => `${p}.onnx` };
  const runtime = { ...ctx.reference.words, run: (b: Uint8Array, optimize: boolean) => ctx.golden({ format: 'onnx', bytes: b }, optimize) };
  for (const precision of ['fp16', 'fp16c', 'int8'] as const) {
    const variant = bytes.get(precision);
    if (!variant) continue;
    ctx.onProgress(`reference outputs of ${precision}`);
    let specs: Awaited<ReturnType<typeof variantReferenceSpecs>>;
    try {
      specs = await variantReferenceSpecs(precision, files, runtime);
    } catch (error) {
      notMade(precision, `not made: ${ctx.reference.computedBy} cannot run it (${errorMessage(error)})`);
      bytes.delete(precision);
      continue;
    }
    const { tolerance, toleranceNote } = referenceTolerance(specs.onnx, ctx.fp32Tolerance);
    const unusable = checkable(specs.onnx, tolerance, ctx, goldenRows);
    if (unusable) {
      notMade(precision, `not made: ${unusable}`);
      continue;
    }
    made.push({
      precision,
      file: { path: `${precision}.onnx`, bytes: variant },
      reference: { computedBy: ctx.reference.computedBy, graph: specs.onnx.graph, tolerance, toleranceNote, ...(specs.onnx.basis ? { basis: { ...specs.onnx.basis, maxAbsDiff: Number(specs.onnx.basis.maxAbsDiff.toPrecision(3)) } } : {}), outputs: specs.onnx.outputs },
    });
    const drift = maxAbsDiff(specs.onnx.outputs, ctx.goldenOutputs);
    const details = [k_user_variant_notes[precision].onnx, `drift from FP32 on the golden rows: max |Δ| ${drift.toExponential(2)}`, `reference: ${specs.onnx.graph}; tolerance ${tolerance}`];
    const warnings: string[] = [];
    if (precision === 'int8' && int8Report) {
      details.push(...int8Report.rewrites);
      const staticOps = int8Report.quantized.filter((q) => q.how === 'static');
      const dynamicOps = int8Report.quantized.filter((q) => q.how === 'dynamic');
      if (staticOps.length > 0) details.push(`static INT8 (QDQ, uint8 per tensor, calibrated on ${ctx.calibration.description}): ${staticOps.map((q) => `${q.op} "${q.node}"`).join(', ')}`);
      if (dynamicOps.length > 0) details.push(`dynamic INT8 (input quantized per call: static could not apply): ${dynamicOps.map((q) => `${q.op} "${q.node}"`).join(', ')}`);
      if (int8Report.float.length > 0) details.push(`left in float: ${int8Report.float.map((f) => `${f.op} "${f.node}" (${f.why})`).join(', ')}`);
      details.push('everything else (activations, pooling, softmax, ai.onnx.ml operators) reads dequantized values and computes in float32');
      if (ctx.calibration.weak) warnings.push(`Weak calibration: the INT8 ranges come from ${ctx.calibration.description}. Give your own rows (a CSV or an image folder) for ranges that match real inputs.`);
    }
    card.push({ precision, state: 'made', bytes: variant.byteLength, summary: `${variant.byteLength} bytes (FP32 ${fp32.byteLength})`, details, warnings });
  }
  return { made, card };
}

/** Min and max of every tensor the INT8 plan quantizes, over the calibration rows. */
async function calibrate(base: Uint8Array, tensors: readonly string[], ctx: VariantContext): Promise<Record<string, [number, number]>> {
  const { calibration } = ctx;
  const ranges: Record<string, [number, number]> = Object.fromEntries(tensors.map((t) => [t, [Infinity, -Infinity]]));
  const widen = (name: string, values: ArrayLike<number>): void => {
    const range = ranges[name];
    if (!range) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < range[0]) range[0] = v;
      if (v > range[1]) range[1] = v;
    }
  };
  const exposed = exposeValues(base, tensors);
  const input = calibration.input(calibration.inputs.subarray(0, 0), 0);
  const outputs = tensors.filter((t) => t !== input.name);
  const batch = Math.max(1, Math.min(512, Math.floor((1 << 22) / Math.max(1, calibration.width))));
  for (let start = 0; start < calibration.rows; start += batch) {
    const count = Math.min(batch, calibration.rows - start);
    const rows = calibration.inputs.subarray(start * calibration.width, (start + count) * calibration.width);
    widen(input.name, rows);
    if (outputs.length === 0) continue;
    const result = await ctx.reference.run({ format: 'onnx', bytes: exposed }, calibration.input(rows, count), outputs);
    for (const [name, out] of Object.entries(result)) widen(name, out.data);
  }
  return Object.fromEntries(Object.entries(ranges).map(([k, [lo, hi]]) => [k, [Math.fround(lo), Math.fround(hi)]]));
}

/** A TF.js weights manifest entry as the model.json lists it. */
export interface TfjsManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/**
 * TF.js variants: FP16 storage and INT8 weights (uint8, per tensor), both
 * expanded to FP32 at load; references by the TF.js reference engine, with
 * FP32's tolerance (FP32 arithmetic on the weights every engine holds alike).
 */
export async function tfjsVariants(modelJson: Record<string, unknown>, weightData: ArrayBuffer, ctx: VariantContext, goldenRows: number): Promise<{ made: MadeVariant[]; card: CardVariant[] }> {
  const made: MadeVariant[] = [];
  const card: CardVariant[] = [];
  const entries = ((modelJson.weightsManifest as { weights?: TfjsManifestEntry[] }[] | undefined) ?? []).flatMap((g) => g.weights ?? []);
  if (entries.some((e) => e.quantization !== undefined)) {
    for (const precision of ['fp16', 'int8']) card.push({ precision, state: 'not-made', summary: 'not made: the weights are already quantized in the file', details: [], warnings: [] });
    return { made, card };
  }
  // Float weights are re-encoded; others (int32 shapes of a graph model) keep their bytes.
  let offset = 0;
  const parts = entries.map((e) => {
    const count = e.shape.reduce((a, b) => a * b, 1);
    const size = count * (e.dtype === 'float32' || e.dtype === 'int32' ? 4 : 1);
    const bytes = new Uint8Array(weightData.slice(offset, offset + size));
    offset += size;
    return { entry: e, bytes, weight: e.dtype === 'float32' ? ({ name: e.name, shape: e.shape, values: new Float32Array(bytes.buffer) } satisfies TfjsWeight) : undefined };
  });
  for (const precision of ['fp16', 'int8'] as const) {
    ctx.onProgress(`making and checking the ${precision} TF.js weights`);
    const outEntries: (TfjsWeightEntry | TfjsManifestEntry)[] = [];
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      if (!part.weight) {
        outEntries.push(part.entry);
        chunks.push(part.bytes);
        continue;
      }
      const w = part.weight;
      const encoded = encodeTfjsWeights([w], () => (precision === 'fp16' ? { kind: 'float16' } : { kind: 'uint8', params: affineParamsFor(w.values) }));
      outEntries.push(...encoded.entries);
      chunks.push(encoded.data);
    }
    const shard = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    chunks.reduce((at, c) => (shard.set(c, at), at + c.byteLength), 0);
    const shardName = `${precision}.weights.bin`;
    const json = { ...modelJson, weightsManifest: [{ paths: [shardName], weights: outEntries }] };
    let outputs: Float32Array;
    try {
      outputs = await ctx.golden({ format: 'tfjs', modelJson: json, weightData: shard.slice().buffer });
    } catch (error) {
      card.push({ precision, state: 'not-made', summary: `not made: ${ctx.reference.computedBy} cannot run it (${errorMessage(error)})`, details: [], warnings: [] });
      continue;
    }
    const spec: ReferenceSpec = { outputs, graph: `${precision}.json (${precision === 'fp16' ? 'float16' : 'uint8'} weights, expanded to FP32 at load)`, file: `${precision}.f32`, why: 'the weights are expanded to FP32 at load and every engine holds the same values: engines differ from the reference only in summation order, as for FP32' };
    const { tolerance, toleranceNote } = referenceTolerance(spec, ctx.fp32Tolerance);
    const unusable = checkable(spec, tolerance, ctx, goldenRows);
    if (unusable) {
      card.push({ precision, state: 'not-made', summary: `not made: ${unusable}`, details: [], warnings: [] });
      continue;
    }
    const jsonText = JSON.stringify(json);
    made.push({
      precision,
      file: { path: `${precision}.json`, modelJson: jsonText, shard: { path: shardName, bytes: shard } },
      reference: { computedBy: ctx.reference.computedBy, graph: spec.graph, tolerance, toleranceNote, outputs },
    });
    card.push({
      precision,
      state: 'made',
      bytes: jsonText.length + shard.byteLength,
      summary: `${shard.byteLength} bytes of weights (FP32 ${weightData.byteLength})`,
      details: [k_user_variant_notes[precision].tfjs, `drift from FP32 on the golden rows: max |Δ| ${maxAbsDiff(outputs, ctx.goldenOutputs).toExponential(2)}`],
      warnings: [],
    });
  }
  return { made, card };
}
