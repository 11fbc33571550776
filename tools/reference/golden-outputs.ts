/**
 * Adds native golden outputs to a model manifest.
 *
 * Runs the manifest's fp32 ONNX model with onnxruntime-node (CPU execution
 * provider, one thread) on the first N rows of its evaluation data and writes
 * `golden` into the manifest. Every in-browser engine is later checked against
 * these numbers, so they come from the most exact engine available: native
 * onnxruntime, which the root project never installs.
 *
 * Run from the repository root, after `ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference`:
 *   npx tsx tools/reference/golden-outputs.ts [manifest.json] [rows]
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type ModelManifest, parseManifest, parseManifestWithoutGolden } from '../../src/lab/models/manifest';
import { float32Rows, formatJson } from '../../scripts/models/json-format';

/** What in-browser engines must agree within (float32 softmax outputs; seen differences are ~1e-7). */
const k_tolerance = 1e-4;
const k_default_rows = 64;

async function main(): Promise<void> {
  const manifestPath = process.argv[2] ?? 'public/models/cps-wage/manifest.json';
  const rows = Number(process.argv[3] ?? k_default_rows);
  const dir = dirname(manifestPath);
  const manifest = parseManifestWithoutGolden(JSON.parse(await readFile(manifestPath, 'utf8')));
  const onnxRef = manifest.artifacts.fp32.onnx;
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  if (onnxRef === undefined || input === undefined || output === undefined || manifest.evaluation === undefined) {
    throw new Error(`${manifestPath}: needs artifacts.fp32.onnx, inputs, outputs and evaluation`);
  }

  const onnxBytes = await readFile(join(dir, onnxRef.path));
  const digest = createHash('sha256').update(onnxBytes).digest('hex');
  if (digest !== onnxRef.sha256) throw new Error(`${onnxRef.path}: sha256 ${digest} differs from the manifest's ${onnxRef.sha256}; rebuild first`);

  const evaluation = JSON.parse(await readFile(join(dir, manifest.evaluation.path), 'utf8')) as { features: number[][] };
  const inputs = float32Rows(evaluation.features.slice(0, rows));
  const width = inputs[0]?.length ?? 0;
  if (inputs.length !== rows || width === 0) throw new Error(`evaluation data has fewer than ${rows} rows`);

  const session = await ort.InferenceSession.create(onnxBytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const started = performance.now();
  const results = await session.run({ [input.name]: new ort.Tensor('float32', Float32Array.from(inputs.flat()), [rows, width]) });
  const runMs = performance.now() - started;
  const tensor = results[output.name];
  if (tensor === undefined) throw new Error(`the model has no output "${output.name}"`);
  const data = tensor.data as Float32Array;
  const outWidth = data.length / rows;
  const outputs = float32Rows(Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * outWidth, (i + 1) * outWidth))));
  await session.release();

  const golden: ModelManifest['golden'] = {
    computedBy: `onnxruntime-node ${ort.env.versions.node ?? '?'} (CPU EP, 1 thread)`,
    tolerance: k_tolerance,
    rows,
    inputs,
    outputs,
  };
  const full = parseManifest({ ...manifest, golden });
  await writeFile(manifestPath, `${formatJson(full)}\n`);
  console.log(`wrote golden outputs for ${rows} rows to ${manifestPath} (${golden.computedBy}; run ${runMs.toFixed(2)} ms)`);
}

await main();
