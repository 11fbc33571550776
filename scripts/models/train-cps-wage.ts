/**
 * The cps-wage MLP and its deterministic training on TF.js's CPU backend.
 *
 * Determinism comes from: seeded initializers, no dropout, the batch order of
 * every epoch drawn from the lab's seeded generator (fit's own shuffle uses
 * Math.random, so it is off), and single-threaded CPU kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/lab/util/random';
import { seededPermutation } from './cps1988-data';

export interface TrainConfig {
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: readonly number[];
}

export const k_train_config: TrainConfig = {
  seed: 1988,
  epochs: 20,
  batchSize: 64,
  learningRate: 0.001,
  hiddenUnits: [32, 16],
};

/** Describes {@link k_train_config} in words for the manifest. */
export function describeRecipe(config: TrainConfig, featureCount: number): string {
  const layers = [...config.hiddenUnits.map((u) => `Dense(${u}, relu)`), 'Dense(2, softmax)'].join(' → ');
  return (
    `MLP ${featureCount} → ${layers}; Glorot-uniform kernels seeded from ${config.seed}, zero biases; ` +
    `Adam (lr ${config.learningRate}), sparse categorical cross-entropy, ${config.epochs} epochs, batch ${config.batchSize}, ` +
    `batch order reshuffled each epoch with a seeded mulberry32 permutation; @tensorflow/tfjs ${tf.version.tfjs} CPU backend in Node`
  );
}

/** Builds the model. Layer names are fixed so weight names in model.json never depend on how many models a process made. */
export function buildModel(featureCount: number, config: TrainConfig): tf.Sequential {
  // Each layer gets its own seed; one shared seed would give layers correlated starts.
  const seeds = createRng(config.seed);
  const kernelInitializer = (): ReturnType<typeof tf.initializers.glorotUniform> =>
    tf.initializers.glorotUniform({ seed: Math.floor(seeds() * 2 ** 31) });
  const model = tf.sequential({ name: 'cps_wage' });
  config.hiddenUnits.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        units,
        activation: 'relu',
        kernelInitializer: kernelInitializer(),
        ...(i === 0 ? { inputShape: [featureCount] } : {}),
      }),
    );
  });
  model.add(tf.layers.dense({ name: 'output', units: 2, activation: 'softmax', kernelInitializer: kernelInitializer() }));
  return model;
}

export interface TrainResult {
  model: tf.Sequential;
  finalLoss: number;
}

/** Trains on float32 feature rows and 0/1 labels. */
export async function train(features: readonly (readonly number[])[], labels: readonly number[], config: TrainConfig): Promise<TrainResult> {
  const featureCount = features[0]?.length ?? 0;
  const model = buildModel(featureCount, config);
  model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor2d(features as number[][], [features.length, featureCount], 'float32');
  const y = tf.tensor2d(labels as number[], [labels.length, 1], 'float32');
  let finalLoss = Number.NaN;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    // A different, seeded order each epoch.
    const order = tf.tensor1d(seededPermutation(features.length, config.seed + 1 + epoch), 'int32');
    const [xe, ye] = [tf.gather(x, order), tf.gather(y, order)];
    const history = await model.fit(xe, ye, { epochs: 1, batchSize: config.batchSize, shuffle: false, verbose: 0 });
    finalLoss = Number(history.history['loss']?.[0]);
    tf.dispose([order, xe, ye]);
  }
  tf.dispose([x, y]);
  return { model, finalLoss };
}

/** Predicted probabilities for each row (batched, so memory stays small). */
export function predict(model: tf.LayersModel, features: readonly (readonly number[])[]): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor2d(features as number[][], [features.length, features[0]?.length ?? 0], 'float32');
    const y = model.predict(x, { batchSize: 1024 }) as tf.Tensor2D;
    return y.arraySync();
  });
}

/** Share of rows whose arg-max class equals the label. */
export function accuracy(probabilities: readonly (readonly number[])[], labels: readonly number[]): number {
  let correct = 0;
  probabilities.forEach((p, i) => {
    const predicted = (p[1] ?? 0) > (p[0] ?? 0) ? 1 : 0;
    if (predicted === labels[i]) correct++;
  });
  return correct / labels.length;
}
