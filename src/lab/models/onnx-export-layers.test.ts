/**
 * Every supported layer, built with TF.js and seeded random weights, exported
 * to ONNX and run on onnxruntime-web (wasm): both must give the same outputs
 * on the same NHWC input.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { tfjsVsOnnx } from './onnx-test-helpers';

const k_tolerance = 1e-5;

const kernel = (seed: number) => tf.initializers.glorotUniform({ seed });
const uniform = (seed: number, minval = -0.5, maxval = 0.5) => tf.initializers.randomUniform({ minval, maxval, seed });

/** A Conv2D with seeded weights and bias. */
function conv(name: string, filters: number, kernelSize: number, seed: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) {
  return tf.layers.conv2d({ name, filters, kernelSize, padding: 'same', kernelInitializer: kernel(seed), biasInitializer: uniform(seed + 100), ...extra });
}

function batchNorm(name: string, seed: number, extra: Partial<Parameters<typeof tf.layers.batchNormalization>[0]> = {}) {
  return tf.layers.batchNormalization({
    name,
    gammaInitializer: uniform(seed, 0.5, 1.5),
    betaInitializer: uniform(seed + 1),
    movingMeanInitializer: uniform(seed + 2),
    movingVarianceInitializer: uniform(seed + 3, 0.01, 2),
    ...extra,
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TF.js and the exported ONNX agree', () => {
  test('a small CNN: stride-2 same convs, BN, pooling, Flatten, Dense softmax', async () => {
    const model = tf.sequential({
      layers: [
        conv('c1', 8, 3, 1, { strides: 2, inputShape: [15, 13, 3] }),
        batchNorm('bn1', 10),
        tf.layers.activation({ name: 'a1', activation: 'relu' }),
        conv('c2', 6, 3, 2, { strides: 2, padding: 'valid', activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'mp', poolSize: 2, strides: 1, padding: 'same' }),
        tf.layers.averagePooling2d({ name: 'ap', poolSize: [2, 3], strides: [2, 2], padding: 'same' }),
        tf.layers.dropout({ name: 'drop', rate: 0.3 }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ name: 'out', units: 5, activation: 'softmax', kernelInitializer: kernel(3) }),
      ],
    });
    expect(await tfjsVsOnnx(model, [4, 15, 13, 3])).toBeLessThan(k_tolerance);
  });

  test('depthwise convs, dilation, BN without scale/center, global pooling, Dense on BN', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', inputShape: [9, 10, 3], depthwiseInitializer: kernel(4), biasInitializer: uniform(5) }),
        conv('dil', 4, 3, 6, { dilationRate: 2, activation: 'relu6' }),
        batchNorm('bn', 20, { scale: false, center: false, epsilon: 0.01 }),
        tf.layers.globalAveragePooling2d({ name: 'gap' }),
        batchNorm('bn2', 30),
        tf.layers.dense({ name: 'out', units: 3, kernelInitializer: kernel(7) }),
      ],
    });
    expect(await tfjsVsOnnx(model, [2, 9, 10, 3])).toBeLessThan(k_tolerance);
  });

  test('a functional ESRGAN-like graph: Concatenate, Add, UpSampling2D, activations as layers; image out', async () => {
    const input = tf.input({ shape: [6, 5, 3], name: 'lr' });
    const f0 = conv('f0', 8, 3, 10).apply(input) as tf.SymbolicTensor;
    const f1 = conv('f1', 4, 3, 11).apply(f0) as tf.SymbolicTensor;
    const r1 = tf.layers.activation({ name: 'r1', activation: 'relu' }).apply(f1) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat', axis: 3 }).apply([f0, r1]) as tf.SymbolicTensor;
    const lff = conv('lff', 8, 1, 12, { padding: 'valid' }).apply(cat) as tf.SymbolicTensor;
    const add = tf.layers.add({ name: 'add' }).apply([lff, f0]) as tf.SymbolicTensor;
    const leaky = tf.layers.leakyReLU({ name: 'leaky', alpha: 0.1 }).apply(add) as tf.SymbolicTensor;
    const up = tf.layers.upSampling2d({ name: 'up', size: [2, 3] }).apply(leaky) as tf.SymbolicTensor;
    const relu = tf.layers.reLU({ name: 'cap', maxValue: 1.5 }).apply(up) as tf.SymbolicTensor;
    const sr = conv('sr', 3, 3, 13).apply(relu) as tf.SymbolicTensor;
    expect(await tfjsVsOnnx(tf.model({ inputs: input, outputs: sr }), [2, 6, 5, 3])).toBeLessThan(k_tolerance);
  });

  test('bilinear UpSampling2D, three-way merges, Softmax over channels', async () => {
    const input = tf.input({ shape: [4, 3, 2], name: 'in' });
    const a = conv('a', 2, 1, 20).apply(input) as tf.SymbolicTensor;
    const b = conv('b', 2, 1, 21).apply(input) as tf.SymbolicTensor;
    const c = conv('c', 2, 1, 22).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([a, b, c]) as tf.SymbolicTensor;
    const prod = tf.layers.multiply({ name: 'prod' }).apply([a, b, c]) as tf.SymbolicTensor;
    const avg = tf.layers.average({ name: 'avg' }).apply([sum, prod, input]) as tf.SymbolicTensor;
    const max = tf.layers.maximum({ name: 'max' }).apply([avg, a]) as tf.SymbolicTensor;
    const min = tf.layers.minimum({ name: 'min' }).apply([max, b, c]) as tf.SymbolicTensor;
    const up = tf.layers.upSampling2d({ name: 'up', size: [3, 2], interpolation: 'bilinear' }).apply(min) as tf.SymbolicTensor;
    const soft = tf.layers.softmax({ name: 'soft', axis: -1 }).apply(up) as tf.SymbolicTensor;
    expect(await tfjsVsOnnx(tf.model({ inputs: input, outputs: soft }), [3, 4, 3, 2])).toBeLessThan(k_tolerance);
  });

  test.each(['elu', 'selu', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'relu6', 'sigmoid', 'tanh'])('activation %s', async (activation) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ name: 'd', units: 6, activation: activation as 'relu', inputShape: [4], kernelInitializer: tf.initializers.randomNormal({ stddev: 2, seed: 8 }), biasInitializer: uniform(9) }),
        tf.layers.dropout({ name: 'drop', rate: 0 }),
      ],
    });
    expect(await tfjsVsOnnx(model, [8, 4])).toBeLessThan(k_tolerance);
  });
});
