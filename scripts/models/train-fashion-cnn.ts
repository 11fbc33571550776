/**
 * The Fashion-MNIST CNN and its deterministic training on TF.js's pure-JS CPU
 * backend (the wasm backend cannot train convolutions: no Conv2DBackpropFilter).
 *
 * The architecture is small enough to train within the build's 20-minute
 * budget on 2 cores, and is chosen to exercise the converter's traps: stride-2
 * `same` convolutions (asymmetric padding on even sizes), BatchNormalization
 * (Keras epsilon 1e-3) and a Flatten after NHWC convolutions.
 *
 * Determinism: seeded initializers, no dropout, a seeded batch order per epoch
 * (fit's own shuffle uses Math.random, so it is off), single-threaded kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/lab/util/random';
import { seededPermutation } from './cps1988-data';

export interface CnnTrainConfig {
  seed: number;
  trainImages: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  filters: readonly [number, number];
}

export const k_cnn_train_config: CnnTrainConfig = {
  seed: 2017,
  trainImages: 12000,
  epochs: 3,
  batchSize: 32,
  learningRate: 0.002,
  filters: [8, 16],
};

export function describeCnnRecipe(c: CnnTrainConfig): string {
  return (
    `Input 28×28×1 (pixel/255) → Conv2D(${c.filters[0]}, 3×3, stride 2, same) → BatchNormalization → ReLU → ` +
    `Conv2D(${c.filters[1]}, 3×3, stride 2, same, relu) → Flatten (7·7·${c.filters[1]}) → Dense(10, softmax). ` +
    `Glorot-uniform kernels seeded from ${c.seed}. Trained on ${c.trainImages} train images (the first of a seeded mulberry32 ` +
    `permutation of the 60,000, seed ${c.seed}) with Adam (lr ${c.learningRate}), sparse categorical cross-entropy, ${c.epochs} epochs, ` +
    `batch ${c.batchSize}, batch order reshuffled each epoch with seed ${c.seed} + 1 + epoch; @tensorflow/tfjs ${tf.version.tfjs} CPU backend in Node`
  );
}

export function buildCnn(c: CnnTrainConfig): tf.Sequential {
  const seeds = createRng(c.seed);
  const glorot = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: Math.floor(seeds() * 2 ** 31) });
  return tf.sequential({
    name: 'fashion_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: c.filters[0], kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: glorot() }),
      tf.layers.batchNormalization({ name: 'bn1' }),
      tf.layers.activation({ name: 'relu1', activation: 'relu' }),
      tf.layers.conv2d({ name: 'conv2', filters: c.filters[1], kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: glorot() }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'output', units: 10, activation: 'softmax', kernelInitializer: glorot() }),
    ],
  });
}

/**
 * Trains on NHWC float inputs (count × 28 × 28 × 1) and labels 0–9.
 * @param onEpoch called after each epoch with its mean loss and the seconds it took.
 * @param build the architecture (default: the zoo's; the bring-your-own-model fixtures train another).
 */
export async function trainCnn(
  inputs: Float32Array,
  labels: Uint8Array,
  c: CnnTrainConfig,
  onEpoch: (epoch: number, loss: number, seconds: number) => void = () => undefined,
  build: (c: CnnTrainConfig) => tf.Sequential = buildCnn,
): Promise<{ model: tf.Sequential; finalLoss: number }> {
  const model = build(c);
  model.compile({ optimizer: tf.train.adam(c.learningRate), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(inputs, [labels.length, 28, 28, 1], 'float32');
  const y = tf.tensor2d(Float32Array.from(labels), [labels.length, 1], 'float32');
  let finalLoss = Number.NaN;
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    const started = performance.now();
    const order = tf.tensor1d(seededPermutation(labels.length, c.seed + 1 + epoch), 'int32');
    const [xe, ye] = [tf.gather(x, order), tf.gather(y, order)];
    const history = await model.fit(xe, ye, { epochs: 1, batchSize: c.batchSize, shuffle: false, verbose: 0 });
    finalLoss = Number(history.history['loss']?.[0]);
    tf.dispose([order, xe, ye]);
    onEpoch(epoch, finalLoss, (performance.now() - started) / 1000);
  }
  tf.dispose([x, y]);
  return { model, finalLoss };
}

/** Class probabilities for NHWC inputs, in batches. */
export function predictCnn(model: tf.LayersModel, inputs: Float32Array, count: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(inputs, [count, 28, 28, 1], 'float32');
    return (model.predict(x, { batchSize: 500 }) as tf.Tensor2D).dataSync() as Float32Array;
  });
}

/** Arg-max class per row of `probabilities` (row width `classes`). */
export function argMax(probabilities: Float32Array, classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * classes < probabilities.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((probabilities[r * classes + c] ?? -1) > (probabilities[r * classes + best] ?? -1)) best = c;
    out.push(best);
  }
  return out;
}
