/**
 * `npm run models -- --check`: proves the committed zoo is what the build's
 * deterministic steps produce, without training, without onnxruntime-node and
 * without the Debian datasets (CI has none of them). For every model:
 *
 * - the manifest parses (golden outputs included), and every file it names has
 *   the bytes and sha256 it records (golden files: rows × example size × 4);
 * - converting the committed TF.js model to ONNX again gives the committed
 *   ONNX file byte for byte;
 * - evaluation data is derived again where its source is at hand: always for
 *   cps-wage (data/ is committed), for Fashion-MNIST when Debian's
 *   dataset-fashion-mnist is installed, for ESRGAN when node_modules/.cache/inference-lab-models
 *   holds the npm package (and the Debian images), including the fixed-shape
 *   model.json;
 * - the precision variants (fp16, fp16c, int8, int4) derived again from the
 *   committed FP32 files and INT8 calibration ranges
 *   (scripts/models/calibration/<id>.json) are the committed files byte for
 *   byte, and the manifest names them with a native tolerance;
 * - the .tflite variants exported again from the committed ONNX files (and
 *   INT8 calibration) are the committed files byte for byte, each named by
 *   the manifest with its reference for .tflite cells;
 * - public/models/index.json lists the zoo.
 *
 * Returns one line per problem, naming the file; empty when all is well.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exampleSize, type ModelManifest, parseManifest } from '../../src/lab/models/manifest';
import { convertTfjsFiles, k_models_dir } from './build-common';
import { k_cps_wage_eval_path, prepareCpsWageData } from './build-cps-wage';
import { esrganEvalBytes, fixedShapeModelJson, k_esrgan_images_path, k_esrgan_input_size, k_esrgan_package, k_esrgan_scale, k_esrgan_targets_path } from './build-esrgan';
import { k_images_path, k_labels_path, prepareFashionEval } from './build-fashion-cnn';
import { loadEsrganImages } from './esrgan-images';
import { k_fashion_mnist_dir } from './fashion-mnist-data';
import { cachedNpmPackage } from './package-cache';
import { k_variant_precisions } from '../../src/lab/models/precision-variants';
import { deriveVariantFiles, variantOnnxPath, variantTfjsPath } from './build-variants';
import { deriveTfliteFiles, k_tflite_precisions, tflitePath } from './build-tflite';
import { calibrationPath } from './int8-calibration';
import { readLayersModelFiles } from './tfjs-files';
import { k_cps_wage_spec, k_esrgan_spec, k_fashion_cnn_spec, k_zoo_specs, type ZooModelSpec } from './zoo-specs';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface CheckReport {
  problems: string[];
  notes: string[];
}

function describe(bytes: Uint8Array): string {
  return `${bytes.byteLength} B, sha256 ${sha256(bytes).slice(0, 12)}…`;
}

async function compareFile(report: CheckReport, path: string, expected: Uint8Array, what: string): Promise<void> {
  if (!existsSync(path)) {
    report.problems.push(`${path}: missing (${what})`);
    return;
  }
  const actual = new Uint8Array(await readFile(path));
  if (sha256(actual) !== sha256(expected)) report.problems.push(`${path}: differs from ${what} (committed ${describe(actual)}; rebuilt ${describe(expected)})`);
}

async function checkRef(report: CheckReport, dir: string, ref: { path: string; bytes: number; sha256?: string }): Promise<void> {
  const path = join(dir, ref.path);
  if (!existsSync(path)) {
    report.problems.push(`${path}: missing (named by the manifest)`);
    return;
  }
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.byteLength !== ref.bytes || (ref.sha256 !== undefined && sha256(bytes) !== ref.sha256)) {
    report.problems.push(`${path}: ${describe(bytes)}, the manifest says ${ref.bytes} B${ref.sha256 ? `, sha256 ${ref.sha256.slice(0, 12)}…` : ''}`);
  }
}

/** Manifest parses; every file it names matches. */
async function checkManifestFiles(report: CheckReport, dir: string): Promise<ModelManifest | undefined> {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')));
  } catch (error) {
    report.problems.push(`${manifestPath}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  for (const set of Object.values(manifest.artifacts)) {
    const { onnx, tfjs, tflite } = set ?? {};
    if (onnx) await checkRef(report, dir, onnx);
    if (tflite) await checkRef(report, dir, tflite);
    if (tfjs) {
      const { bytes, sha256: digest } = await readLayersModelFiles(join(dir, tfjs.path));
      if (bytes !== tfjs.bytes || digest !== tfjs.sha256) {
        report.problems.push(`${join(dir, tfjs.path)}: model.json + weights are ${bytes} B, sha256 ${digest.slice(0, 12)}…; the manifest says ${tfjs.bytes} B, sha256 ${tfjs.sha256.slice(0, 12)}…`);
      }
    }
    for (const ref of Object.values(set?.reference ?? {})) if (ref?.file) await checkRef(report, dir, ref.file);
  }
  const evaluation = manifest.evaluation;
  if (evaluation?.format === 'json') {
    if (!existsSync(join(dir, evaluation.path))) report.problems.push(`${join(dir, evaluation.path)}: missing`);
  } else if (evaluation?.format === 'uint8-images') {
    for (const ref of [evaluation.images, evaluation.labels, evaluation.targets]) if (ref) await checkRef(report, dir, ref);
  }
  const file = manifest.golden.file;
  if (file) {
    const sizes = { inputs: exampleSize(manifest.inputs[0] ?? { shape: [] }), outputs: exampleSize(manifest.outputs[0] ?? { shape: [] }) };
    for (const key of ['inputs', 'outputs'] as const) {
      const path = join(dir, file[key]);
      const expected = manifest.golden.rows * (sizes[key] ?? 0) * 4;
      const actual = existsSync(path) ? (await readFile(path)).byteLength : -1;
      if (actual !== expected) report.problems.push(`${path}: ${actual < 0 ? 'missing' : `${actual} B`}, golden ${key} need ${expected} B`);
    }
  }
  return manifest;
}

/** Evaluation data (and ESRGAN's fixed model.json) derived again where the sources are here. */
async function checkDerivedData(report: CheckReport, spec: ZooModelSpec, dir: string): Promise<void> {
  if (spec.id === k_cps_wage_spec.id) {
    const { evalJson } = await prepareCpsWageData();
    await compareFile(report, join(dir, k_cps_wage_eval_path), new TextEncoder().encode(evalJson), 'eval.json derived from data/cps1988');
  } else if (spec.id === k_fashion_cnn_spec.id) {
    if (!existsSync(k_fashion_mnist_dir)) {
      report.notes.push(`${spec.id}: evaluation images not re-derived (${k_fashion_mnist_dir} absent: apt-get install dataset-fashion-mnist)`);
      return;
    }
    const evaluation = await prepareFashionEval();
    await compareFile(report, join(dir, k_images_path), evaluation.pixels, 'the images derived from dataset-fashion-mnist');
    await compareFile(report, join(dir, k_labels_path), evaluation.labels, 'the labels derived from dataset-fashion-mnist');
  } else if (spec.id === k_esrgan_spec.id) {
    const pkg = cachedNpmPackage(k_esrgan_package.name, k_esrgan_package.version);
    if (pkg === undefined) {
      report.notes.push(`${spec.id}: fixed-shape model.json and evaluation images not re-derived (no npm pack cache; run the full build once)`);
      return;
    }
    await compareFile(report, join(dir, 'tfjs/fp32/model.json'), new TextEncoder().encode(await fixedShapeModelJson(pkg.dir)), 'the fixed-shape rewrite of the npm package');
    const images = loadEsrganImages(pkg.dir, '', k_esrgan_input_size, k_esrgan_scale, false);
    if (images === undefined) {
      report.notes.push(`${spec.id}: evaluation images not re-derived (python3-skimage neither installed nor cached)`);
      return;
    }
    const { inputs, targets } = esrganEvalBytes(images);
    await compareFile(report, join(dir, k_esrgan_images_path), inputs, 'the inputs derived from the source photographs');
    await compareFile(report, join(dir, k_esrgan_targets_path), targets, 'the targets derived from the source photographs');
  }
}

/** The precision variants, derived again from the committed FP32 files and INT8 calibration: byte for byte. */
async function checkVariants(report: CheckReport, spec: ZooModelSpec, dir: string, manifest: ModelManifest | undefined): Promise<void> {
  const missing = k_variant_precisions.filter((p) => manifest?.artifacts[p] === undefined);
  if (missing.length > 0) report.problems.push(`${join(dir, 'manifest.json')}: no artifacts for ${missing.join(', ')} (npx tsx scripts/models/build-variants.ts ${spec.id})`);
  let derived: Awaited<ReturnType<typeof deriveVariantFiles>>;
  try {
    derived = await deriveVariantFiles(spec.id);
  } catch (error) {
    report.problems.push(`${calibrationPath(spec.id)}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  for (const [path, bytes] of derived.files) await compareFile(report, join(dir, path), bytes, 'the precision variant derived from the FP32 files');
  for (const p of k_variant_precisions) {
    const set = manifest?.artifacts[p];
    if (set?.onnx?.path !== variantOnnxPath(p) || (p !== 'fp16c' && set.tfjs?.path !== variantTfjsPath(p))) {
      report.problems.push(`${join(dir, 'manifest.json')}: artifacts.${p} does not name ${variantOnnxPath(p)}${p === 'fp16c' ? '' : ` and ${variantTfjsPath(p)}`}`);
    }
    // Every format a cell can read this variant in needs its own native reference (fp16c: TF.js WebGL reads the fp16 files).
    const formats = p === 'fp16c' ? (['onnx', 'tfjs'] as const) : (['onnx', ...(set?.tfjs ? ['tfjs' as const] : [])] as const);
    for (const format of formats) {
      if (set?.reference?.[format] === undefined) report.problems.push(`${join(dir, 'manifest.json')}: artifacts.${p}.reference.${format} missing (npx tsx tools/reference/precision-reference.ts ${spec.id})`);
    }
  }
}

/** The .tflite variants, exported again from the committed ONNX files and calibration: byte for byte, each with a reference. */
async function checkTflite(report: CheckReport, spec: ZooModelSpec, dir: string, manifest: ModelManifest | undefined): Promise<void> {
  let files: Map<string, Uint8Array>;
  try {
    files = await deriveTfliteFiles(spec.id);
  } catch (error) {
    report.problems.push(`${dir}: the .tflite export failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  for (const [path, bytes] of files) await compareFile(report, join(dir, path), bytes, 'the .tflite exported again from the committed ONNX files');
  for (const p of k_tflite_precisions) {
    const set = manifest?.artifacts[p];
    if (set?.tflite?.path !== tflitePath(p)) report.problems.push(`${join(dir, 'manifest.json')}: artifacts.${p}.tflite does not name ${tflitePath(p)} (npx tsx scripts/models/build-tflite.ts ${spec.id})`);
    if (p !== 'fp32' && set?.reference?.tflite === undefined) report.problems.push(`${join(dir, 'manifest.json')}: artifacts.${p}.reference.tflite missing (npx tsx scripts/models/build-tflite.ts ${spec.id})`);
  }
}

export async function checkZoo(specs: readonly ZooModelSpec[] = k_zoo_specs): Promise<CheckReport> {
  const report: CheckReport = { problems: [], notes: [] };
  const indexPath = join(k_models_dir, 'index.json');
  const index = JSON.parse(await readFile(indexPath, 'utf8')) as { models?: unknown };
  if (JSON.stringify(index.models) !== JSON.stringify(k_zoo_specs.map((s) => s.id))) {
    report.problems.push(`${indexPath}: lists ${JSON.stringify(index.models)}, the zoo is ${JSON.stringify(k_zoo_specs.map((s) => s.id))}`);
  }
  for (const spec of specs) {
    const dir = join(k_models_dir, spec.id);
    const manifest = await checkManifestFiles(report, dir);
    const { onnx, tfjs } = manifest?.artifacts.fp32 ?? {};
    if (onnx && tfjs) {
      const rebuilt = await convertTfjsFiles(join(dir, tfjs.path), spec.exportOptions);
      await compareFile(report, join(dir, onnx.path), rebuilt, `the ONNX converted again from ${tfjs.path}`);
    }
    await checkDerivedData(report, spec, dir);
    await checkVariants(report, spec, dir, manifest);
    await checkTflite(report, spec, dir, manifest);
  }
  return report;
}
