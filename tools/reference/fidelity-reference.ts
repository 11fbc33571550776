/**
 * Writes a classifier's FP32 fidelity reference (fidelity.json + reference
 * outputs) with native onnxruntime-node: its outputs on the whole evaluation
 * split, and attributions for a seeded setup that every in-browser engine then
 * repeats with the same code (src/lab/fidelity/), so attribution drift
 * compares like with like: KernelSHAP for tabular models, occlusion maps for
 * image classifiers.
 *
 *   npx tsx tools/reference/fidelity-reference.ts [model-id ...]   (default: cps-wage fashion-mnist-cnn)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { EvaluationSet } from '../../src/lab/fidelity/evaluation-set';
import { loadEvaluationSet } from '../../src/lab/fidelity/evaluation-set';
import { kernelShapReference, occlusionReference, type Predict } from '../../src/lab/fidelity/reference-builder';
import type { FidelityReference } from '../../src/lab/fidelity/reference-data';
import { k_fidelity_reference_file, parseFidelityReference } from '../../src/lab/fidelity/reference-data';
import { featureGroupsFromNames } from '../../src/lab/fidelity/shapley';
import { encodeFloat32LE } from '../../src/lab/models/golden';
import type { ModelManifest } from '../../src/lab/models/manifest';
import { parseManifest } from '../../src/lab/models/manifest';

/** Tabular setup: small enough for a lecture, exact KernelSHAP for ≤ 7 feature groups. */
const k_kernel_shap = { explainRows: 100, backgroundRows: 20, coalitions: 126, seed: 1988, target: 1 } as const;
/** Image setup: 7×7 patches of black (the background of Fashion-MNIST), two images per class. */
const k_occlusion = { patch: 7, stride: 7, fill: 0, perClass: 2 } as const;
/** Rows per native call. */
const k_chunk_rows = 1024;

async function referenceFor(modelId: string): Promise<void> {
  const dir = join(import.meta.dirname, '../../public/models', modelId);
  const manifest: ModelManifest = parseManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  const evaluation = await loadEvaluationSet(
    manifest,
    (path) => readFile(join(dir, path), 'utf8'),
    async (path) => new Uint8Array(await readFile(join(dir, path))).buffer,
  );
  const onnx = manifest.artifacts.fp32.onnx;
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  if (!evaluation || !onnx || !input || !output) throw new Error(`${modelId}: needs a labelled evaluation split, an fp32 ONNX artifact, an input and an output`);
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(join(dir, onnx.path), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const exampleDims = input.shape.slice(1).map(Number);
  const width = Number(output.shape[1]);

  const predict = async (rows: Float32Array): Promise<Float32Array> => {
    const n = rows.length / evaluation.inputWidth;
    const out = new Float32Array(n * width);
    for (let start = 0; start < n; start += k_chunk_rows) {
      const count = Math.min(k_chunk_rows, n - start);
      const tensor = new ort.Tensor('float32', rows.slice(start * evaluation.inputWidth, (start + count) * evaluation.inputWidth), [count, ...exampleDims]);
      const result = await session.run({ [input.name]: tensor });
      out.set(result[output.name]!.data as Float32Array, start * width);
    }
    return out;
  };

  const outputs = await predict(evaluation.inputs(0, evaluation.rows));
  const attribution = evaluation.image ? await occlusionReference(evaluation, outputs, width, k_occlusion, predict) : await kernelShap(manifest, evaluation, width, predict);
  const outputsPath = 'fidelity/reference-outputs.f32';
  await mkdir(join(dir, 'fidelity'), { recursive: true });
  await writeFile(join(dir, outputsPath), encodeFloat32LE(outputs));
  const reference: FidelityReference = parseFidelityReference({
    schemaVersion: 1,
    modelId,
    computedBy: `onnxruntime-node ${ort.env.versions.node ?? ''} (CPU EP, 1 thread)`,
    evaluation: { rows: evaluation.rows, width, outputs: outputsPath },
    attribution,
  });
  await writeFile(join(dir, k_fidelity_reference_file), `${JSON.stringify(reference)}\n`);
  console.log(`${modelId}: reference outputs for ${evaluation.rows} rows, ${attribution.method} for ${attribution.explained.length} rows`);
}

function kernelShap(manifest: ModelManifest, evaluation: EvaluationSet, width: number, predict: Predict) {
  const { names, groups } = featureGroupsFromNames(manifest.featureNames ?? []);
  return kernelShapReference(evaluation, width, { ...k_kernel_shap, groupNames: names, groups }, predict);
}

for (const id of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['cps-wage', 'fashion-mnist-cnn']) await referenceFor(id);
