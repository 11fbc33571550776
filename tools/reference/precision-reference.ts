/**
 * Runs every precision variant's graph with native onnxruntime-node (CPU EP,
 * one thread) and writes, into each manifest:
 *
 * - `artifacts.<p>.reference.<format>`: the variant's OWN golden outputs on
 *   the golden inputs, as cells reading that format compute it (see
 *   {@link referencesFor}), with a tolerance that covers engine-to-engine
 *   rounding only and the stated model it is derived from. Every cell of the
 *   variant is gated against these, never against FP32's outputs;
 * - `artifacts.<p>.measured`: drift from FP32, for information (fidelity
 *   measures it per cell): max |Δ| against the FP32 golden outputs, and on the
 *   whole evaluation set the top-1 agreement with FP32 (classifiers) or the
 *   PSNR against FP32's output (images);
 * - `artifacts.<p>.note`: what the variant is;
 * - `quality.values.<p>`: accuracy (classifiers) or mean PSNR against the
 *   reference images, outputs clamped and rounded (ESRGAN), on the evaluation set.
 *
 * The script refuses a tolerance that would let a uniform softmax (or, for
 * images, a flat grey picture) pass.
 *
 *   npx tsx tools/reference/precision-reference.ts [model-id ...]   (default: every model in public/models/index.json)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeFloat32LE, loadGolden } from '../../src/lab/models/golden';
import { imagesToInput, loadImageEvaluation, outputToPixels, psnr } from '../../src/lab/models/image-data';
import { exampleSize, type ModelManifest, parseManifest, type VariantReference } from '../../src/lab/models/manifest';
import { castAttribute, DataType, decodeModel, encodeModel, graphOf, type NodeProto } from '../../src/lab/models/onnx-model-edit';
import { qdqWeightsOnly } from '../../src/lab/models/onnx-qdq';
import { roundUp2 } from '../../src/lab/models/variant-reference';
import { k_variant_precisions, type VariantPrecision } from '../../src/lab/models/precision-variants';
import { k_variant_descriptions } from '../../scripts/models/build-variants';
import { float32Rows, formatJson } from '../../scripts/models/json-format';

/**
 * FP16 compute: engines differ in where they round to FP16, and the two
 * native runs are the extremes (no intermediate rounded, every node's output
 * rounded), so an engine in between is about one span from either; 1.5 ×
 * the span leaves half again for rounding points that are not ONNX node
 * boundaries (TF.js fuses bias and activation into a kernel, and splits softmax).
 */
export const k_fp16_span_margin = 1.5;
/**
 * INT8's bound is the effect of the first one-code flips; room for two of them
 * landing on the same output. A wider margin would let a kernel that skipped
 * requantization altogether (FP32's answers: cps-wage 1.86e-2 off) pass.
 */
export const k_int8_flip_margin = 2;
/** The classifiers' FP16 and INT8 variants must keep FP32's top-1 class on at least 97 % of the evaluation rows (issue 6). */
const k_min_agreement = 0.97;
const k_chunk_rows = 1024;

const root = join(import.meta.dirname, '../..');
const computedBy = `onnxruntime-node ${ort.env.versions.node ?? '?'} (CPU EP, 1 thread)`;

interface EvalSet {
  inputs: Float32Array;
  rows: number;
  example: number[];
  labels?: ArrayLike<number>;
  targets?: Uint8Array;
}

async function evaluationSet(dir: string, manifest: ModelManifest): Promise<EvalSet> {
  const evaluation = manifest.evaluation;
  const input = manifest.inputs[0];
  if (evaluation === undefined || input === undefined) throw new Error(`${manifest.id}: no evaluation data`);
  const example = input.shape.slice(1) as number[];
  if (evaluation.format === 'json') {
    const json = JSON.parse(await readFile(join(dir, evaluation.path), 'utf8')) as { features: number[][]; labels: number[] };
    return { inputs: Float32Array.from(json.features.flat()), rows: json.features.length, example, labels: json.labels };
  }
  if (manifest.preprocessing?.kind !== 'image') throw new Error(`${manifest.id}: image evaluation without image preprocessing`);
  const data = await loadImageEvaluation(evaluation, async (path) => new Uint8Array(await readFile(join(dir, path))).buffer);
  return {
    inputs: imagesToInput(data.images, manifest.preprocessing, 0, data.rows),
    rows: data.rows,
    example,
    ...(data.labels ? { labels: data.labels } : {}),
    ...(data.targets ? { targets: data.targets } : {}),
  };
}

/**
 * An emulation of real FP16 compute for native onnxruntime, whose CPU engine
 * computes FP16 graphs in float32 (and even drops the input's float16
 * rounding): the FP16-storage graph with every node's output (and the input)
 * rounded to float16 by a Cast pair, run without graph optimizations so the
 * casts stay. It models engines that keep intermediate values in FP16
 * (TF.js WebGL with WEBGL_FORCE_F16_TEXTURES, WebGPU with shader-f16).
 */
function fp16IntermediatesGraph(fp16StorageBytes: Uint8Array): Uint8Array {
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

async function runAll(path: string | Uint8Array, manifest: ModelManifest, inputs: Float32Array, rows: number, optimize = true): Promise<Float32Array> {
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  if (!input || !output) throw new Error(`${manifest.id}: no input or output`);
  const width = exampleSize(input) ?? 0;
  const outWidth = exampleSize(output) ?? 0;
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, ...(optimize ? {} : { graphOptimizationLevel: 'disabled' }) };
  const session = typeof path === 'string' ? await ort.InferenceSession.create(path, options) : await ort.InferenceSession.create(path, options);
  const out = new Float32Array(rows * outWidth);
  try {
    for (let start = 0; start < rows; start += k_chunk_rows) {
      const count = Math.min(k_chunk_rows, rows - start);
      const tensor = new ort.Tensor('float32', inputs.subarray(start * width, (start + count) * width), [count, ...(input.shape.slice(1) as number[])]);
      const result = await session.run({ [input.name]: tensor });
      out.set(result[output.name]?.data as Float32Array, start * outWidth);
    }
  } finally {
    await session.release();
  }
  return out;
}

const concatRows = (rows: readonly Float32Array[]): Float32Array => Float32Array.from(rows.flatMap((r) => Array.from(r)));

const argMaxRows = (values: Float32Array, width: number): number[] =>
  Array.from({ length: values.length / width }, (_, r) => {
    let best = 0;
    for (let c = 1; c < width; c++) if ((values[r * width + c] as number) > (values[r * width + best] as number)) best = c;
    return best;
  });

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}


/** Mean over images of the PSNR of clamped, rounded outputs against the reference pixels. */
function meanImagePsnr(outputs: Float32Array, targets: Uint8Array, rows: number, manifest: ModelManifest): number {
  const post = manifest.postprocessing ?? { scale: 1, offset: 0 };
  const size = outputs.length / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += psnr(outputToPixels(outputs.subarray(r * size, (r + 1) * size), post), targets.subarray(r * size, (r + 1) * size));
  return sum / rows;
}


interface ReferenceSpec {
  /** Native outputs on the golden inputs. */
  outputs: Float32Array;
  /** What ran. */
  graph: string;
  /** File name under golden/ (image models). */
  file: string;
  /** The measured bound the tolerance comes from (tolerance = margin × maxAbsDiff); absent: FP32's tolerance. */
  basis?: { description: string; maxAbsDiff: number; margin: number };
  why: string;
}

/**
 * Each variant's reference outputs per format, and the model of how engines
 * may differ from them:
 *
 * - fp16 (storage), int4 (fixture), and int8 as TF.js runs it: FP32 arithmetic
 *   on float32 weights that every engine holds bit for bit alike
 *   (zoo-variants.test.ts checks the TF.js and ONNX weights are identical), so
 *   engines differ from native only in summation order: FP32's tolerance.
 * - int8 as onnxruntime runs it: activations are re-rounded to uint8 after
 *   every quantized operator. Native's fused integer kernels (QLinearConv,
 *   QLinearMatMul: what onnxruntime-web wasm runs) and the unfused graph
 *   (DequantizeLinear → FP32 operator → QuantizeLinear, graph optimizations
 *   off: what providers without integer kernels run) differ where a sum lands
 *   at a rounding boundary. The unfused graph with every value about to be
 *   requantized nudged by ±2^-14 shows how far the first such flips carry;
 *   that max |Δ| × k_int8_flip_margin.
 * - fp16c: engines differ in where they round to FP16. Native onnxruntime
 *   folds the casts (intermediates in FP32: the ONNX cells' reference); the
 *   FP16-storage graph with every node's output rounded to FP16 models
 *   engines that store intermediates in FP16 (TF.js WebGL with FP16 textures:
 *   the TF.js cells' reference). The max |Δ| between the two × k_fp16_span_margin.
 */
async function referencesFor(
  p: VariantPrecision,
  dir: string,
  manifest: ModelManifest,
  inputs: Float32Array,
  rows: number,
): Promise<{ onnx: ReferenceSpec; tfjs?: ReferenceSpec }> {
  const artifacts = manifest.artifacts;
  const path = (q: VariantPrecision) => join(dir, artifacts[q]?.onnx?.path ?? 'missing');
  const fp32Rule = 'this graph computes in FP32 on float32 weights that every engine holds bit for bit alike, so engines differ from native onnxruntime only in summation order, as for FP32';
  if (p === 'fp16' || p === 'int4') {
    const outputs = await runAll(path(p), manifest, inputs, rows);
    const what = p === 'fp16' ? 'FP16-rounded weights expanded to FP32 (the casts are folded at load)' : 'weights rounded to 16 levels, stored as FP32';
    const ref: ReferenceSpec = { outputs, graph: `${artifacts[p]?.onnx?.path ?? ''}, all graph optimizations`, file: `${p}.f32`, why: `${what}: ${fp32Rule}` };
    return { onnx: ref, tfjs: ref };
  }
  if (p === 'int8') {
    const bytes = new Uint8Array(await readFile(path(p)));
    const fused = await runAll(path(p), manifest, inputs, rows);
    const unfused = await runAll(path(p), manifest, inputs, rows, false);
    let nudged = maxAbsDiff(fused, unfused);
    for (const factor of [1 + k_requantization_nudge, 1 - k_requantization_nudge]) {
      nudged = Math.max(nudged, maxAbsDiff(fused, await runAll(nudgeBeforeQuantize(bytes, factor), manifest, inputs, rows, false)));
    }
    // Optimizations off: with them on, onnxruntime fuses DequantizeLinear → MatMul into integer kernels with dynamically quantized activations (1.6e-3 off TF.js on cps-wage).
    const weightsOnly = await runAll(qdqWeightsOnly(bytes), manifest, inputs, rows, false);
    return {
      onnx: {
        outputs: fused,
        graph: `${artifacts.int8?.onnx?.path ?? ''}, all graph optimizations (fused QLinearConv/QLinearMatMul integer kernels)`,
        file: 'int8.f32',
        basis: {
          description: `max |Δ| between native fused integer kernels and the same QDQ graph unfused (DequantizeLinear → FP32 operator → QuantizeLinear, graph optimizations off), as is and with every value about to be requantized nudged by ±${k_requantization_nudge.toExponential(1)} relative`,
          maxAbsDiff: nudged,
          margin: k_int8_flip_margin,
        },
        why:
          'activations are re-rounded to uint8 after every quantized operator; an engine that sums in another order or in float (onnxruntime-web WebGL/WebGPU/WebNN expand QDQ and compute in FP32) lands one code away where a sum sits at a rounding boundary, and that step carries to the outputs. ' +
          `Summation order moves a sum by a few float32 ulps; the ±${k_requantization_nudge.toExponential(1)} nudge (~${Math.round(k_requantization_nudge / 2 ** -23)} ulps) makes the first values cross a boundary on the golden rows and shows how far one flip carries; ${k_int8_flip_margin}× leaves room for two on one output`,
      },
      tfjs: {
        outputs: weightsOnly,
        graph: `${artifacts.int8?.onnx?.path ?? ''} without its activation QuantizeLinear → DequantizeLinear pairs (dequantized uint8 weights, FP32 activations: what TF.js computes with the int8 files), graph optimizations off (with them, onnxruntime fuses the weight DequantizeLinear into integer kernels)`,
        file: 'int8-weights-only.f32',
        why: `TF.js expands the uint8 weights to FP32 at load and keeps activations in FP32: ${fp32Rule}`,
      },
    };
  }
  // fp16c
  const folded = await runAll(path('fp16c'), manifest, inputs, rows);
  const intermediates = await runAll(fp16IntermediatesGraph(new Uint8Array(await readFile(path('fp16')))), manifest, inputs, rows, false);
  const basis = {
    description: "max |Δ| between native onnxruntime on the FP16-compute graph (casts folded, intermediates in FP32) and the FP16-storage graph with every node's output rounded to FP16 (graph optimizations off)",
    maxAbsDiff: maxAbsDiff(folded, intermediates),
    margin: k_fp16_span_margin,
  };
  const outside =
    'Engines with FP16 arithmetic inside an operator (ORT WebGPU with shader-f16) also round within each sum: that is outside this model (no engine here has it), and such a cell that exceeded the tolerance would end errored, not pass';
  return {
    onnx: {
      outputs: folded,
      graph: `${artifacts.fp16c?.onnx?.path ?? ''}, all graph optimizations (onnxruntime's CPU engine folds the casts and computes in FP32)`,
      file: 'fp16c.f32',
      basis,
      why: `engines differ in where they round to FP16: none (native onnxruntime, these outputs), some (onnxruntime-web providers that insert casts around operators without FP16 kernels) or after every operator; the two extremes bound it. ${outside}`,
    },
    tfjs: {
      outputs: intermediates,
      graph: `${artifacts.fp16?.onnx?.path ?? ''} with every node's output (and the input) rounded to FP16 by a Cast pair, graph optimizations off: FP32 arithmetic on FP16 intermediates, as TF.js WebGL computes with WEBGL_FORCE_F16_TEXTURES`,
      file: 'fp16c-f16-intermediates.f32',
      basis,
      why: `TF.js WebGL rounds to FP16 where it writes a texture, which is not always at an ONNX node boundary (it fuses bias and activation into a convolution, and splits softmax into several kernels); the span between no and every intermediate rounded to FP16 bounds that. ${outside}`,
    },
  };
}

/**
 * Relative nudge of each value before requantization: 2^-14, ~512 float32
 * ulps, the smallest power of two at which the golden rows show flips (cps-wage:
 * none at 2^-16; see referencesFor, int8).
 */
const k_requantization_nudge = 2 ** -14;

/** The QDQ graph with every activation scaled by `factor` right before its QuantizeLinear (a model of engines whose sums differ slightly). */
function nudgeBeforeQuantize(bytes: Uint8Array, factor: number): Uint8Array {
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

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function writeReference(dir: string, manifest: ModelManifest, spec: ReferenceSpec, garbage: Float32Array, garbageDiff: number, label: string): Promise<VariantReference> {
  const fp32 = manifest.golden.tolerance;
  const tolerance = spec.basis && spec.basis.maxAbsDiff > 0 ? Math.max(roundUp2(spec.basis.margin * spec.basis.maxAbsDiff), fp32) : fp32;
  if (tolerance >= maxAbsDiff(garbage, spec.outputs) / 2) throw new Error(`${label}: tolerance ${tolerance} would not catch garbage output (max |Δ| ${garbageDiff.toFixed(3)})`);
  const toleranceNote = spec.basis
    ? `Tolerance ${tolerance}: ${spec.basis.margin} × the ${spec.basis.description}, ${spec.basis.maxAbsDiff.toExponential(2)}${spec.basis.margin * spec.basis.maxAbsDiff < fp32 ? `, raised to FP32's ${fp32}` : ''}. Why: ${spec.why}.`
    : `Tolerance ${tolerance}, FP32's: ${spec.why}.`;
  const common = { computedBy, graph: spec.graph, tolerance, toleranceNote, ...(spec.basis ? { basis: { ...spec.basis, maxAbsDiff: Number(spec.basis.maxAbsDiff.toPrecision(3)) } } : {}) };
  if (manifest.golden.file === undefined) {
    const width = spec.outputs.length / manifest.golden.rows;
    return { ...common, outputs: float32Rows(Array.from({ length: manifest.golden.rows }, (_, r) => Array.from(spec.outputs.subarray(r * width, (r + 1) * width)))) };
  }
  const bytes = encodeFloat32LE(spec.outputs);
  const path = `golden/${spec.file}`;
  await mkdir(join(dir, 'golden'), { recursive: true });
  await writeFile(join(dir, path), bytes);
  return { ...common, file: { path, bytes: bytes.byteLength, sha256: sha256(bytes) } };
}

async function measureModel(id: string): Promise<void> {
  const dir = join(root, 'public/models', id);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')));
  const golden = await loadGolden(manifest, async (path) => new Uint8Array(await readFile(join(dir, path))).buffer);
  const goldenInputs = concatRows(golden.inputs);
  const goldenOutputs = concatRows(golden.outputs);
  const evaluation = await evaluationSet(dir, manifest);
  const outWidth = exampleSize(manifest.outputs[0] ?? { shape: [] }) ?? 0;
  const classifier = manifest.task !== 'image-to-image';
  const fp32Path = join(dir, manifest.artifacts.fp32.onnx?.path ?? 'missing');
  const fp32Eval = await runAll(fp32Path, manifest, evaluation.inputs, evaluation.rows);
  const fp32Top1 = classifier ? argMaxRows(fp32Eval, outWidth) : [];
  // What a broken engine would return: a uniform softmax, or a flat mid-grey image.
  const garbage = new Float32Array(goldenOutputs.length).fill(classifier ? 1 / outWidth : 128);
  const garbageDiff = maxAbsDiff(garbage, goldenOutputs);

  const artifacts = { ...manifest.artifacts };
  const values = { ...(manifest.quality?.values ?? {}) };
  const lines: string[] = [];
  for (const p of k_variant_precisions) {
    const set = artifacts[p];
    if (!set?.onnx) continue;
    const path = join(dir, set.onnx.path);
    // Drift from FP32 (information; fidelity measures it per cell).
    const nativeDiff = maxAbsDiff(await runAll(path, manifest, goldenInputs, golden.rows), goldenOutputs);
    let emulated: { diff: number; agreement?: number; psnr?: number } | undefined;
    if (p === 'fp16c') {
      const storage = await readFile(join(dir, artifacts.fp16?.onnx?.path ?? 'missing'));
      const graph = fp16IntermediatesGraph(new Uint8Array(storage));
      const evalOut = await runAll(graph, manifest, evaluation.inputs, evaluation.rows, false);
      emulated = {
        diff: maxAbsDiff(await runAll(graph, manifest, goldenInputs, golden.rows, false), goldenOutputs),
        ...(classifier ? { agreement: argMaxRows(evalOut, outWidth).filter((c, i) => c === fp32Top1[i]).length / evaluation.rows } : { psnr: psnr(evalOut, fp32Eval) }),
      };
      if (emulated.agreement !== undefined && emulated.agreement < k_min_agreement) throw new Error(`${id} fp16c: emulated FP16 compute agrees with FP32 on only ${emulated.agreement}`);
    }
    const out = await runAll(path, manifest, evaluation.inputs, evaluation.rows);
    let quality: number;
    let agreement: Partial<NonNullable<typeof set.measured>>;
    if (classifier) {
      const top1 = argMaxRows(out, outWidth);
      const labels = evaluation.labels ?? [];
      quality = Number((top1.filter((c, i) => c === labels[i]).length / evaluation.rows).toFixed(4));
      const agree = top1.filter((c, i) => c === fp32Top1[i]).length / evaluation.rows;
      agreement = { top1Agreement: Number(agree.toFixed(4)) };
      if ((p === 'fp16' || p === 'fp16c' || p === 'int8') && agree < k_min_agreement) throw new Error(`${id} ${p}: top-1 agreement with FP32 ${agree.toFixed(4)} < ${k_min_agreement}`);
    } else {
      quality = Number(meanImagePsnr(out, evaluation.targets ?? new Uint8Array(out.length), evaluation.rows, manifest).toFixed(2));
      agreement = { psnrVsFp32Db: Number(psnr(out, fp32Eval).toFixed(2)) };
    }

    // The variant's own reference outputs, per format.
    const specs = await referencesFor(p, dir, manifest, goldenInputs, golden.rows);
    const onnx = await writeReference(dir, manifest, specs.onnx, garbage, garbageDiff, `${id} ${p} onnx`);
    const tfjs = specs.tfjs && (set.tfjs || p === 'fp16c') ? await writeReference(dir, manifest, specs.tfjs, garbage, garbageDiff, `${id} ${p} tfjs`) : undefined;
    artifacts[p] = {
      ...set,
      reference: { onnx, ...(tfjs ? { tfjs } : {}) },
      note: k_variant_descriptions[p],
      measured: {
        computedBy,
        maxAbsDiff: Number(nativeDiff.toPrecision(3)),
        ...(emulated ? { emulatedFp16MaxAbsDiff: Number(emulated.diff.toPrecision(3)) } : {}),
        evalRows: evaluation.rows,
        ...agreement,
      },
    };
    values[p] = quality;
    const basis = (r: VariantReference) => (r.basis ? ` (${r.basis.margin} × ${r.basis.maxAbsDiff.toExponential(2)})` : ' (FP32)');
    lines.push(
      `${id} ${p}: reference tolerance onnx ${onnx.tolerance}${basis(onnx)}${tfjs ? `, tfjs ${tfjs.tolerance}${basis(tfjs)}` : ''}; ` +
        `drift vs FP32 max |Δ| ${nativeDiff.toExponential(2)}${emulated ? ` (FP16 intermediates ${emulated.diff.toExponential(2)})` : ''}; ` +
        `${classifier ? `accuracy ${quality}, top-1 agreement ${agreement.top1Agreement}` : `PSNR ${quality} dB, vs FP32 ${agreement.psnrVsFp32Db} dB`}`,
    );
  }
  const updated = parseManifest({ ...manifest, artifacts, ...(manifest.quality ? { quality: { ...manifest.quality, values } } : {}) });
  await writeFile(manifestPath, `${formatJson(updated)}\n`);
  lines.forEach((l) => console.log(l));
}

let ids = process.argv.slice(2);
if (ids.length === 0) ids = (JSON.parse(await readFile(join(root, 'public/models/index.json'), 'utf8')) as { models: string[] }).models;
ort.env.logLevel = 'error';
for (const id of ids) await measureModel(id);
