import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { decodeModel, graphOf } from './onnx-model-edit';
import { exportInMemory, runOnnxTensor } from './onnx-test-helpers';
import { exposeValues, planQdq, qdqWeightsOnly } from './onnx-qdq';
import { buildPrecisionVariants, type Fp32Model } from './precision-variants';
import { decodeTfjsWeights } from './onnx-export';

/** A small conv + dense model with seeded weights, in both formats. */
async function tinyModel(): Promise<{ model: tf.LayersModel; fp32: Fp32Model }> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 2 }), name: 'conv' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 4 }), name: 'dense' }),
    ],
  });
  const onnx = await exportInMemory(model, { inputName: 'image', outputName: 'probabilities' });
  const weights = model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[], values: w.read().dataSync() as Float32Array }));
  let topology: object = {};
  await model.save(tf.io.withSaveHandler((a) => ((topology = a.modelTopology as object), Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }))));
  return { model, fp32: { onnx, tfjsJson: { format: 'layers-model', modelTopology: topology }, tfjsWeights: weights } };
}

const input = Float32Array.from({ length: 2 * 36 }, (_, i) => ((i * 37) % 11) / 10);
let tiny: Awaited<ReturnType<typeof tinyModel>>;
let expected: Float32Array;
beforeAll(async () => {
  await tf.setBackend('cpu');
  tiny = await tinyModel();
  expected = (await runOnnxTensor(tiny.fp32.onnx, input, [2, 6, 6, 1], 'image')).data;
});

async function ranges(): Promise<Record<string, [number, number]>> {
  const plan = planQdq(decodeModel(tiny.fp32.onnx));
  const exposed = exposeValues(tiny.fp32.onnx, plan.activations);
  const ort = await import('onnxruntime-web');
  const session = await ort.InferenceSession.create(exposed, { executionProviders: ['wasm'] });
  const out = await session.run({ image: new ort.Tensor('float32', input, [2, 6, 6, 1]) });
  await session.release();
  return Object.fromEntries(plan.activations.map((name) => {
    const data = name === 'image' ? input : (out[name]?.data as Float32Array);
    return [name, [Math.min(...data), Math.max(...data)]];
  }));
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

test('the QDQ plan quantizes Conv, MatMul and the bias Add; the ReLU output, not the Conv output, is requantized', () => {
  const plan = planQdq(decodeModel(tiny.fp32.onnx));
  expect(plan.uint8Weights).toEqual(['conv/kernel', 'dense/kernel', 'dense/bias']);
  expect(plan.int32Biases).toEqual([{ bias: 'conv/bias', input: 'image/to_NCHW/Transpose', weight: 'conv/kernel' }]);
  expect(plan.activations).toEqual(['image/to_NCHW/Transpose', 'conv/Relu', 'flatten/Flatten', 'dense/MatMul', 'dense/Add']);
});

test('every variant runs on onnxruntime-web and stays near FP32; formats keep their types', async () => {
  const variants = buildPrecisionVariants(tiny.fp32, await ranges(), 'group1-shard1of1.bin');
  const types = (bytes: Uint8Array) => new Set(graphOf(decodeModel(bytes)).initializer.map((t) => t.dataType));
  expect(types(variants.fp16.onnx)).toEqual(new Set([10])); // FLOAT16 only
  expect(graphOf(decodeModel(variants.fp16c.onnx)).node.filter((n) => n.opType === 'Cast')).toHaveLength(2);
  expect(types(variants.int8.onnx)).toEqual(new Set([1, 2, 6])); // scales FLOAT, UINT8 weights and zero points, INT32 conv bias
  expect(variants.fp16c.tfjs).toBeUndefined();
  const bounds = { fp16: 2e-3, fp16c: 5e-3, int8: 0.05, int4: 0.2 } as const;
  for (const p of ['fp16', 'fp16c', 'int8', 'int4'] as const) {
    const { data } = await runOnnxTensor(variants[p].onnx, input, [2, 6, 6, 1], 'image');
    expect(maxDiff(data, expected), p).toBeLessThan(bounds[p]);
    expect(maxDiff(data, expected), p).toBeGreaterThan(0);
  }
});

test('TF.js variant weights: fp16 and uint8 quantization that TF.js decodes; int8 kernels share the ONNX codes', async () => {
  const variants = buildPrecisionVariants(tiny.fp32, await ranges(), 'w.bin');
  for (const p of ['fp16', 'int8', 'int4'] as const) {
    const json = JSON.parse(variants[p].tfjs?.modelJson ?? '{}') as { weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
    expect(json.weightsManifest[0]?.paths).toEqual(['w.bin']);
    const specs = json.weightsManifest[0]?.weights ?? [];
    const decoded = tf.io.decodeWeights(variants[p].tfjs?.weights.slice().buffer ?? new ArrayBuffer(0), specs);
    const original = decodeTfjsWeights(tiny.fp32.tfjsWeights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })), new Float32Array(tiny.fp32.tfjsWeights.flatMap((w) => Array.from(w.values))).buffer);
    for (const w of original) expect(maxDiff(decoded[w.name]?.dataSync() as Float32Array, w.values), `${p} ${w.name}`).toBeLessThan(p === 'fp16' ? 1e-3 : 0.05);
    if (p === 'int8') expect(specs.map((s) => s.quantization?.dtype ?? 'float32')).toEqual(['uint8', 'float32', 'uint8', 'uint8']);
    if (p === 'fp16') expect(specs.every((s) => s.quantization?.dtype === 'float16')).toBe(true);
    tf.dispose(Object.values(decoded));
  }
});

test('qdqWeightsOnly drops exactly the activation Q/DQ pairs: it computes what the TF.js INT8 twin computes', async () => {
  const variants = buildPrecisionVariants(tiny.fp32, await ranges(), 'w.bin');
  const graph = graphOf(decodeModel(qdqWeightsOnly(variants.int8.onnx)));
  const count = (op: string) => graph.node.filter((n) => n.opType === op).length;
  // 4 weight DequantizeLinear nodes stay (conv kernel and int32 bias, dense kernel and bias); all 5 activation pairs go.
  expect([count('QuantizeLinear'), count('DequantizeLinear')]).toEqual([0, 4]);
  const json = JSON.parse(variants.int8.tfjs?.modelJson ?? '{}') as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights ?? [], weightData: variants.int8.tfjs?.weights.slice().buffer ?? new ArrayBuffer(0) }));
  const tfjs = tf.tidy(() => (model.predict(tf.tensor(input, [2, 6, 6, 1])) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  const weightsOnly = (await runOnnxTensor(qdqWeightsOnly(variants.int8.onnx), input, [2, 6, 6, 1], 'image')).data;
  const qdq = (await runOnnxTensor(variants.int8.onnx, input, [2, 6, 6, 1], 'image')).data;
  // Same float32 weights, FP32 activations in both: summation order only.
  expect(maxDiff(weightsOnly, tfjs)).toBeLessThan(1e-6);
  // The QDQ graph requantizes activations, so it answers differently.
  expect(maxDiff(qdq, tfjs)).toBeGreaterThan(1e-4);
});
