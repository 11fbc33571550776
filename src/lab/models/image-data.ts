/**
 * Image evaluation data and the pixel ↔ tensor conversions a manifest
 * describes, framework-free (the caller fetches the files), plus PSNR for
 * image-to-image outputs.
 */
import type { ImageEvaluation, ImagePostprocessing, ImagePreprocessing } from './manifest';
import type { FetchBytes } from './golden';

export interface ImageEvaluationData {
  rows: number;
  /** rows × height × width × channels uint8, NHWC. */
  images: Uint8Array;
  /** One class index per image, when the model classifies. */
  labels?: Uint8Array;
  /** Reference images (image-to-image models), rows × H × W × C uint8. */
  targets?: Uint8Array;
}

async function fetchExact(fetchBytes: FetchBytes, path: string, bytes: number): Promise<Uint8Array> {
  const data = new Uint8Array(await fetchBytes(path));
  if (data.byteLength !== bytes) throw new Error(`${path} has ${data.byteLength} bytes, the manifest says ${bytes}`);
  return data;
}

/** Fetches an image evaluation split's files and checks their sizes. */
export async function loadImageEvaluation(evaluation: ImageEvaluation, fetchBytes: FetchBytes): Promise<ImageEvaluationData> {
  const { rows, images, labels, targets } = evaluation;
  const [imageBytes, labelBytes, targetBytes] = await Promise.all([
    fetchExact(fetchBytes, images.path, images.bytes),
    labels === undefined ? undefined : fetchExact(fetchBytes, labels.path, labels.bytes),
    targets === undefined ? undefined : fetchExact(fetchBytes, targets.path, targets.bytes),
  ]);
  return { rows, images: imageBytes, ...(labelBytes ? { labels: labelBytes } : {}), ...(targetBytes ? { targets: targetBytes } : {}) };
}

/**
 * Model input for images `[start, start + count)` (uint8 NHWC):
 * float32(pixel × scale + offset), per channel where the preprocessing lists
 * one value per channel, in the preprocessing's layout.
 */
export function imagesToInput(images: Uint8Array, preprocessing: ImagePreprocessing, start: number, count: number): Float32Array {
  const { height, width, channels } = preprocessing;
  const size = height * width * channels;
  const pixels = images.subarray(start * size, (start + count) * size);
  if (pixels.length !== count * size) throw new RangeError(`images ${start}..${start + count - 1} are not all in the data (${images.length / size} images)`);
  const { scale, offset } = preprocessing;
  if (typeof scale === 'number' && typeof offset === 'number' && (preprocessing.layout === 'NHWC' || channels === 1)) return Float32Array.from(pixels, (p) => p * scale + offset);
  const scaleOf = (c: number) => (typeof scale === 'number' ? scale : (scale[c] as number));
  const offsetOf = (c: number) => (typeof offset === 'number' ? offset : (offset[c] as number));
  const out = new Float32Array(pixels.length);
  const plane = height * width;
  for (let i = 0; i < pixels.length; i++) {
    const c = i % channels;
    const image = Math.floor(i / size);
    const at = preprocessing.layout === 'NHWC' ? i : image * size + c * plane + Math.floor((i % size) / channels);
    out[at] = (pixels[i] as number) * scaleOf(c) + offsetOf(c);
  }
  return out;
}

/** Model output → uint8 pixels: clamp(round(value × scale + offset), 0, 255). */
export function outputToPixels(values: Float32Array, postprocessing: Pick<ImagePostprocessing, 'scale' | 'offset'>): Uint8Array {
  return Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v * postprocessing.scale + postprocessing.offset))));
}

/**
 * Peak signal-to-noise ratio in dB between two equally long arrays:
 * 10·log10(peak² / MSE). Identical arrays give Infinity.
 */
export function psnr(actual: ArrayLike<number>, reference: ArrayLike<number>, peak = 255): number {
  if (actual.length !== reference.length || actual.length === 0) {
    throw new RangeError(`psnr: lengths ${actual.length} and ${reference.length} must be equal and non-zero`);
  }
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = (actual[i] as number) - (reference[i] as number);
    sum += d * d;
  }
  const mse = sum / actual.length;
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}
