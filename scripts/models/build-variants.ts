/**
 * Precision variants of every zoo model (fp16, fp16c, int8, int4), derived
 * from the committed FP32 files (src/lab/models/precision-variants.ts) and,
 * for INT8, the committed calibration ranges (int8-calibration.ts):
 *
 *   onnx/model.<precision>.onnx, tfjs/<precision>/model.json + shard (not fp16c)
 *
 * The manifest's `artifacts.<precision>` gets the file references; its
 * native reference outputs, note and measurements (written by
 * tools/reference/precision-reference.ts with native onnxruntime) and
 * `quality.values.<precision>` are kept while the variant's ONNX and TF.js
 * bytes stay the same, and dropped when they change.
 *
 *   npx tsx scripts/models/build-variants.ts [model-id ...] [--recalibrate]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ArtifactSet, type ModelManifest, parseManifest, parseManifestWithoutGolden } from '../../src/lab/models/manifest';
import { decodeTfjsWeights } from '../../src/lab/models/onnx-export';
import { buildPrecisionVariants, k_variant_precisions, type VariantFiles, type VariantPrecision } from '../../src/lab/models/precision-variants';
import { k_models_dir, sha256, writeRef } from './build-common';
import { calibrate, type Calibration, readCalibration, writeCalibration } from './int8-calibration';
import { formatJson } from './json-format';
import { k_weights_file, readLayersModelFiles, tfjsRef } from './tfjs-files';
import { k_zoo_specs } from './zoo-specs';

export const variantOnnxPath = (p: VariantPrecision): string => `onnx/model.${p}.onnx`;
export const variantTfjsPath = (p: VariantPrecision): string => `tfjs/${p}/model.json`;
const variantShardPath = (p: VariantPrecision): string => `tfjs/${p}/${k_weights_file}`;

type Manifest = Omit<ModelManifest, 'golden'> & Partial<Pick<ModelManifest, 'golden'>>;

export async function readModelManifest(dir: string): Promise<Manifest> {
  const json: unknown = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  return (json as { golden?: unknown }).golden === undefined ? parseManifestWithoutGolden(json) : parseManifest(json);
}

/** The FP32 files a variant derives from. */
async function readFp32(dir: string, manifest: Manifest) {
  const { onnx, tfjs } = manifest.artifacts.fp32;
  if (!onnx || !tfjs) throw new Error(`${manifest.id}: needs fp32 ONNX and TF.js artifacts`);
  const onnxBytes = new Uint8Array(await readFile(join(dir, onnx.path)));
  const { json, weightData } = await readLayersModelFiles(join(dir, tfjs.path));
  return { onnx: onnxBytes, tfjsJson: json, tfjsWeights: decodeTfjsWeights(json.weightsManifest.flatMap((g) => g.weights), weightData) };
}

/** Every variant's files as `relative path → bytes`, derived from the committed FP32 files and calibration. */
export async function deriveVariantFiles(id: string, calibrationOverride?: Calibration): Promise<{ files: Map<string, Uint8Array>; variants: Record<VariantPrecision, VariantFiles> }> {
  const dir = join(k_models_dir, id);
  const manifest = await readModelManifest(dir);
  const fp32 = await readFp32(dir, manifest);
  const calibration = calibrationOverride ?? (await readCalibration(id));
  if (calibration === undefined) throw new Error(`${id}: no INT8 calibration (scripts/models/calibration/${id}.json); run npx tsx scripts/models/build-variants.ts ${id}`);
  if (calibration.fp32OnnxSha256 !== sha256(fp32.onnx)) throw new Error(`${id}: the INT8 calibration was measured on another FP32 ONNX file; run npx tsx scripts/models/build-variants.ts ${id} --recalibrate`);
  const variants = buildPrecisionVariants(fp32, calibration.ranges, k_weights_file);
  const files = new Map<string, Uint8Array>();
  for (const p of k_variant_precisions) {
    const v = variants[p];
    files.set(variantOnnxPath(p), v.onnx);
    if (v.tfjs) {
      files.set(variantTfjsPath(p), new TextEncoder().encode(v.tfjs.modelJson));
      files.set(variantShardPath(p), v.tfjs.weights);
    }
  }
  return { files, variants };
}

export const k_variant_descriptions: Record<VariantPrecision, string> = {
  fp16: 'FP16 storage: float16 weights (ONNX float16 initializers + Cast; TF.js float16 weights-manifest quantization), expanded to float32 at load; computes in FP32.',
  fp16c: 'FP16 compute: the whole ONNX graph in float16, Cast float32→float16 at the input and back at the output (TF.js runs the fp16 files with FP16 textures instead).',
  int8: 'INT8: uint8 per-tensor affine weights in both formats (identical dequantized values); the ONNX file is a QDQ graph with calibrated uint8 activations that onnxruntime fuses into QLinear* integer kernels; TF.js expands the weights to float32 at load.',
  int4: 'Damaged fixture: kernels and biases rounded to 16 levels per tensor, stored as float32 in both formats. Exists to show that the lab detects drift; do not use.',
};

/** The manifest's artifact set for a variant: new file references; native reference outputs and measurements kept only for unchanged bytes. */
function artifactSet(previous: ArtifactSet | undefined, onnx: ArtifactSet['onnx'], tfjs: ArtifactSet['tfjs'], p: VariantPrecision): ArtifactSet {
  const same = previous?.onnx?.sha256 === onnx?.sha256 && previous?.tfjs?.sha256 === tfjs?.sha256;
  return {
    ...(onnx ? { onnx } : {}),
    ...(tfjs ? { tfjs } : {}),
    // The .tflite export is rewritten by build-tflite.ts; its reference goes with the others when the bytes change.
    ...(previous?.tflite ? { tflite: previous.tflite } : {}),
    ...(same && previous?.reference !== undefined ? { reference: previous.reference } : {}),
    note: same && previous?.note ? previous.note : k_variant_descriptions[p],
    ...(same && previous?.measured ? { measured: previous.measured } : {}),
    ...(p === 'int4' ? { fixture: true } : {}),
  };
}

/** Writes every variant's files and references them from the manifest. */
export async function buildVariants(id: string, options: { recalibrate?: boolean } = {}): Promise<void> {
  const started = performance.now();
  const dir = join(k_models_dir, id);
  const manifest = await readModelManifest(dir);
  const spec = k_zoo_specs.find((s) => s.id === id);
  const inputName = manifest.inputs[0]?.name;
  if (!spec || !inputName) throw new Error(`${id}: not a zoo model with an input`);
  let calibration = await readCalibration(id);
  const fp32Onnx = new Uint8Array(await readFile(join(dir, manifest.artifacts.fp32.onnx?.path ?? 'missing')));
  if (options.recalibrate || calibration === undefined || calibration.fp32OnnxSha256 !== sha256(fp32Onnx)) {
    const result = await calibrate(id, fp32Onnx, inputName);
    if (typeof result === 'string') throw new Error(`${id}: cannot calibrate INT8: ${result}`);
    calibration = result;
    await writeCalibration(calibration);
    console.log(`${id}: INT8 calibration on ${calibration.data}: ${Object.keys(calibration.ranges).length} tensors`);
  }
  const { variants } = await deriveVariantFiles(id, calibration);
  const artifacts: ModelManifest['artifacts'] = { fp32: manifest.artifacts.fp32 };
  const values = { ...(manifest.quality?.values ?? {}) };
  for (const p of k_variant_precisions) {
    const v = variants[p];
    const onnx = await writeRef(dir, variantOnnxPath(p), v.onnx);
    let tfjs: ArtifactSet['tfjs'];
    if (v.tfjs) {
      await writeRef(dir, variantTfjsPath(p), new TextEncoder().encode(v.tfjs.modelJson));
      await writeRef(dir, variantShardPath(p), v.tfjs.weights);
      tfjs = await tfjsRef(dir, variantTfjsPath(p));
    }
    const set = artifactSet(manifest.artifacts[p], onnx, tfjs, p);
    artifacts[p] = set;
    if (set.measured === undefined) delete values[p];
    console.log(`${id} ${p}: onnx ${onnx.bytes} B${tfjs ? `, tfjs ${tfjs.bytes} B` : ''}${set.reference === undefined ? ' (reference outputs: run tools/reference/precision-reference.ts)' : ''}`);
  }
  const updated = { ...manifest, artifacts, ...(manifest.quality ? { quality: { ...manifest.quality, values } } : {}) };
  const parsed = updated.golden === undefined ? parseManifestWithoutGolden(updated) : parseManifest(updated);
  await writeFile(join(dir, 'manifest.json'), `${formatJson(parsed)}\n`);
  console.log(`${id}: variants in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const ids = args.filter((a) => !a.startsWith('--'));
  for (const id of ids.length > 0 ? ids : k_zoo_specs.map((s) => s.id)) await buildVariants(id, { recalibrate: args.includes('--recalibrate') });
}
