/**
 * Adds native golden outputs to model manifests.
 *
 * Runs each manifest's fp32 ONNX model with onnxruntime-node (CPU execution
 * provider, one thread) on the first rows of its evaluation data and writes
 * `golden` into the manifest: inline rows for tabular models, binary float32
 * files (golden/inputs.f32, golden/outputs.f32) for image models. Every
 * in-browser engine is later checked against these numbers, so they come from
 * the most exact engine available: native onnxruntime, which the root project
 * never installs.
 *
 * Run from the repository root, after `ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference`:
 *   npx tsx tools/reference/golden-outputs.ts [manifest.json ...]   (default: every model in public/models/index.json)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeFloat32LE } from '../../src/lab/models/golden';
import { imagesToInput, loadImageEvaluation } from '../../src/lab/models/image-data';
import { exampleSize, type ManifestWithoutGolden, type ModelManifest, parseManifest, parseManifestWithoutGolden } from '../../src/lab/models/manifest';
import { float32Rows, formatJson } from '../../scripts/models/json-format';

interface GoldenPolicy {
  rows: number;
  /** Inline JSON rows (small examples) or binary files. */
  form: 'inline' | 'file';
  tolerance: number;
  toleranceNote?: string;
}

/**
 * Rows, storage and tolerance by task. Probabilities are within [0, 1]: float32
 * engines that differ only in summation order agree to ~1e-7, so 1e-4 catches
 * any real error. ESRGAN outputs pixel values up to ~300 through ten
 * convolutions of up to 1,600-term sums: engines already differ by up to
 * 2.3e-4 there (a few float32 ulps at 255), so the bound is 1e-2 of one 8-bit level.
 */
const k_policies: Record<ModelManifest['task'], GoldenPolicy> = {
  'tabular-classification': { rows: 64, form: 'inline', tolerance: 1e-4 },
  'image-classification': { rows: 32, form: 'file', tolerance: 1e-4 },
  'image-to-image': {
    rows: 4,
    form: 'file',
    tolerance: 1e-2,
    toleranceNote:
      'Outputs are pixel values (0–255, up to ~300 before clamping). Float32 engines differ from this reference by up to 2.3e-4 ' +
      '(5–8 ulps at 255, after ten convolutions summing up to 1,600 products; measured for onnxruntime-web wasm/WebGPU and TF.js ' +
      'cpu/WebGL/WebGPU). 1e-2 is ~40× that spread and still 50× below the 0.5 that would change a rounded 8-bit pixel. ' +
      'Lower precisions are to be judged by PSNR against these outputs.',
  },
};

/** The first `rows` model inputs of the evaluation data, one flat float32 array per row. */
async function evaluationInputs(dir: string, manifest: ManifestWithoutGolden, rows: number): Promise<Float32Array[]> {
  const evaluation = manifest.evaluation;
  if (evaluation === undefined) throw new Error(`${manifest.id}: the manifest has no evaluation data`);
  if (evaluation.format === 'json') {
    const json = JSON.parse(await readFile(join(dir, evaluation.path), 'utf8')) as { features: number[][] };
    return float32Rows(json.features.slice(0, rows)).map((row) => Float32Array.from(row));
  }
  if (manifest.preprocessing?.kind !== 'image') throw new Error(`${manifest.id}: image evaluation data needs image preprocessing`);
  const preprocessing = manifest.preprocessing;
  const data = await loadImageEvaluation(evaluation, async (path) => new Uint8Array(await readFile(join(dir, path))).buffer);
  return Array.from({ length: Math.min(rows, data.rows) }, (_, i) => imagesToInput(data.images, preprocessing, i, 1));
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  rows.reduce((offset, row) => (out.set(row, offset), offset + row.length), 0);
  return out;
}

async function addGolden(manifestPath: string): Promise<void> {
  const dir = dirname(manifestPath);
  const manifest = parseManifestWithoutGolden(JSON.parse(await readFile(manifestPath, 'utf8')));
  const policy = k_policies[manifest.task];
  const onnxRef = manifest.artifacts.fp32.onnx;
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  if (onnxRef === undefined || input === undefined || output === undefined) throw new Error(`${manifestPath}: needs artifacts.fp32.onnx, inputs and outputs`);

  const onnxBytes = await readFile(join(dir, onnxRef.path));
  const digest = createHash('sha256').update(onnxBytes).digest('hex');
  if (digest !== onnxRef.sha256) throw new Error(`${onnxRef.path}: sha256 ${digest} differs from the manifest's ${onnxRef.sha256}; rebuild first`);

  const inputs = await evaluationInputs(dir, manifest, policy.rows);
  const rows = inputs.length;
  const width = exampleSize(input);
  if (rows === 0 || width === undefined || inputs.some((r) => r.length !== width)) throw new Error(`${manifest.id}: evaluation inputs do not match the input shape`);

  const session = await ort.InferenceSession.create(onnxBytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  const started = performance.now();
  const results = await session.run({ [input.name]: new ort.Tensor('float32', concat(inputs), [rows, ...(input.shape.slice(1) as number[])]) });
  const runMs = performance.now() - started;
  const data = results[output.name]?.data;
  await session.release();
  if (!(data instanceof Float32Array)) throw new Error(`the model has no float32 output "${output.name}"`);

  const common = {
    computedBy: `onnxruntime-node ${ort.env.versions.node ?? '?'} (CPU EP, 1 thread)`,
    tolerance: policy.tolerance,
    ...(policy.toleranceNote ? { toleranceNote: policy.toleranceNote } : {}),
    rows,
  };
  let golden: ModelManifest['golden'];
  if (policy.form === 'inline') {
    const outWidth = data.length / rows;
    const outputs = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * outWidth, (i + 1) * outWidth)));
    golden = { ...common, inputs: float32Rows(inputs.map((r) => Array.from(r))), outputs: float32Rows(outputs) };
  } else {
    const file = { inputs: 'golden/inputs.f32', outputs: 'golden/outputs.f32', dtype: 'float32' as const };
    await mkdir(join(dir, 'golden'), { recursive: true });
    await writeFile(join(dir, file.inputs), encodeFloat32LE(concat(inputs)));
    await writeFile(join(dir, file.outputs), encodeFloat32LE(data));
    golden = { ...common, file };
  }
  const full = parseManifest({ ...manifest, golden });
  await writeFile(manifestPath, `${formatJson(full)}\n`);
  console.log(`${manifest.id}: golden outputs for ${rows} rows (${policy.form}, tolerance ${policy.tolerance}) by ${common.computedBy}; run ${runMs.toFixed(1)} ms`);
}

async function main(): Promise<void> {
  let paths = process.argv.slice(2);
  if (paths.length === 0) {
    const index = JSON.parse(await readFile('public/models/index.json', 'utf8')) as { models: string[] };
    paths = index.models.map((id) => `public/models/${id}/manifest.json`);
  }
  for (const path of paths) await addGolden(path);
}

await main();
