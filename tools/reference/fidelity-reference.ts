/**
 * Writes a model's FP32 fidelity reference (fidelity.json + reference outputs)
 * with native onnxruntime-node: its outputs on the whole evaluation split, and
 * KernelSHAP attributions for a seeded setup that every in-browser engine then
 * repeats with the same code (src/lab/fidelity/shapley.ts), so attribution
 * drift compares like with like.
 *
 *   npx tsx tools/reference/fidelity-reference.ts [model-id]   (default: cps-wage)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FidelityReference } from '../../src/lab/fidelity/reference-data';
import { k_fidelity_reference_file, parseFidelityReference } from '../../src/lab/fidelity/reference-data';
import { featureGroupsFromNames, planKernelShap, solveKernelShap } from '../../src/lab/fidelity/shapley';
import { chooseAttributionRows, gatherRows, parseTabularEvaluation } from '../../src/lab/fidelity/tabular-evaluation';
import { encodeFloat32LE } from '../../src/lab/models/golden';
import { parseManifest } from '../../src/lab/models/manifest';

/** The attribution setup shipped with the reference: small enough for a lecture, exact for ≤ 7 feature groups. */
const k_attribution = { explainRows: 100, backgroundRows: 20, coalitions: 126, seed: 1988, target: 1 } as const;
/** Rows per native call: large batches, as the in-browser pass uses. */
const k_chunk_rows = 4096;

const modelId = process.argv[2] ?? 'cps-wage';
const dir = join(import.meta.dirname, '../../public/models', modelId);
const manifest = parseManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
if (manifest.task !== 'tabular-classification' || manifest.evaluation?.format !== 'json') {
  throw new Error(`${modelId}: only tabular classifiers have a fidelity reference so far`);
}
const evaluation = parseTabularEvaluation(JSON.parse(await readFile(join(dir, manifest.evaluation.path), 'utf8')));
const onnx = manifest.artifacts.fp32.onnx;
const input = manifest.inputs[0];
const output = manifest.outputs[0];
if (!onnx || !input || !output) throw new Error(`${modelId}: needs an fp32 ONNX artifact, an input and an output`);
ort.env.logLevel = 'error';
const session = await ort.InferenceSession.create(join(dir, onnx.path), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
const width = Number(output.shape[1]);

async function predict(rows: Float32Array): Promise<Float32Array> {
  const n = rows.length / evaluation.width;
  const out = new Float32Array(n * width);
  for (let start = 0; start < n; start += k_chunk_rows) {
    const count = Math.min(k_chunk_rows, n - start);
    const tensor = new ort.Tensor('float32', rows.subarray(start * evaluation.width, (start + count) * evaluation.width), [count, evaluation.width]);
    const result = await session.run({ [input!.name]: tensor });
    out.set(result[output!.name]!.data as Float32Array, start * width);
  }
  return out;
}

const outputs = await predict(evaluation.features);
const { names, groups } = featureGroupsFromNames(manifest.featureNames ?? []);
const { explained, background } = chooseAttributionRows(evaluation.rows, k_attribution.explainRows, k_attribution.backgroundRows, k_attribution.seed);
const backgroundRows = gatherRows(evaluation.features, evaluation.width, background);
const values: number[][] = [];
let exact = true;
for (const row of explained) {
  const x = evaluation.features.subarray(row * evaluation.width, (row + 1) * evaluation.width);
  const plan = planKernelShap(x, backgroundRows, { seed: k_attribution.seed, coalitions: k_attribution.coalitions, groups });
  const attribution = solveKernelShap(plan, await predict(plan.inputs), width, k_attribution.target);
  exact &&= plan.exact;
  values.push(attribution.values);
}

const outputsPath = 'fidelity/reference-outputs.f32';
await mkdir(join(dir, 'fidelity'), { recursive: true });
await writeFile(join(dir, outputsPath), encodeFloat32LE(outputs));
const reference: FidelityReference = parseFidelityReference({
  schemaVersion: 1,
  modelId,
  computedBy: `onnxruntime-node ${ort.env.versions.node ?? ''} (CPU EP, 1 thread)`.replace('  ', ' '),
  evaluation: { rows: evaluation.rows, width, outputs: outputsPath },
  attribution: { method: 'kernel-shap', target: k_attribution.target, seed: k_attribution.seed, coalitions: k_attribution.coalitions, groupNames: names, groups, explained, background, values, exact },
});
await writeFile(join(dir, k_fidelity_reference_file), `${JSON.stringify(reference)}\n`);
console.log(`${modelId}: reference outputs for ${evaluation.rows} rows, KernelSHAP for ${explained.length} rows (${names.length} groups, exact: ${exact})`);
