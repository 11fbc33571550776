/**
 * INT8 activation calibration: runs the FP32 ONNX model on calibration inputs
 * (onnxruntime-web wasm in Node, every tensor the QDQ plan quantizes exposed
 * as an output) and records each tensor's min and max (min/max calibration,
 * no percentile clipping). The ranges are committed in
 * `scripts/models/calibration/<id>.json`, so `--check` can rebuild the INT8
 * files byte for byte without the training data.
 *
 * The .tflite INT8 export (src/lab/tflite) reads ranges of the same FP32
 * values, some of them not in the ONNX plan (the graph input, a value after a
 * folded BatchNormalization or a residual Add); `calibrateTfliteExtras` adds
 * those with the same method and data, leaving every range already there as it is.
 *
 * Calibration data: cps-wage: all 22,524 training rows; fashion-mnist-cnn:
 * 2,000 training images (the first of the training subset's seeded order,
 * needs Debian dataset-fashion-mnist); esrgan-slim-x2: the 4 evaluation inputs
 * (the package ships no training images; DIV2K is not available here).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { imagesToInput } from '../../src/lab/models/image-data';
import { type ActivationRanges, exposeValues } from '../../src/lab/models/onnx-qdq';
import { int8CalibrationTensors } from '../../src/lab/models/precision-variants';
import { sha256 } from './build-common';
import { prepareCpsWageData } from './build-cps-wage';
import { k_esrgan_images_path, k_esrgan_preprocessing } from './build-esrgan';
import { k_fashion_preprocessing } from './build-fashion-cnn';
import { seededPermutation } from './cps1988-data';
import { k_fashion_mnist_dir, pick, readFashionMnist } from './fashion-mnist-data';
import { formatJson } from './json-format';
import { k_cnn_train_config } from './train-fashion-cnn';
import { k_cps_wage_spec, k_esrgan_spec, k_fashion_cnn_spec } from './zoo-specs';

export const k_calibration_dir = 'scripts/models/calibration';
const k_fashion_calibration_images = 2000;
const k_batch_rows = 512;

export interface Calibration {
  modelId: string;
  /** The FP32 ONNX file the ranges were measured on. */
  fp32OnnxSha256: string;
  method: string;
  data: string;
  rows: number;
  computedBy: string;
  /** Tensor name → [min, max]. */
  ranges: Record<string, [number, number]>;
}

export const calibrationPath = (id: string): string => join(k_calibration_dir, `${id}.json`);

export async function readCalibration(id: string): Promise<Calibration | undefined> {
  const path = calibrationPath(id);
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Calibration) : undefined;
}

interface CalibrationData {
  inputs: Float32Array;
  /** Shape of one example (after the batch dimension). */
  example: number[];
  rows: number;
  description: string;
}

/** The calibration inputs of a model, or a reason they are not at hand. */
async function calibrationData(id: string): Promise<CalibrationData | string> {
  if (id === k_cps_wage_spec.id) {
    const { trainX } = await prepareCpsWageData();
    return { inputs: Float32Array.from(trainX.flat()), example: [trainX[0]?.length ?? 0], rows: trainX.length, description: `all ${trainX.length} training rows` };
  }
  if (id === k_fashion_cnn_spec.id) {
    if (!existsSync(k_fashion_mnist_dir)) return `${k_fashion_mnist_dir} is absent (apt-get install dataset-fashion-mnist)`;
    const train = await readFashionMnist('train');
    const order = seededPermutation(train.count, k_cnn_train_config.seed).slice(0, k_fashion_calibration_images);
    const set = pick(train, order);
    return {
      inputs: imagesToInput(set.pixels, k_fashion_preprocessing, 0, set.count),
      example: [28, 28, 1],
      rows: set.count,
      description: `the first ${set.count} training images in the training subset's seeded order (seed ${k_cnn_train_config.seed})`,
    };
  }
  if (id === k_esrgan_spec.id) {
    const pixels = new Uint8Array(await readFile(join('public/models', id, k_esrgan_images_path)));
    const { height, width, channels } = k_esrgan_preprocessing;
    const rows = pixels.length / (height * width * channels);
    return { inputs: imagesToInput(pixels, k_esrgan_preprocessing, 0, rows), example: [height, width, channels], rows, description: `the ${rows} evaluation inputs (no training images ship with the pretrained model)` };
  }
  return `no calibration data defined for ${id}`;
}

/**
 * Min and max of every planned tensor over the calibration data: the ONNX QDQ
 * plan's by default, or `tensors` (the .tflite INT8 export's, whose fused
 * operators leave other values between them).
 */
export async function calibrate(id: string, onnx: Uint8Array, inputName: string, tensors: readonly string[] = int8CalibrationTensors(onnx)): Promise<Calibration | string> {
  const data = await calibrationData(id);
  if (typeof data === 'string') return data;
  const ranges: Record<string, [number, number]> = Object.fromEntries(tensors.map((t) => [t, [Infinity, -Infinity]]));
  const widen = (name: string, values: ArrayLike<number>): void => {
    const range = ranges[name];
    if (range === undefined) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < range[0]) range[0] = v;
      if (v > range[1]) range[1] = v;
    }
  };
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(exposeValues(onnx, tensors), { executionProviders: ['wasm'] });
  const size = data.example.reduce((a, b) => a * b, 1);
  try {
    for (let start = 0; start < data.rows; start += k_batch_rows) {
      const count = Math.min(k_batch_rows, data.rows - start);
      const batch = data.inputs.subarray(start * size, (start + count) * size);
      widen(inputName, batch);
      const fetches = tensors.filter((t) => t !== inputName);
      if (fetches.length === 0) continue;
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', batch, [count, ...data.example]) }, fetches);
      for (const [name, tensor] of Object.entries(outputs)) widen(name, tensor.data as Float32Array);
    }
  } finally {
    await session.release();
  }
  return {
    modelId: id,
    fp32OnnxSha256: sha256(onnx),
    method: 'min/max over the calibration data (no clipping), widened to include 0; uint8 asymmetric per tensor',
    data: data.description,
    rows: data.rows,
    computedBy: 'onnxruntime-web 1.30 wasm in Node (scripts/models/int8-calibration.ts)',
    ranges: Object.fromEntries(Object.entries(ranges).map(([k, [lo, hi]]) => [k, [Math.fround(lo), Math.fround(hi)]])),
  };
}

export async function writeCalibration(calibration: Calibration): Promise<void> {
  await mkdir(k_calibration_dir, { recursive: true });
  await writeFile(calibrationPath(calibration.modelId), `${formatJson(calibration)}\n`);
}

export type { ActivationRanges };

/**
 * Adds the ranges the .tflite INT8 export reads and the file lacks, measured
 * with the same method on the same data; existing ranges are kept as they are
 * (the ONNX INT8 variant is rebuilt from them byte for byte).
 * @returns the updated calibration, the same object when nothing was missing, or why it cannot be measured.
 */
export async function calibrateTfliteExtras(calibration: Calibration, onnx: Uint8Array, inputName: string, needed: readonly string[]): Promise<Calibration | string> {
  const missing = needed.filter((t) => calibration.ranges[t] === undefined);
  if (missing.length === 0) return calibration;
  const measured = await calibrate(calibration.modelId, onnx, inputName, missing);
  if (typeof measured === 'string') return measured;
  return { ...calibration, ranges: { ...calibration.ranges, ...measured.ranges } };
}
