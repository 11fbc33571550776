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
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeFloat32LE, loadGolden } from '../../src/lab/models/golden';
import { imagesToInput, loadImageEvaluation, outputToPixels, psnr } from '../../src/lab/models/image-data';
import { exampleSize, type ModelManifest, parseManifest, type VariantReference } from '../../src/lab/models/manifest';
import { fp16IntermediatesGraph, maxAbsDiff, type ReferenceSpec, referenceTolerance, variantReferenceSpecs } from '../../src/lab/models/variant-references';
import { k_variant_precisions, type VariantPrecision } from '../../src/lab/models/precision-variants';
import { k_variant_descriptions } from '../../scripts/models/build-variants';
import { float32Rows, formatJson } from '../../scripts/models/json-format';

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

/** Mean over images of the PSNR of clamped, rounded outputs against the reference pixels. */
function meanImagePsnr(outputs: Float32Array, targets: Uint8Array, rows: number, manifest: ModelManifest): number {
  const post = manifest.postprocessing ?? { scale: 1, offset: 0 };
  const size = outputs.length / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += psnr(outputToPixels(outputs.subarray(r * size, (r + 1) * size), post), targets.subarray(r * size, (r + 1) * size));
  return sum / rows;
}


/** The variant's own reference outputs per format, by native onnxruntime on the golden inputs (the rule: variant-references.ts). */
function referencesFor(p: VariantPrecision, dir: string, manifest: ModelManifest, inputs: Float32Array, rows: number): Promise<{ onnx: ReferenceSpec; tfjs?: ReferenceSpec }> {
  const path = (q: VariantPrecision) => manifest.artifacts[q]?.onnx?.path ?? 'missing';
  const cache = new Map<VariantPrecision, Uint8Array>();
  const files = {
    path,
    bytes: (q: VariantPrecision) => {
      const bytes = cache.get(q) ?? new Uint8Array(readFileSync(join(dir, path(q))));
      cache.set(q, bytes);
      return bytes;
    },
  };
  return variantReferenceSpecs(p, files, { noun: 'native onnxruntime', adjective: 'native', run: (bytes, optimize) => runAll(bytes, manifest, inputs, rows, optimize) });
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function writeReference(dir: string, manifest: ModelManifest, spec: ReferenceSpec, garbage: Float32Array, garbageDiff: number, label: string): Promise<VariantReference> {
  const { tolerance, toleranceNote } = referenceTolerance(spec, manifest.golden.tolerance);
  if (tolerance >= maxAbsDiff(garbage, spec.outputs) / 2) throw new Error(`${label}: tolerance ${tolerance} would not catch garbage output (max |Δ| ${garbageDiff.toFixed(3)})`);
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
