/**
 * Fashion-MNIST from Debian's `dataset-fashion-mnist` (gzipped IDX files under
 * /usr/share/datasets/fashion-mnist/): 60,000 train and 10,000 test images,
 * 28×28 grayscale uint8, labels 0–9.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const k_fashion_mnist_dir = '/usr/share/datasets/fashion-mnist';

/** Class names in label order (from the dataset's README). */
export const k_fashion_mnist_labels = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export interface ImageSet {
  /** count × height × width uint8 pixels, row-major, no channel axis (grayscale). */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Parses an IDX image file (magic 2051, big-endian header). */
export function parseIdxImages(bytes: Uint8Array): { pixels: Uint8Array; count: number; height: number; width: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 2051) throw new Error(`not an IDX image file (magic ${view.getUint32(0)})`);
  const [count, height, width] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  const pixels = bytes.slice(16);
  if (pixels.length !== count * height * width) throw new Error(`IDX image file: ${pixels.length} bytes of pixels for ${count}×${height}×${width}`);
  return { pixels, count, height, width };
}

/** Parses an IDX label file (magic 2049). */
export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 2049) throw new Error(`not an IDX label file (magic ${view.getUint32(0)})`);
  const labels = bytes.slice(8);
  if (labels.length !== view.getUint32(4)) throw new Error(`IDX label file: ${labels.length} labels, header says ${view.getUint32(4)}`);
  return labels;
}

/** Reads one split ('train' or 't10k') from the Debian package's folder. */
export async function readFashionMnist(split: 'train' | 't10k', dir = k_fashion_mnist_dir): Promise<ImageSet> {
  const read = async (kind: string): Promise<Uint8Array> => new Uint8Array(gunzipSync(await readFile(join(dir, `${split}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte.gz`))));
  const images = parseIdxImages(await read('images'));
  const labels = parseIdxLabels(await read('labels'));
  if (labels.length !== images.count) throw new Error(`${split}: ${images.count} images but ${labels.length} labels`);
  return { ...images, labels };
}

/** The images at `indices`, in that order. */
export function pick(set: ImageSet, indices: readonly number[]): ImageSet {
  const size = set.height * set.width;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    pixels.set(set.pixels.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = set.labels[index] as number;
  });
  return { pixels, labels, count: indices.length, height: set.height, width: set.width };
}

/**
 * The first `perClass` images of each class, in dataset order: a class-balanced
 * subset that does not depend on any random draw.
 */
export function balancedIndices(labels: Uint8Array, perClass: number, classes = 10): number[] {
  const taken = new Array<number>(classes).fill(0);
  const indices: number[] = [];
  labels.forEach((label, i) => {
    if ((taken[label] ?? perClass) < perClass) {
      taken[label] = (taken[label] ?? 0) + 1;
      indices.push(i);
    }
  });
  return indices;
}
