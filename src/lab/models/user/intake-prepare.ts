/**
 * Step two of taking in a user's model: everything the zoo's build does
 * offline, done once for this file, so that the rest of the lab (the runner,
 * the engine × variant matrix, fidelity per slice, attributions, downloads)
 * treats it like a zoo model. In order:
 *
 * 1. the measured graph (onnx-measured-graph.ts; TF.js models run as they are);
 * 2. the rows: the user's CSV or image folder, or seeded random rows;
 * 3. the reference, in its own step: FP32 on the reference engine (the page's
 *    onnxruntime-web wasm, TF.js CPU for a TF.js model, or native goldens the
 *    CLI computed), on the golden rows and, with labelled data, on every row
 *    plus the attribution setup (KernelSHAP over the mapped columns,
 *    occlusion for images);
 * 4. the variants and their own references (intake-variants.ts);
 * 5. a manifest in the zoo's format, and its files.
 */
import { featureGroupsFromNames, k_max_kernel_shap_groups } from '../../fidelity/shapley';
import type { EvaluationSet } from '../../fidelity/evaluation-set';
import { kernelShapReference, occlusionReference } from '../../fidelity/reference-builder';
import { type FidelityReference, k_fidelity_reference_file, parseFidelityReference } from '../../fidelity/reference-data';
import { encodeFloat32LE } from '../golden';
import { k_manifest_schema_version, type ModelManifest, parseManifest } from '../manifest';
import { sha256Hex } from '../model-fetch';
import { countFlops } from '../onnx-flops';
import { decodeModel } from '../onnx-model-edit';
import { maxAbsDiff } from '../variant-references';
import { type IntakeData, prepareData, type PreparedData } from './intake-data';
import type { IntakeOptions } from './intake-options';
import { type ReadModel, userModelId } from './intake-read';
import { formatLabel } from '../model-formats';
import { type UserTflite, userTfliteFiles, withTflitePrediction } from './intake-tflite';
import { k_user_variant_notes, onnxVariants, tfjsVariants, type VariantContext } from './intake-variants';
import type { CardDim, CardVariant, ModelCard } from './model-card';
import { measuredGraph } from './onnx-measured-graph';
import type { ReferenceEngine, ReferenceModel } from './reference-engine';
import { csvLabels } from './tabular-data';
import { UserInputError } from './user-model-error';

/** The cell that runs the page's reference engine on the model's own format, and so agrees with it by construction. */
export const k_reference_cell: Readonly<Record<ReferenceModel['format'], string>> = { onnx: 'ORT wasm', tfjs: 'TF.js CPU', tflite: 'LiteRT wasm' };

/** A .tflite file gets no variants in the page: the lab's transforms and exporter read ONNX graphs. */
function tfliteVariants(): { made: []; card: CardVariant[] } {
  const summary = "not made: the page makes variants from ONNX and TF.js files; a .tflite file runs as it is (bring its FP16 or INT8 .tflite as a model of its own)";
  return { made: [], card: (['fp16', 'int8'] as const).map((precision) => ({ precision, state: 'not-made' as const, summary, details: [], warnings: [] })) };
}

export interface NativeReference {
  computedBy: string;
  /** The golden rows (each an example's values, flattened) and the outputs the native runtime gave for them. */
  inputs: number[][];
  outputs: number[][];
}

export type IntakeStep = 'measured-graph' | 'inputs' | 'reference' | 'fidelity-reference' | 'variants' | 'manifest';

export interface PrepareDeps {
  reference: ReferenceEngine;
  onProgress?: (step: IntakeStep, detail: string) => void;
  /** FP32 golden outputs computed elsewhere (the CLI's native onnxruntime): they become the golden outputs. */
  native?: NativeReference;
}

export interface PreparedUserModel {
  modelId: string;
  card: ModelCard;
  manifest: ModelManifest;
  /** Every file the manifest names, and manifest.json itself. */
  files: Record<string, Uint8Array>;
}

/** FP32 tolerance of a user's model: 1e-4 of its largest output (at least 1e-4), engines differing only in summation order. */
export function userFp32Tolerance(outputs: Float32Array): { tolerance: number; note: string } {
  let largest = 0;
  for (const v of outputs) largest = Math.max(largest, Math.abs(v));
  const tolerance = Number((1e-4 * Math.max(1, largest)).toPrecision(2));
  return {
    tolerance,
    note:
      `1e-4 × the largest |output| on the golden rows (${largest.toPrecision(3)}), at least 1e-4: float32 engines that differ only in summation order agree to about 1e-6 of it, ` +
      'so 1e-4 catches any real error (the zoo uses 1e-4 for probabilities in [0, 1])',
  };
}

interface Measured {
  model: ReferenceModel;
  inputName: string;
  exampleDims: number[];
  outputName: string;
  declaredOutput: (number | null)[] | null;
  feeds: { name: string; type: string; exampleDims: number[]; values: number }[];
  classLabels?: (number | string)[];
  changes: string[];
  fixedBatch?: number;
}

function measured(read: ReadModel, options: IntakeOptions): Measured {
  if (read.format === 'onnx') {
    const graph = measuredGraph(decodeModel(read.bytes), read.bytes, options);
    return {
      model: { format: 'onnx', bytes: graph.bytes },
      inputName: graph.input.name,
      exampleDims: graph.input.exampleDims,
      outputName: graph.output.name,
      declaredOutput: graph.output.exampleDims,
      feeds: graph.feeds,
      ...(graph.classLabels ? { classLabels: graph.classLabels } : {}),
      changes: graph.changes,
      ...(graph.fixedBatch !== undefined ? { fixedBatch: graph.fixedBatch } : {}),
    };
  }
  // TF.js and TFLite files run as they are: one input, its axes after the batch known.
  const kind = formatLabel(read.format);
  const input = read.card.inputs[0];
  if (!input || read.card.inputs.length !== 1) throw new UserInputError('unsupported', `The ${kind} model has ${read.card.inputs.length} inputs; the lab feeds ${kind} models with one`);
  const rest = (input.shape ?? []).slice(1);
  if (!input.shape || rest.some((d) => typeof d !== 'number')) throw new UserInputError('unsupported', `${kind} input "${input.name}" has shape [${(input.shape ?? ['?']).join(', ')}]: every axis after the batch needs a size`);
  const exampleDims = rest as number[];
  const output = options.output ?? read.card.outputs[0]?.name;
  if (!output) throw new UserInputError('unsupported', `The ${kind} model names no output`);
  const values = exampleDims.reduce((a, b) => a * b, 1);
  const batchAxis = input.shape[0];
  return {
    model: read.format === 'tfjs' ? { format: 'tfjs', modelJson: read.files.modelJson, weightData: read.files.weightData } : { format: 'tflite', bytes: read.bytes },
    inputName: input.name,
    exampleDims,
    outputName: output,
    declaredOutput: null,
    feeds: [{ name: input.name, type: 'float32', exampleDims, values }],
    // A .tflite file that states its batch (no -1 in its shape signature) runs only that batch (tflite-batch.ts).
    ...(read.format === 'tflite' && typeof batchAxis === 'number'
      ? { fixedBatch: batchAxis, changes: [`The batch axis is fixed at ${batchAxis} in the file: only batch size ${batchAxis} can run`] }
      : { changes: [] }),
  };
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Runs rows through a model in batches the engine can take; the flat outputs and one example's output dimensions. */
async function runBatches(reference: ReferenceEngine, m: Measured, model: ReferenceModel, inputs: Float32Array, count: number, optimize = true): Promise<{ data: Float32Array; dims: number[] }> {
  const width = product(m.exampleDims);
  const batch = m.fixedBatch ?? Math.max(1, Math.min(1024, Math.floor((1 << 22) / Math.max(1, width))));
  const parts: Float32Array[] = [];
  let dims: number[] = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const result = await reference.run(model, { name: m.inputName, data: inputs.subarray(start * width, (start + n) * width), dims: [n, ...m.exampleDims] }, [m.outputName], optimize);
    const out = result[m.outputName];
    if (!out) throw new Error(`no output "${m.outputName}"`);
    if (out.dims[0] !== n) throw new UserInputError('unsupported', `Output "${m.outputName}" has shape [${out.dims.join(', ')}] for a batch of ${n}: the lab reads outputs whose first axis is the batch`);
    dims = out.dims.slice(1);
    parts.push(out.data);
  }
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (flat.set(p, at), at + p.length), 0);
  return { data: flat, dims };
}

/**
 * Takes the model's edges and the data as the page will, without running
 * anything: the CLI refuses a CSV that does not match, or NaN, before a
 * browser starts.
 * @throws UserInputError naming the problem.
 */
export async function checkUserData(read: ReadModel, data: IntakeData, options: IntakeOptions): Promise<void> {
  const first = read.problems[0];
  if (first) throw new UserInputError(first.problem, first.message);
  await prepareData(data, measured(read, options).feeds, options);
}

/**
 * The golden rows the page will choose for this model and data, with another
 * engine's outputs for them: how the CLI computes native goldens
 * (onnxruntime-node) that the page then checks every cell against.
 * @throws UserInputError for the same problems the page would find.
 */
export async function externalGolden(read: ReadModel, data: IntakeData, options: IntakeOptions, reference: ReferenceEngine): Promise<NativeReference> {
  const first = read.problems[0];
  if (first) throw new UserInputError(first.problem, first.message);
  const m = measured(read, options);
  const rows = await prepareData(data, m.feeds, options);
  const out = await runBatches(reference, m, m.model, rows.golden.inputs, rows.golden.rows);
  const width = product(m.exampleDims);
  const outWidth = out.data.length / rows.golden.rows;
  return {
    computedBy: reference.computedBy,
    inputs: Array.from({ length: rows.golden.rows }, (_, r) => Array.from(rows.golden.inputs.subarray(r * width, (r + 1) * width))),
    outputs: Array.from({ length: rows.golden.rows }, (_, r) => Array.from(out.data.subarray(r * outWidth, (r + 1) * outWidth))),
  };
}

export async function prepareUserModel(read: ReadModel, data: IntakeData, options: IntakeOptions, deps: PrepareDeps): Promise<PreparedUserModel> {
  const progress = (step: IntakeStep, detail: string) => deps.onProgress?.(step, detail);
  const first = read.problems[0];
  if (first) throw new UserInputError(first.problem, first.message);
  const { reference } = deps;

  progress('measured-graph', 'adapting the graph\'s edges');
  const m = measured(read, options);
  const width = product(m.exampleDims);

  progress('inputs', data.kind === 'none' ? 'seeded random rows' : data.kind === 'csv' ? `reading ${data.fileName}` : `decoding ${data.items.length} images`);
  const rows: PreparedData = await prepareData(data, m.feeds, options);
  if (m.fixedBatch !== undefined && m.fixedBatch !== 1) throw new UserInputError('unsupported', `The file fixes the batch axis at ${m.fixedBatch}; the lab runs fixed batches of 1 only`);

  const runRows = (model: ReferenceModel, inputs: Float32Array, count: number, optimize = true) => runBatches(reference, m, model, inputs, count, optimize);

  progress('reference', `FP32 on ${reference.computedBy}`);
  let goldenInputs = rows.golden.inputs;
  let goldenRows = rows.golden.rows;
  let fp32: { data: Float32Array; dims: number[] };
  try {
    fp32 = await runRows(m.model, goldenInputs, goldenRows);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError('unsupported', `${reference.computedBy} could not run the FP32 model on ${rows.description}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const outDims = fp32.dims;
  const outWidth = product(outDims);
  if (m.declaredOutput && m.declaredOutput.some((d, i) => d !== null && d !== outDims[i])) {
    throw new UserInputError('unsupported', `Output "${m.outputName}" is declared [N, ${m.declaredOutput.map((d) => d ?? '?').join(', ')}] but the model gives [N, ${outDims.join(', ')}]`);
  }
  let goldenOutputs = fp32.data;
  let referenceKind = reference.kind;
  let computedBy = reference.computedBy;
  let crossCheck = '';
  if (deps.native) {
    const native = deps.native;
    if (native.inputs.some((r) => r.length !== width) || native.outputs.some((r) => r.length !== outWidth) || native.inputs.length !== native.outputs.length || native.inputs.length === 0) {
      throw new UserInputError('data', `The native reference has ${native.inputs.length} rows of ${native.inputs[0]?.length ?? 0} inputs and ${native.outputs[0]?.length ?? 0} outputs; the model takes ${width} and gives ${outWidth}`);
    }
    goldenRows = native.inputs.length;
    goldenInputs = Float32Array.from(native.inputs.flat());
    goldenOutputs = Float32Array.from(native.outputs.flat());
    const page = await runRows(m.model, goldenInputs, goldenRows);
    crossCheck = ` ${reference.computedBy} gave max |Δ| ${maxAbsDiff(page.data, goldenOutputs).toExponential(2)} from these on the same rows.`;
    referenceKind = 'native';
    computedBy = native.computedBy;
  }
  const fp32Tolerance = userFp32Tolerance(goldenOutputs);

  // Labelled rows: the whole set through the reference, and the attribution setup.
  let evaluation: { set: EvaluationSet; outputs: Float32Array; labels: Int32Array } | undefined;
  let fidelity: FidelityReference | undefined;
  if (rows.evaluation) {
    const ev = rows.evaluation;
    const classes = outWidth === 1 ? 2 : outWidth;
    const labels = ev.labels.kind === 'csv' ? csvLabels(ev.labels.table, ev.labels.column, classes, m.classLabels) : ev.labels.values;
    const set: EvaluationSet = {
      rows: ev.rows,
      inputWidth: width,
      inputs: (start, count) => ev.inputs.subarray(start * width, (start + count) * width),
      labels,
      slices: ev.slices,
      ...(ev.images ? { image: { height: ev.images.preprocessing.height, width: ev.images.preprocessing.width, channels: ev.images.preprocessing.channels, layout: ev.images.preprocessing.layout === 'NCHW' ? ('chw' as const) : ('hwc' as const) } } : {}),
    };
    progress('fidelity-reference', `FP32 on all ${ev.rows} rows`);
    const outputs = (await runRows(m.model, ev.inputs, ev.rows)).data;
    const predict = async (x: Float32Array) => (await runRows(m.model, x, x.length / width)).data;
    let attribution: FidelityReference['attribution'];
    if (ev.images) {
      progress('fidelity-reference', 'occlusion maps');
      const { height } = ev.images.preprocessing;
      const classesSeen = new Set(labels).size;
      attribution = await occlusionReference(set, outputs, outWidth, { patch: Math.max(1, Math.round(height / 4)), stride: Math.max(1, Math.round(height / 4)), fill: 0, perClass: Math.max(1, Math.floor(10 / classesSeen)) }, predict);
    } else if (ev.featureNames && ev.rows >= 4) {
      const { names, groups } = featureGroupsFromNames(ev.featureNames);
      if (groups.length <= k_max_kernel_shap_groups) {
        progress('fidelity-reference', `KernelSHAP over ${groups.length} feature groups`);
        const background = Math.min(20, Math.floor(ev.rows / 2));
        attribution = await kernelShapReference(
          set,
          outWidth,
          { explainRows: Math.min(10, ev.rows - background), backgroundRows: background, coalitions: Math.min(2 ** groups.length - 2, 256), seed: options.seed, target: outWidth > 1 ? 1 : 0, groupNames: names, groups },
          predict,
        );
      }
    }
    evaluation = { set, outputs, labels };
    fidelity = parseFidelityReference({
      schemaVersion: 1,
      modelId: userModelId(read.card.sha256),
      computedBy: reference.computedBy,
      evaluation: { rows: ev.rows, width: outWidth, outputs: 'fidelity/reference-outputs.f32' },
      ...(attribution ? { attribution } : {}),
    });
  }

  progress('variants', 'FP16 and INT8');
  const calibrationInput = (data: Float32Array, count: number) => ({ name: m.inputName, data, dims: [count, ...m.exampleDims] });
  const context: VariantContext = {
    reference,
    golden: async (model, optimize = true) => (await runRows(model, goldenInputs, goldenRows, optimize)).data,
    goldenOutputs,
    fp32Tolerance: fp32Tolerance.tolerance,
    calibration: { input: calibrationInput, inputs: rows.calibration.inputs, rows: rows.calibration.rows, width, weak: rows.calibration.weak, description: rows.calibration.description },
    onProgress: (what) => progress('variants', what),
  };
  const variants =
    m.model.format === 'onnx'
      ? await onnxVariants(m.model.bytes, context, goldenRows)
      : m.model.format === 'tfjs'
        ? await tfjsVariants(m.model.modelJson as Record<string, unknown>, m.model.weightData, context, goldenRows)
        : tfliteVariants();

  let tflite: UserTflite | undefined;
  if (m.model.format === 'onnx') {
    progress('variants', '.tflite for LiteRT');
    const fp16 = variants.made.find((v) => v.precision === 'fp16')?.file;
    tflite = userTfliteFiles(m.model.bytes, fp16 && 'bytes' in fp16 ? fp16.bytes : undefined, read.card.fileName);
  }

  progress('manifest', 'writing the manifest');
  const modelId = userModelId(read.card.sha256);
  const files: Record<string, Uint8Array> = {};
  const fileRef = async (path: string, bytes: Uint8Array) => {
    files[path] = bytes;
    return { path, bytes: bytes.byteLength, sha256: await sha256Hex([bytes]) };
  };
  const referenceNote =
    referenceKind === 'native'
      ? `Golden outputs by ${computedBy}, computed natively by the CLI.${crossCheck} Variant references by ${reference.computedBy}.`
      : `Golden outputs by ${reference.computedBy}, computed once in its own step: no native runtime exists in a browser, so the ${k_reference_cell[m.model.format]} FP32 cell agrees with it by construction; every other cell is checked against it.`;

  const fp32Artifact = m.model.format === 'onnx'
    ? { onnx: await fileRef('model.fp32.onnx', m.model.bytes) }
    : m.model.format === 'tflite'
      ? { tflite: await fileRef('model.fp32.tflite', m.model.bytes) }
      : await tfjsArtifact('model.fp32.json', new TextEncoder().encode(JSON.stringify(m.model.modelJson)), { path: 'model.fp32.weights.bin', bytes: new Uint8Array(m.model.weightData) });
  async function tfjsArtifact(jsonPath: string, json: Uint8Array, shard: { path: string; bytes: Uint8Array }) {
    // model.json names its shard; the artifact's SHA-256 covers both, as the zoo's do.
    const parsed = JSON.parse(new TextDecoder().decode(json)) as { weightsManifest?: { paths?: string[] }[] };
    const named = { ...parsed, weightsManifest: [{ ...(parsed.weightsManifest?.[0] ?? {}), paths: [shard.path], weights: (parsed.weightsManifest ?? []).flatMap((g) => (g as { weights?: unknown[] }).weights ?? []) }] };
    const jsonBytes = new TextEncoder().encode(JSON.stringify(named));
    files[jsonPath] = jsonBytes;
    files[shard.path] = shard.bytes;
    return { tfjs: { path: jsonPath, bytes: jsonBytes.byteLength + shard.bytes.byteLength, sha256: await sha256Hex([jsonBytes, shard.bytes]) } };
  }

  /** The .tflite file of a precision, or why there is none (a user's ONNX model; TF.js models have no exporter). */
  const tfliteOf = async (precision: 'fp32' | 'fp16' | 'int8') => {
    const bytes = precision === 'int8' ? undefined : tflite?.written[precision];
    if (bytes) return { tflite: await fileRef(`model.${precision}.tflite`, bytes) };
    const unwritten = tflite?.unwritten[precision];
    return unwritten ? { unwritten: { tflite: unwritten } } : {};
  };
  const artifacts: ModelManifest['artifacts'] = { fp32: { ...fp32Artifact, ...(await tfliteOf('fp32')) } };
  for (const v of variants.made) {
    const refFile = await fileRef(`golden/${v.precision}.f32`, encodeFloat32LE(v.reference.outputs));
    const { outputs: _outputs, ...rest } = v.reference;
    const ref = { ...rest, file: refFile };
    const file = v.file;
    const artifact = 'bytes' in file ? { onnx: await fileRef(file.path, file.bytes) } : await tfjsArtifact(file.path, new TextEncoder().encode(file.modelJson), file.shard);
    const extra = v.precision === 'fp16c' ? {} : await tfliteOf(v.precision);
    // The FP16 .tflite reads the same float16 weights through DEQUANTIZE and computes in FP32: the ONNX graph's reference is its own.
    const tfliteRef = 'tflite' in extra ? { tflite: { ...ref, graph: `${ref.graph}; the .tflite written from that graph computes the same numbers (float16 weights read through DEQUANTIZE, FP32 compute)` } } : {};
    artifacts[v.precision] = { ...artifact, ...extra, reference: m.model.format === 'onnx' ? { onnx: ref, ...tfliteRef } : { tfjs: ref }, note: k_user_variant_notes[v.precision][m.model.format === 'tfjs' ? 'tfjs' : 'onnx'] };
  }

  const golden = {
    computedBy,
    tolerance: fp32Tolerance.tolerance,
    toleranceNote: fp32Tolerance.note,
    rows: goldenRows,
    file: { inputs: 'golden/inputs.f32', outputs: 'golden/outputs.f32', dtype: 'float32' as const },
  };
  files['golden/inputs.f32'] = encodeFloat32LE(goldenInputs);
  files['golden/outputs.f32'] = encodeFloat32LE(goldenOutputs);

  let evaluationEntry: ModelManifest['evaluation'];
  let labelNames: string[] | undefined;
  const ev = rows.evaluation;
  if (evaluation && ev && fidelity) {
    files['fidelity/reference-outputs.f32'] = encodeFloat32LE(evaluation.outputs);
    files[k_fidelity_reference_file] = new TextEncoder().encode(JSON.stringify(fidelity));
    if (ev.images) {
      const { height, width: w, channels } = ev.images.preprocessing;
      const images = await fileRef('eval/images.u8', ev.images.pixels);
      const labels = await fileRef('eval/labels.u8', Uint8Array.from(evaluation.labels));
      evaluationEntry = { format: 'uint8-images', rows: ev.rows, images: { ...images, height, width: w, channels, sha256: images.sha256 }, labels: { path: labels.path, bytes: labels.bytes, sha256: labels.sha256 }, sliceColumns: ['class'] };
      if (ev.labels.kind === 'classes') labelNames = Array.from({ length: outWidth }, (_, i) => (ev.labels.kind === 'classes' ? ev.labels.names[i] : undefined) ?? `class ${i}`);
    } else {
      const json = { features: Array.from({ length: ev.rows }, (_, r) => Array.from(ev.inputs.subarray(r * width, (r + 1) * width))), labels: Array.from(evaluation.labels), slices: ev.slices };
      files['eval.json'] = new TextEncoder().encode(JSON.stringify(json));
      evaluationEntry = { format: 'json', path: 'eval.json', rows: ev.rows, sliceColumns: Object.keys(ev.slices) };
    }
  }
  if (!labelNames && m.classLabels && m.classLabels.length === outWidth) labelNames = m.classLabels.map(String);
  const featureNames = ev?.featureNames && ev.featureNames.length === width ? ev.featureNames : undefined;
  const imagePreprocessing = ev?.images?.preprocessing;
  const card: ModelCard = {
    ...read.card,
    ...(tflite ? { engines: withTflitePrediction(read.card.engines, tflite.prediction) } : {}),
    flops: m.model.format === 'onnx' ? countFlops(m.model.bytes) : read.card.flops,
    measured: { input: m.inputName, output: m.outputName, outputShape: ['N', ...outDims] as CardDim[], changes: m.changes },
    variants: variants.card,
    warnings: [...read.card.warnings, ...variants.card.flatMap((v) => v.warnings), ...(rows.kind === 'none' ? [`No data given: the golden check, calibration and fidelity use ${rows.description}; give a CSV or an image folder for numbers about your data.`] : [])],
  };
  const manifest = parseManifest({
    schemaVersion: k_manifest_schema_version,
    id: modelId,
    name: read.card.fileName,
    task: imagePreprocessing || m.exampleDims.length === 3 ? 'image-classification' : 'tabular-classification',
    description: `${read.card.fileName}${read.card.producer ? ` (${read.card.producer})` : ''}, brought into this page by you; ${rows.description}. ${referenceNote}`,
    source: { data: rows.description, license: 'yours: a model you brought, not part of the lab' },
    license: 'yours: a model you brought, not part of the lab',
    inputs: [{ name: m.inputName, shape: [null, ...m.exampleDims], dtype: 'float32' }],
    outputs: [{ name: m.outputName, shape: [null, ...outDims], dtype: 'float32' }],
    ...(labelNames ? { labels: labelNames } : {}),
    ...(featureNames ? { featureNames } : {}),
    ...(imagePreprocessing ? { preprocessing: imagePreprocessing } : {}),
    artifacts,
    ...(evaluationEntry ? { evaluation: evaluationEntry } : {}),
    golden,
    userModel: { sha256: read.card.sha256, fileName: read.card.fileName, format: m.model.format, reference: { kind: referenceKind, computedBy, note: referenceNote }, data: rows.description },
  });
  files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
  return { modelId, card, manifest, files };
}

