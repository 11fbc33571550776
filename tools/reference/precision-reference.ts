/**
 * Measures every precision variant's ONNX file with native onnxruntime-node
 * (CPU EP, one thread) against FP32 and writes, into each manifest:
 *
 * - `artifacts.<p>.tolerance`: max(margin × the max |Δ| against the FP32
 *   golden outputs on the golden inputs, golden.tolerance), rounded up to two
 *   significant digits; margin 3 (1.5 for the float32 4-bit fixture); the
 *   script refuses a tolerance that would let a uniform softmax (or, for
 *   images, a flat grey picture) pass;
 * - `artifacts.<p>.measured`: that max |Δ|, the margin, and on the whole
 *   evaluation set the top-1 agreement with FP32 (classifiers) or the PSNR
 *   against FP32's output (images);
 * - `artifacts.<p>.note`: what the variant is and why its tolerance;
 * - `quality.values.<p>`: accuracy (classifiers) or mean PSNR against the
 *   reference images, outputs clamped and rounded (ESRGAN), on the evaluation set.
 *
 *   npx tsx tools/reference/precision-reference.ts [model-id ...]   (default: every model in public/models/index.json)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadGolden } from '../../src/lab/models/golden';
import { imagesToInput, loadImageEvaluation, outputToPixels, psnr } from '../../src/lab/models/image-data';
import { exampleSize, type ModelManifest, parseManifest } from '../../src/lab/models/manifest';
import { castAttribute, DataType, decodeModel, encodeModel, graphOf, type NodeProto } from '../../src/lab/models/onnx-model-edit';
import { k_variant_precisions } from '../../src/lab/models/precision-variants';
import { k_variant_descriptions } from '../../scripts/models/build-variants';
import { formatJson } from '../../scripts/models/json-format';

/** Tolerance = margin × what native onnxruntime measured (engines differ from it in rounding, kernel order and requantization). */
export const k_margin = 3;
/**
 * The 4-bit fixture's weights are plain float32, so every engine reproduces
 * its damage to float32 rounding: a smaller margin lets it complete while a
 * uniform softmax (or a flat image) still fails.
 */
export const k_fixture_margin = 1.5;
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

/** Rounded up to two significant digits. */
function roundUp2(x: number): number {
  const e = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.ceil(x / e - 1e-9) * e).toPrecision(2));
}

/** Mean over images of the PSNR of clamped, rounded outputs against the reference pixels. */
function meanImagePsnr(outputs: Float32Array, targets: Uint8Array, rows: number, manifest: ModelManifest): number {
  const post = manifest.postprocessing ?? { scale: 1, offset: 0 };
  const size = outputs.length / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += psnr(outputToPixels(outputs.subarray(r * size, (r + 1) * size), post), targets.subarray(r * size, (r + 1) * size));
  return sum / rows;
}

async function measureModel(id: string): Promise<void> {
  const dir = join(root, 'public/models', id);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')));
  const golden = await loadGolden(manifest, async (path) => new Uint8Array(await readFile(join(dir, path))).buffer);
  const goldenInputs = Float32Array.from(golden.inputs.flatMap((r) => Array.from(r)));
  const goldenOutputs = Float32Array.from(golden.outputs.flatMap((r) => Array.from(r)));
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
    const diff = Math.max(nativeDiff, emulated?.diff ?? 0);
    const margin = p === 'int4' ? k_fixture_margin : k_margin;
    const tolerance = roundUp2(Math.max(margin * diff, golden.tolerance));
    // Garbage must fail by a wide berth; the fixture only has to fail it at all.
    if (tolerance >= garbageDiff / (p === 'int4' ? 1 : 2)) throw new Error(`${id} ${p}: tolerance ${tolerance} would not catch garbage output (max |Δ| ${garbageDiff.toFixed(3)})`);
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
    const why =
      p === 'int4'
        ? `Tolerance ${tolerance}: ${margin} × the max |Δ| ${diff.toExponential(2)} that ${computedBy} measured against the FP32 golden outputs (its weights are float32, so engines reproduce its damage to float32 rounding), so the fixture completes while a ${classifier ? 'uniform softmax' : 'flat grey image'} (${garbageDiff.toFixed(classifier ? 2 : 0)} off) still fails; it is judged by fidelity (flips, attribution drift), not by this check.`
        : p === 'fp16c' && emulated
          ? `Tolerance ${tolerance}: ${margin} × the max |Δ| ${diff.toExponential(2)} against the FP32 golden outputs of real FP16 compute, emulated on ${computedBy} by rounding every intermediate value to float16 (that engine itself computes this graph in float32: max |Δ| ${nativeDiff.toExponential(2)}); never below FP32's ${golden.tolerance}; a ${classifier ? 'uniform softmax' : 'flat grey image'} would be ${garbageDiff.toFixed(classifier ? 2 : 0)} off. Emulated FP16 ${classifier ? `top-1 agreement with FP32 ${emulated.agreement?.toFixed(4)}` : `PSNR vs FP32 ${emulated.psnr?.toFixed(1)} dB`}.`
          : `Tolerance ${tolerance}: ${margin} × the max |Δ| ${diff.toExponential(2)} that ${computedBy} measured against the FP32 golden outputs on the ${golden.rows} golden inputs (never below FP32's ${golden.tolerance}); a ${classifier ? 'uniform softmax' : 'flat grey image'} would be ${garbageDiff.toFixed(classifier ? 2 : 0)} off.`;
    artifacts[p] = {
      ...set,
      tolerance,
      note: `${k_variant_descriptions[p]} ${why}`,
      measured: {
        computedBy,
        maxAbsDiff: Number(nativeDiff.toPrecision(3)),
        ...(emulated ? { emulatedFp16MaxAbsDiff: Number(emulated.diff.toPrecision(3)) } : {}),
        margin, evalRows: evaluation.rows,
        ...agreement,
      },
    };
    values[p] = quality;
    lines.push(`${id} ${p}: max |Δ| ${nativeDiff.toExponential(2)}${emulated ? ` (emulated FP16 compute ${emulated.diff.toExponential(2)}, ${classifier ? `agreement ${emulated.agreement?.toFixed(4)}` : `PSNR vs FP32 ${emulated.psnr?.toFixed(1)} dB`})` : ''} → tolerance ${tolerance}; ${classifier ? `accuracy ${quality}, top-1 agreement ${agreement.top1Agreement}` : `PSNR ${quality} dB, vs FP32 ${agreement.psnrVsFp32Db} dB`}`);
  }
  const updated = parseManifest({ ...manifest, artifacts, ...(manifest.quality ? { quality: { ...manifest.quality, values } } : {}) });
  await writeFile(manifestPath, `${formatJson(updated)}\n`);
  lines.forEach((l) => console.log(l));
}

let ids = process.argv.slice(2);
if (ids.length === 0) ids = (JSON.parse(await readFile(join(root, 'public/models/index.json'), 'utf8')) as { models: string[] }).models;
ort.env.logLevel = 'error';
for (const id of ids) await measureModel(id);
