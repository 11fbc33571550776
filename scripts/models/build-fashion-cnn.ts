/**
 * Builds the Fashion-MNIST CNN end to end:
 *   Debian dataset-fashion-mnist → seeded train subset + class-balanced eval set →
 *   TF.js training (CPU, seeded) → public/models/fashion-mnist-cnn/
 *   {tfjs/fp32, onnx/model.fp32.onnx, eval/images.u8, eval/labels.u8, manifest.json}
 *
 * Run from the repository root: npx tsx scripts/models/build-fashion-cnn.ts
 * (or `npm run models`). Golden outputs: tools/reference (see README.md).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { imagesToInput } from '../../src/lab/models/image-data';
import { type ImagePreprocessing, k_manifest_schema_version, type ManifestWithoutGolden } from '../../src/lab/models/manifest';
import { convertTfjsFiles, k_models_dir, k_onnx_path, k_tfjs_path, seconds, writeManifest, writeRef } from './build-common';
import { seededPermutation } from './cps1988-data';
import { balancedIndices, type ImageSet, k_fashion_mnist_dir, k_fashion_mnist_labels, pick, readFashionMnist } from './fashion-mnist-data';
import { loadLayersModelFromDisk, saveLayersModel, tfjsRef } from './tfjs-files';
import { argMax, describeCnnRecipe, k_cnn_train_config, predictCnn, trainCnn } from './train-fashion-cnn';
import { k_fashion_cnn_spec } from './zoo-specs';

const k_out = join(k_models_dir, k_fashion_cnn_spec.id);
export const k_eval_per_class = 200;
export const k_images_path = 'eval/images.u8';
export const k_labels_path = 'eval/labels.u8';

export const k_fashion_preprocessing: ImagePreprocessing = {
  kind: 'image',
  layout: 'NHWC',
  height: 28,
  width: 28,
  channels: 1,
  colorSpace: 'grayscale',
  scale: 1 / 255,
  offset: 0,
  note: 'Fashion-MNIST images as stored (white garment on black); input = pixel / 255, shape [batch, 28, 28, 1]',
};

/** The evaluation set: the first 200 test images of each class, in test-set order. Deterministic and fast. */
export async function prepareFashionEval(): Promise<ImageSet> {
  const test = await readFashionMnist('t10k');
  return pick(test, balancedIndices(test.labels, k_eval_per_class));
}

const toInput = (set: ImageSet): Float32Array => imagesToInput(set.pixels, k_fashion_preprocessing, 0, set.count);

function accuracyOf(predicted: readonly number[], labels: Uint8Array): number {
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

export async function buildFashionCnn(): Promise<void> {
  const started = performance.now();
  await tf.setBackend('cpu');
  const config = k_cnn_train_config;
  const train = await readFashionMnist('train');
  const subset = pick(train, seededPermutation(train.count, config.seed).slice(0, config.trainImages));
  const evaluation = await prepareFashionEval();
  console.log(`data: ${subset.count} of ${train.count} train images, ${evaluation.count} eval images (${k_eval_per_class} per class)`);

  const trainStart = performance.now();
  const { model, finalLoss } = await trainCnn(toInput(subset), subset.labels, config, (epoch, loss, s) =>
    console.log(`  epoch ${epoch + 1}/${config.epochs}: loss ${loss.toFixed(4)}, ${s.toFixed(0)} s`),
  );
  const trainMs = performance.now() - trainStart;
  console.log(`trained in ${seconds(trainMs)}, final loss ${finalLoss.toFixed(4)}`);

  const tfjsDir = join(k_out, 'tfjs/fp32');
  const tfjsBytes = await saveLayersModel(model, tfjsDir);
  const shipped = await loadLayersModelFromDisk(join(k_out, k_tfjs_path));
  const predicted = argMax(predictCnn(shipped, toInput(evaluation), evaluation.count), 10);
  const fp32Accuracy = accuracyOf(predicted, evaluation.labels);
  console.log(`eval accuracy (fp32, TF.js cpu): ${fp32Accuracy.toFixed(4)}`);
  const byClass = k_fashion_mnist_labels.map((name, c) => {
    const idx = [...evaluation.labels.keys()].filter((i) => evaluation.labels[i] === c);
    return `${name} ${(idx.filter((i) => predicted[i] === c).length / idx.length).toFixed(3)}`;
  });
  console.log(`  by class: ${byClass.join(', ')}`);

  const onnxBytes = await convertTfjsFiles(join(k_out, k_tfjs_path), k_fashion_cnn_spec.exportOptions);
  const onnxRef = await writeRef(k_out, k_onnx_path, onnxBytes);
  const imagesRef = await writeRef(k_out, k_images_path, evaluation.pixels);
  const labelsRef = await writeRef(k_out, k_labels_path, evaluation.labels);

  const manifest: ManifestWithoutGolden = {
    schemaVersion: k_manifest_schema_version,
    id: k_fashion_cnn_spec.id,
    name: 'Fashion-MNIST clothing classifier (small CNN)',
    task: 'image-classification',
    description:
      'Classifies a 28×28 grayscale photo of a clothing item into one of 10 classes (T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot). ' +
      'A two-convolution CNN (stride-2 convolutions, batch normalization) trained in TensorFlow.js; the same weights ship as ONNX. ' +
      'Accuracy can be sliced by class.',
    source: {
      data: 'Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando Research): 70,000 28×28 grayscale article images, as packaged by Debian (dataset-fashion-mnist, /usr/share/datasets/fashion-mnist)',
      license: 'MIT',
      url: 'https://github.com/zalandoresearch/fashion-mnist',
    },
    license: 'MIT (model weights trained by this project)',
    inputs: [{ name: 'image', shape: [null, 28, 28, 1], dtype: 'float32' }],
    outputs: [{ name: 'probabilities', shape: [null, 10], dtype: 'float32' }],
    labels: [...k_fashion_mnist_labels],
    preprocessing: k_fashion_preprocessing,
    quality: {
      metric: 'accuracy',
      description: `Share of the ${evaluation.count} evaluation images (${k_eval_per_class} per class from the test split) whose arg-max class is the label (fp32: TF.js cpu; other precisions: their ONNX file on onnxruntime-node)`,
      values: { fp32: Number(fp32Accuracy.toFixed(4)) },
      baseline: { name: 'majority class', value: 0.1 },
    },
    training: {
      recipe: describeCnnRecipe(config),
      seed: config.seed,
      epochs: config.epochs,
      batchSize: config.batchSize,
      trainRows: subset.count,
      evalRows: evaluation.count,
      accuracy: { fp32: Number(fp32Accuracy.toFixed(4)) },
    },
    artifacts: { fp32: { onnx: onnxRef, tfjs: await tfjsRef(k_out, k_tfjs_path) } },
    evaluation: {
      format: 'uint8-images',
      rows: evaluation.count,
      images: { path: imagesRef.path, height: 28, width: 28, channels: 1, bytes: imagesRef.bytes, sha256: imagesRef.sha256 },
      labels: labelsRef,
      sliceColumns: ['label'],
      sources: [
        {
          name: 'Fashion-MNIST test split',
          origin: `Debian dataset-fashion-mnist, ${k_fashion_mnist_dir}/t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz`,
          license: 'MIT',
          crop: `the first ${k_eval_per_class} images of each class in test-set order, as stored (uint8, 28×28)`,
        },
      ],
    },
  };
  const kept = await writeManifest(k_out, manifest, (n) => Array.from({ length: Math.min(n, evaluation.count) }, (_, i) => imagesToInput(evaluation.pixels, k_fashion_preprocessing, i, 1)));
  console.log(`wrote ${k_out}: onnx ${onnxBytes.byteLength} B, tfjs ${tfjsBytes} B, eval ${imagesRef.bytes + labelsRef.bytes} B, ` +
    `golden outputs ${kept ? 'kept (ONNX unchanged)' : 'MISSING: run the tools/reference step'}; total ${seconds(performance.now() - started)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildFashionCnn();
