/**
 * Occlusion maps for an image classifier (Zeiler & Fergus 2014), from
 * forward passes only: slide a patch of a fill value over the image, run the
 * model on every occluded copy, and record how much the target class's
 * probability drops.
 *
 * Split like shapley.ts around the model: `planOcclusion` fixes the patch
 * positions; `occlusionInputs(plan, first, count)` builds any chunk of the
 * input rows (row 0 is the unoccluded image, row 1 + p the image with patch
 * p filled), so a worker can run them in batches that fit the engine's
 * memory (a 224×224×3 image with 729 patches would be 440 MB at once);
 * `solveOcclusion` turns the outputs into a map.
 *
 * Patch positions along an axis: 0, stride, 2·stride, … while the patch
 * fits, plus one patch flush with the far edge when the stride leaves the
 * last pixels uncovered, so every pixel is covered at least once. A patch
 * larger than the image is clamped to it.
 */

import { checkTarget, classProbability, rowCount } from './probabilities';
import type { Numbers } from './probabilities';
import type { OcclusionMap } from './types';

/** Memory order of one image (no batch dimension): channels first or last. */
export type ImageLayout = 'chw' | 'hwc';

export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly layout: ImageLayout;
}

export interface OcclusionOptions {
  /** Patch side, or height and width. */
  readonly patch: number | { readonly height: number; readonly width: number };
  /** Step between patches; default: the patch size (no overlap). */
  readonly stride?: number | { readonly height: number; readonly width: number };
  /**
   * Value written into occluded pixels: one for all channels or one per
   * channel (e.g. the dataset mean, so a patch reads as "no information"
   * rather than "black"). Default 0.
   */
  readonly fill?: number | readonly number[];
}

export interface OcclusionPlan {
  readonly shape: ImageShape;
  readonly patchHeight: number;
  readonly patchWidth: number;
  /** Top edge of each grid row of patches. */
  readonly tops: readonly number[];
  /** Left edge of each grid column of patches. */
  readonly lefts: readonly number[];
  readonly gridHeight: number;
  readonly gridWidth: number;
  /** 1 + gridHeight·gridWidth input rows: the image, then one per patch, row-major. */
  readonly rows: number;
  readonly valuesPerImage: number;
  readonly image: Float32Array;
  /** Fill value per channel. */
  readonly fill: Float32Array;
}

function positiveInteger(what: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${what}: ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/**
 * Patch start positions along one axis (see the file comment).
 * @throws RangeError unless extent, patch and stride are positive integers.
 */
export function occlusionPositions(extent: number, patch: number, stride: number): number[] {
  const what = 'occlusionPositions';
  positiveInteger(what, 'extent', extent);
  positiveInteger(what, 'patch', patch);
  positiveInteger(what, 'stride', stride);
  const size = Math.min(patch, extent);
  const positions: number[] = [];
  for (let p = 0; p + size <= extent; p += stride) positions.push(p);
  const last = positions[positions.length - 1] ?? 0;
  if (last + size < extent) positions.push(extent - size);
  return positions;
}

/**
 * Plans the occluded copies of one image.
 *
 * @param image one image in `shape.layout` order, height·width·channels values.
 * @throws RangeError on a bad shape, patch, stride or fill, an image of the
 *   wrong size, or non-finite pixels.
 */
export function planOcclusion(image: Numbers, shape: ImageShape, options: OcclusionOptions): OcclusionPlan {
  const what = 'planOcclusion';
  const height = positiveInteger(what, 'height', shape.height);
  const width = positiveInteger(what, 'width', shape.width);
  const channels = positiveInteger(what, 'channels', shape.channels);
  if (shape.layout !== 'chw' && shape.layout !== 'hwc') {
    throw new RangeError(`${what}: unsupported layout "${String(shape.layout)}". Should be one of: "chw", "hwc"`);
  }
  const valuesPerImage = height * width * channels;
  if (image.length !== valuesPerImage) {
    throw new RangeError(`${what}: expected ${height}×${width}×${channels} = ${valuesPerImage} values, got ${image.length}`);
  }
  for (let i = 0; i < image.length; i++) {
    if (!Number.isFinite(image[i] ?? Number.NaN)) throw new RangeError(`${what}: value ${i} is ${String(image[i])}`);
  }
  const patch = typeof options.patch === 'number' ? { height: options.patch, width: options.patch } : options.patch;
  const strideOption = options.stride ?? patch;
  const stride = typeof strideOption === 'number' ? { height: strideOption, width: strideOption } : strideOption;
  const tops = occlusionPositions(height, patch.height, stride.height);
  const lefts = occlusionPositions(width, patch.width, stride.width);

  const fillOption = options.fill ?? 0;
  const fillValues = typeof fillOption === 'number' ? new Array<number>(channels).fill(fillOption) : fillOption;
  if (fillValues.length !== channels || !fillValues.every((v) => Number.isFinite(v))) {
    throw new RangeError(`${what}: fill must be a finite number or ${channels} finite numbers, got ${JSON.stringify(fillOption)}`);
  }
  return {
    shape,
    patchHeight: Math.min(patch.height, height),
    patchWidth: Math.min(patch.width, width),
    tops,
    lefts,
    gridHeight: tops.length,
    gridWidth: lefts.length,
    rows: 1 + tops.length * lefts.length,
    valuesPerImage,
    image: Float32Array.from(image),
    fill: Float32Array.from(fillValues),
  };
}

/**
 * Builds input rows first .. first+count−1 of the plan (row 0: the image;
 * row 1 + p: patch p filled), flattened, ready for one engine call.
 *
 * @throws RangeError when the range is outside [0, plan.rows).
 */
export function occlusionInputs(plan: OcclusionPlan, first = 0, count = plan.rows - first): Float32Array {
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > plan.rows) {
    throw new RangeError(
      `occlusionInputs: rows ${String(first)}..${String(first + count - 1)} are outside [0, ${plan.rows - 1}]`,
    );
  }
  const { height, width, channels, layout } = plan.shape;
  const n = plan.valuesPerImage;
  const out = new Float32Array(count * n);
  for (let k = 0; k < count; k++) {
    const row = first + k;
    out.set(plan.image, k * n);
    if (row === 0) continue;
    const p = row - 1;
    const top = plan.tops[Math.floor(p / plan.gridWidth)] ?? 0;
    const left = plan.lefts[p % plan.gridWidth] ?? 0;
    for (let y = top; y < top + plan.patchHeight; y++) {
      for (let x = left; x < left + plan.patchWidth; x++) {
        for (let c = 0; c < channels; c++) {
          const index = layout === 'hwc' ? (y * width + x) * channels + c : c * height * width + y * width + x;
          out[k * n + index] = plan.fill[c] ?? 0;
        }
      }
    }
  }
  return out;
}

/**
 * Turns the model's outputs for all plan rows into an occlusion map: the
 * drop of each patch (base − occluded probability of `target`), and per
 * pixel the mean drop over the patches covering it.
 *
 * @param outputs plan.rows × outputWidth, in plan row order.
 * @throws RangeError on outputs of the wrong size, a bad target or a
 *   non-finite output.
 */
export function solveOcclusion(
  plan: OcclusionPlan,
  outputs: Numbers,
  outputWidth: number,
  target: number,
): OcclusionMap {
  const what = 'solveOcclusion';
  const got = rowCount(what, outputs, outputWidth);
  if (got !== plan.rows) throw new RangeError(`${what}: expected outputs for ${plan.rows} rows, got ${got}`);
  checkTarget(what, target, outputWidth);
  const probability = (row: number): number => {
    const p = classProbability(outputs, row, outputWidth, target);
    if (!Number.isFinite(p)) throw new RangeError(`${what}: output of row ${row} is ${String(p)}`);
    return p;
  };
  const { height, width } = plan.shape;
  const base = probability(0);
  const cells = plan.gridHeight * plan.gridWidth;
  const grid = new Array<number>(cells);
  const sum = new Float64Array(height * width);
  const count = new Uint32Array(height * width);
  for (let p = 0; p < cells; p++) {
    const drop = base - probability(1 + p);
    grid[p] = drop;
    const top = plan.tops[Math.floor(p / plan.gridWidth)] ?? 0;
    const left = plan.lefts[p % plan.gridWidth] ?? 0;
    for (let y = top; y < top + plan.patchHeight; y++) {
      for (let x = left; x < left + plan.patchWidth; x++) {
        const i = y * width + x;
        sum[i] = (sum[i] ?? 0) + drop;
        count[i] = (count[i] ?? 0) + 1;
      }
    }
  }
  // Every pixel is covered (see occlusionPositions), so count > 0.
  const values = Array.from(sum, (s, i) => s / (count[i] ?? 1));
  return {
    target,
    height,
    width,
    baseProbability: base,
    values,
    gridHeight: plan.gridHeight,
    gridWidth: plan.gridWidth,
    grid,
  };
}
