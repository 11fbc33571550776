/**
 * The intake on the bring-your-own-model fixtures, in Node with
 * onnxruntime-web's wasm engine as the reference (what the page uses):
 * cards, measured graphs, references against the native goldens, variants
 * and manifests the runner reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCsv, fixtureFile as file, fixtureImageFolder as imageFolder, k_fixture_csv_options } from '../../../../scripts/user-models/fixture-data';
import { decodeFloat32LE, loadCellGolden } from '../golden';
import { parseManifest } from '../manifest';
import { parseIntakeOptions } from './intake-options';
import { prepareUserModel } from './intake-prepare';
import { readUserModel, userModelSizeLimit } from './intake-read';
import { ortReference } from './reference-engine';

const dir = 'fixtures/user-models';
const readManifestFiles = (files: Record<string, Uint8Array>) => (path: string) => {
  const bytes = files[path];
  return bytes ? Promise.resolve(bytes.slice().buffer) : Promise.reject(new Error(`no ${path}`));
};
const limit = userModelSizeLimit(8);
ort.env.wasm.numThreads = 1;
const reference = ortReference(ort, 'page', 'onnxruntime-web wasm (Node, test)');
afterAll(() => reference.release());

const cpsCsv = fixtureCsv();
const cpsOptions = parseIntakeOptions(k_fixture_csv_options);

interface Golden {
  inputs?: number[][];
  outputs: number[][];
}
const golden = (name: string) => JSON.parse(readFileSync(join(dir, `golden/${name}.json`), 'utf8')) as Golden;

describe('cps-gbt-zipmap (TreeEnsembleClassifier + ZipMap) with the CPS rows', () => {
  it('gets a card, loses its ZipMap, and a reference that matches the native goldens', async () => {
    const read = await readUserModel([file('cps-gbt-zipmap.onnx')], limit);
    expect(read.problems).toEqual([]);
    expect(read.card.inputs).toEqual([{ name: 'float_input', type: 'float32', shape: ['N', 8] }]);
    expect(read.card.outputs.map((o) => `${o.name}: ${o.type}`)).toEqual(['output_label: int64', 'output_probability: seq(map(int64, float32))']);
    expect(read.card.operators.map((o) => `${o.domain}.${o.op}`)).toEqual(['ai.onnx.ml.TreeEnsembleClassifier', 'ai.onnx.ml.ZipMap']);
    const verdict = Object.fromEntries(read.card.engines.map((e) => [e.engine, e.verdict]));
    expect(verdict).toMatchObject({ 'ort-wasm': 'runs', 'ort-webgl': 'cannot', 'ort-webgpu': 'cannot', 'ort-webnn': 'cannot' });

    const prepared = await prepareUserModel(read, cpsCsv, cpsOptions, { reference });
    expect(prepared.modelId).toBe(`user-${read.card.sha256.slice(0, 12)}`);
    expect(prepared.card.measured?.changes.join('\n')).toMatch(/ZipMap removed/);
    expect(prepared.card.measured?.changes.join('\n')).toMatch(/Outputs the lab does not read removed: "output_label"/);
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(prepared.files['manifest.json'])));
    expect(manifest.outputs).toEqual([{ name: 'output_probability', shape: [null, 2], dtype: 'float32' }]);
    expect(manifest.userModel?.reference.kind).toBe('page');
    const outputs = decodeFloat32LE(prepared.files['golden/outputs.f32']!.slice().buffer);
    const native = golden('cps-gbt-zipmap').outputs.flat();
    expect(outputs.length).toBe(native.length);
    outputs.forEach((v, i) => expect(Math.abs(v - (native[i] as number))).toBeLessThan(1e-6));
    expect(prepared.card.variants?.map((v) => `${v.precision}: ${v.state}`)).toEqual(['fp16: not-made', 'fp16c: not-made', 'int8: not-made']);
    // No .tflite: the exporter names the operator, the LiteRT cells will say so (unavailable), and the card says it before any run.
    expect(manifest.artifacts.fp32.tflite).toBeUndefined();
    expect(manifest.artifacts.fp32.unwritten?.tflite).toMatchObject({ kind: 'operator', subject: 'ai.onnx.ml::TreeEnsembleClassifier' });
    expect(prepared.card.engines.find((e) => e.engine === 'litert-wasm')).toMatchObject({ verdict: 'cannot', missing: ['ai.onnx.ml::TreeEnsembleClassifier'] });
    expect(manifest.evaluation).toMatchObject({ format: 'json', rows: 600, sliceColumns: ['ethnicity', 'region', 'smsa'] });
    const fidelity = JSON.parse(new TextDecoder().decode(prepared.files['fidelity.json'])) as { attribution?: { method: string; groupNames: string[] } };
    expect(fidelity.attribution).toMatchObject({ method: 'kernel-shap', groupNames: [...cpsOptions.csv!.features as string[]] });
  });
});

describe('fashion-cnn-nchw (PyTorch-shaped CNN) with the image folder', () => {
  it('reads NCHW images, makes FP16 and static INT8 variants with their own references', async () => {
    const read = await readUserModel([file('fashion-cnn-nchw.onnx')], limit);
    expect(read.card.inputs).toEqual([{ name: 'input', type: 'float32', shape: ['batch_size', 1, 28, 28] }]);
    expect(read.card.flops).toMatchObject({ state: 'counted' });
    const prepared = await prepareUserModel(read, imageFolder(), parseIntakeOptions({}), { reference });
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(prepared.files['manifest.json'])));
    expect(manifest.preprocessing).toMatchObject({ kind: 'image', layout: 'NCHW', height: 28, width: 28, channels: 1 });
    expect(manifest.labels?.[0]).toBe('0-t-shirt-top');
    expect(prepared.card.variants?.map((v) => `${v.precision}: ${v.state}`)).toEqual(['fp16: made', 'fp16c: made', 'int8: made']);
    const int8 = prepared.card.variants?.find((v) => v.precision === 'int8');
    expect(int8?.details.join('\n')).toMatch(/Gemm "\/fc1\/Gemm" → MatMul \+ Add/);
    expect(int8?.details.join('\n')).toMatch(/static INT8.*Conv "\/conv1\/Conv"/);
    // Each variant's reference is what the cells are gated against.
    const folder = readManifestFiles(prepared.files);
    for (const p of ['fp16', 'fp16c', 'int8'] as const) {
      const g = await loadCellGolden(manifest, p, 'onnx', folder);
      expect(g.outputs).toHaveLength(manifest.golden.rows);
      expect(g.tolerance).toBeGreaterThanOrEqual(manifest.golden.tolerance);
    }
    // LiteRT reads the page's .tflite exports: FP32 (gated by the goldens) and FP16 weights (by the FP16 graph's reference); no INT8 .tflite, saying why.
    const { readTflite } = await import('../../tflite/tflite-read');
    for (const p of ['fp32', 'fp16'] as const) {
      const ref = manifest.artifacts[p]?.tflite;
      expect(ref?.path).toBe(`model.${p}.tflite`);
      expect(readTflite(prepared.files[ref!.path]!).subgraphs[0]?.operators.length).toBeGreaterThan(0);
    }
    expect((await loadCellGolden(manifest, 'fp16', 'tflite', folder)).tolerance).toBe((await loadCellGolden(manifest, 'fp16', 'onnx', folder)).tolerance);
    expect(manifest.artifacts.int8?.unwritten?.tflite).toMatchObject({ kind: 'precision', subject: 'INT8 .tflite' });
    expect(prepared.card.engines.find((e) => e.engine === 'litert-wasm')?.verdict).toBe('unknown');
  });

  it('agrees with the native goldens when given their rows', async () => {
    const read = await readUserModel([file('fashion-cnn-nchw.onnx')], limit);
    const g = golden('fashion-cnn-nchw');
    const inputs = decodeFloat32LE(new Uint8Array(readFileSync(join(dir, 'golden/fashion-images.inputs.f32'))).buffer);
    const rows = Array.from({ length: g.outputs.length }, (_, r) => Array.from(inputs.subarray(r * 784, (r + 1) * 784)));
    const prepared = await prepareUserModel(read, { kind: 'none' }, parseIntakeOptions({}), { reference, native: { computedBy: 'onnxruntime-node 1.30.0 (CPU EP, 1 thread)', inputs: rows, outputs: g.outputs } });
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(prepared.files['manifest.json'])));
    expect(manifest.golden.computedBy).toBe('onnxruntime-node 1.30.0 (CPU EP, 1 thread)');
    expect(manifest.userModel?.reference.note).toMatch(/max \|Δ\| .* from these on the same rows/);
  });
});

describe('the zoo\'s own file, uploaded as a user would', () => {
  it('gives the zoo\'s golden outputs on the zoo\'s golden rows', async () => {
    const zoo = parseManifest(JSON.parse(readFileSync('public/models/cps-wage/manifest.json', 'utf8')));
    const read = await readUserModel([{ name: 'model.fp32.onnx', bytes: new Uint8Array(readFileSync('public/models/cps-wage/onnx/model.fp32.onnx')) }], limit);
    const header = (zoo.featureNames ?? []).map((n) => n.replace('=', '_'));
    const text = [header.join(','), ...(zoo.golden.inputs ?? []).map((r) => r.join(','))].join('\n');
    const prepared = await prepareUserModel(read, { kind: 'csv', fileName: 'zoo-golden.csv', text }, parseIntakeOptions({ csv: { features: header } }), { reference });
    expect(prepared.card.measured?.changes).toEqual([]);
    expect(prepared.files['model.fp32.onnx']).toEqual(new Uint8Array(readFileSync('public/models/cps-wage/onnx/model.fp32.onnx')));
    const outputs = decodeFloat32LE(prepared.files['golden/outputs.f32']!.slice().buffer);
    const want = (zoo.golden.outputs ?? []).flat();
    outputs.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(zoo.golden.tolerance));
  });
});

describe('the zoo\'s TF.js layers model, uploaded as a user would', () => {
  it('reads as a layers model and gives the zoo\'s golden outputs on TF.js CPU, its own reference', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { tfjsReference } = await import('./reference-engine');
    const zoo = parseManifest(JSON.parse(readFileSync('public/models/cps-wage/manifest.json', 'utf8')));
    const folder = 'public/models/cps-wage/tfjs/fp32';
    const read = await readUserModel([{ name: 'model.json', bytes: new Uint8Array(readFileSync(`${folder}/model.json`)) }, { name: 'group1-shard1of1.bin', bytes: new Uint8Array(readFileSync(`${folder}/group1-shard1of1.bin`)) }], limit);
    expect(read.card).toMatchObject({ format: 'tfjs', subformat: 'layers-model', inputs: [{ type: 'float32', shape: ['batch', 9] }] });
    expect(read.card.engines.find((e) => e.engine === 'ort-wasm')).toMatchObject({ verdict: 'cannot', missing: ['TF.js model format'] });
    const header = (zoo.featureNames ?? []).map((n) => n.replace('=', '_'));
    const text = [header.join(','), ...(zoo.golden.inputs ?? []).map((r) => r.join(','))].join('\n');
    const engine = tfjsReference(tf, 'TF.js CPU (test)');
    const prepared = await prepareUserModel(read, { kind: 'csv', fileName: 'zoo-golden.csv', text }, parseIntakeOptions({ csv: { features: header } }), { reference: engine });
    await engine.release();
    const outputs = decodeFloat32LE(prepared.files['golden/outputs.f32']!.slice().buffer);
    const want = (zoo.golden.outputs ?? []).flat();
    outputs.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(zoo.golden.tolerance));
    expect(prepared.card.variants?.map((v) => `${v.precision}: ${v.state}`)).toEqual(['fp16: made', 'int8: made']);
  });
});
