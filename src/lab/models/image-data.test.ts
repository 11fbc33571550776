import { describe, expect, test } from 'vitest';
import { imagesToInput, loadImageEvaluation, outputToPixels, psnr } from './image-data';
import type { ImageEvaluation, ImagePreprocessing } from './manifest';

const preprocessing: ImagePreprocessing = { kind: 'image', layout: 'NHWC', height: 1, width: 2, channels: 1, colorSpace: 'grayscale', scale: 1 / 255, offset: 0 };

test('imagesToInput scales the chosen images, NHWC', () => {
  const images = Uint8Array.from([0, 255, 51, 102]);
  expect(Array.from(imagesToInput(images, preprocessing, 1, 1))).toEqual([Math.fround(51 / 255), Math.fround(102 / 255)]);
  expect(imagesToInput(images, { ...preprocessing, scale: 2, offset: -1 }, 0, 2)).toEqual(Float32Array.from([-1, 509, 101, 203]));
  expect(() => imagesToInput(images, preprocessing, 1, 2)).toThrow(/not all in the data/);
});

test('outputToPixels rounds and clamps to 0–255', () => {
  expect(Array.from(outputToPixels(Float32Array.from([-3, 0.4, 0.5, 254.6, 300]), { scale: 1, offset: 0 }))).toEqual([0, 0, 1, 255, 255]);
});

test('psnr: 10·log10(255² / MSE); identical images are Infinity', () => {
  // MSE 1 → 20·log10(255) = 48.1308 dB.
  expect(psnr([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(48.1308, 4);
  expect(psnr([5], [5])).toBe(Infinity);
  expect(() => psnr([1], [1, 2])).toThrow(RangeError);
});

describe('loadImageEvaluation', () => {
  const evaluation: ImageEvaluation = {
    format: 'uint8-images',
    rows: 2,
    images: { path: 'images.u8', height: 1, width: 2, channels: 1, bytes: 4, sha256: 'a'.repeat(64) },
    labels: { path: 'labels.u8', bytes: 2, sha256: 'b'.repeat(64) },
    sliceColumns: ['label'],
  };
  const fetchBytes = (contents: Record<string, number[]>) => (path: string): Promise<ArrayBuffer> => Promise.resolve(Uint8Array.from(contents[path] ?? []).buffer);

  test('returns images and labels', async () => {
    const data = await loadImageEvaluation(evaluation, fetchBytes({ 'images.u8': [1, 2, 3, 4], 'labels.u8': [7, 9] }));
    expect(Array.from(data.images)).toEqual([1, 2, 3, 4]);
    expect(Array.from(data.labels ?? [])).toEqual([7, 9]);
    expect(data.targets).toBeUndefined();
  });

  test('names a file whose size differs from the manifest', async () => {
    await expect(loadImageEvaluation(evaluation, fetchBytes({ 'images.u8': [1, 2, 3], 'labels.u8': [7, 9] }))).rejects.toThrow('images.u8 has 3 bytes, the manifest says 4');
  });
});
