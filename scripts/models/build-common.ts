/**
 * Pieces every model build shares: hashing and file references, the TF.js →
 * ONNX conversion from files on disk, and writing a manifest that keeps its
 * golden outputs only while they still describe the same ONNX bytes and inputs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactSetSchema, type ManifestWithoutGolden, type ModelManifest, parseManifest, parseManifestWithoutGolden } from '../../src/lab/models/manifest';
import { decodeTfjsWeights, type OnnxExportOptions, tfjsLayersToOnnx } from '../../src/lab/models/onnx-export';
import { encodeFloat32LE } from '../../src/lab/models/golden';
import { formatJson } from './json-format';
import { readLayersModelFiles } from './tfjs-files';

export const k_models_dir = 'public/models';
export const k_tfjs_path = 'tfjs/fp32/model.json';
export const k_onnx_path = 'onnx/model.fp32.onnx';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Writes `bytes` at `relativePath` under `modelDir`; returns the manifest's reference to it. */
export async function writeRef(modelDir: string, relativePath: string, bytes: Uint8Array): Promise<{ path: string; bytes: number; sha256: string }> {
  const full = join(modelDir, relativePath);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, bytes);
  return { path: relativePath, bytes: bytes.byteLength, sha256: sha256(bytes) };
}

/** Converts a TF.js layers model on disk to ONNX bytes (the deterministic step `--check` reruns). */
export async function convertTfjsFiles(modelJsonPath: string, options: OnnxExportOptions): Promise<Uint8Array> {
  const { json, weightData } = await readLayersModelFiles(modelJsonPath);
  return tfjsLayersToOnnx(json.modelTopology, decodeTfjsWeights(json.weightsManifest.flatMap((g) => g.weights), weightData), options);
}

/**
 * Are the golden outputs in `previous` still valid for `manifest`? Only when
 * the ONNX bytes are the same and the golden inputs are exactly the rows the
 * evaluation data now starts with.
 */
async function goldenStillValid(modelDir: string, previous: Partial<ModelManifest>, manifest: ManifestWithoutGolden, expectedInputs: (rows: number) => Float32Array[]): Promise<boolean> {
  const golden = previous.golden;
  if (golden === undefined || previous.artifacts?.fp32.onnx?.sha256 !== manifest.artifacts.fp32.onnx?.sha256) return false;
  const expected = expectedInputs(golden.rows);
  if (expected.length !== golden.rows) return false;
  if (golden.file === undefined) {
    return JSON.stringify(golden.inputs?.map((row) => Array.from(Float32Array.from(row)))) === JSON.stringify(expected.map((row) => Array.from(row)));
  }
  const path = join(modelDir, golden.file.inputs);
  if (!existsSync(path)) return false;
  const flat = new Float32Array(expected.reduce((n, row) => n + row.length, 0));
  expected.reduce((offset, row) => (flat.set(row, offset), offset + row.length), 0);
  return sha256(new Uint8Array(await readFile(path))) === sha256(encodeFloat32LE(flat));
}

/**
 * The previous manifest's precision variants (artifacts other than fp32 and
 * their quality values), which the FP32 build does not know about:
 * build-variants.ts rewrites them next and keeps their native measurements
 * only where the variant's files did not change.
 */
function carryOverVariants(previous: Partial<ModelManifest>, manifest: ManifestWithoutGolden): ManifestWithoutGolden {
  const { fp32: _fp32, ...all } = previous.artifacts ?? {};
  // A variant written by an older manifest schema is dropped: build-variants.ts writes it again.
  const variants = Object.fromEntries(Object.entries(all).filter(([, set]) => artifactSetSchema.safeParse(set).success));
  if (Object.keys(variants).length === 0) return manifest;
  const values = Object.fromEntries(Object.entries(previous.quality?.values ?? {}).filter(([k]) => k in variants));
  return {
    ...manifest,
    artifacts: { ...variants, ...manifest.artifacts },
    ...(manifest.quality ? { quality: { ...manifest.quality, values: { ...manifest.quality.values, ...values } } } : {}),
  };
}

/**
 * Writes `manifest.json`, carrying over the golden outputs of the previous
 * manifest when they are still valid. Returns whether they were kept.
 * @param expectedInputs the first `rows` model inputs of the evaluation data, as the golden step would compute them.
 */
export async function writeManifest(modelDir: string, manifest: ManifestWithoutGolden, expectedInputs: (rows: number) => Float32Array[]): Promise<boolean> {
  parseManifestWithoutGolden(manifest);
  const path = join(modelDir, 'manifest.json');
  const previous = existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Partial<ModelManifest>) : {};
  const keep = await goldenStillValid(modelDir, previous, manifest, expectedInputs);
  manifest = carryOverVariants(previous, manifest);
  // Written as parsed, so keys come in schema order, exactly as tools/reference writes them.
  const parsed = keep ? parseManifest({ ...manifest, golden: previous.golden }) : parseManifestWithoutGolden(manifest);
  await writeFile(path, `${formatJson(parsed)}\n`);
  return keep;
}
