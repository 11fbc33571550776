/**
 * Images a user brings in the ImageFolder convention (torchvision's): one
 * sub-folder per class under a root, class indices in sorted folder-name
 * order. The pixel work is pure (decoded RGBA in, uint8 HWC at the model's
 * size out), so the same images give the same inputs on every browser:
 * decoding is the browser's (image-decode.ts), resizing is this file's
 * bilinear filter (half-pixel centres, no antialiasing), not the canvas's.
 */
import type { ImagePreprocessing } from '../manifest';
import type { ImageOptions } from './intake-options';
import { UserInputError } from './user-model-error';

const k_image_extensions = /\.(png|jpe?g|gif|bmp|webp)$/i;

export interface ImageFolderItem {
  path: string;
  label: number;
}

/** Classes and items of an ImageFolder tree, from the files' relative paths (e.g. `root/cat/001.png`). */
export function imageFolderLayout(paths: readonly string[]): { classes: string[]; items: ImageFolderItem[]; skipped: string[] } {
  const images = paths.filter((p) => k_image_extensions.test(p));
  const skipped = paths.filter((p) => !k_image_extensions.test(p));
  if (images.length === 0) throw new UserInputError('data', `No images among the ${paths.length} file(s) given (PNG, JPEG, GIF, BMP or WebP in one sub-folder per class)`);
  const parts = images.map((p) => p.split('/').filter(Boolean));
  // The root is the longest folder prefix every image shares; the class is the next folder.
  let depth = 0;
  while (parts.every((p) => p.length > depth + 1 && p[depth] === parts[0]?.[depth])) depth += 1;
  const loose = parts.find((p) => p.length < depth + 2);
  if (loose) throw new UserInputError('data', `"${loose.join('/')}" is not inside a class folder: the ImageFolder convention needs one sub-folder per class (root/<class>/<image>)`);
  const classes = [...new Set(parts.map((p) => p[depth] as string))].sort();
  if (classes.length < 2) throw new UserInputError('data', `Only one class folder ("${classes[0] ?? ''}"): the ImageFolder convention needs one sub-folder per class, and a classifier at least two`);
  const items = images.map((path, i) => ({ path, label: classes.indexOf(parts[i]?.[depth] as string) }));
  items.sort((a, b) => a.label - b.label || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { classes, items, skipped };
}

export interface ImageInputSpec {
  layout: 'NCHW' | 'NHWC';
  height: number;
  width: number;
  channels: 1 | 3;
}

/** Where the model wants height, width and channels, from its input's example dimensions (and the user's layout when both readings fit). */
export function imageInputSpec(exampleDims: readonly number[], options: ImageOptions = {}): ImageInputSpec {
  if (exampleDims.length !== 3) {
    throw new UserInputError('unsupported', `An image folder needs an image input (N×C×H×W or N×H×W×C); this model's input is [N, ${exampleDims.join(', ')}]`);
  }
  const [a, b, c] = exampleDims as [number, number, number];
  const nchw = a === 1 || a === 3;
  const nhwc = c === 1 || c === 3;
  const layout = options.layout ?? (nchw && !nhwc ? 'NCHW' : nhwc && !nchw ? 'NHWC' : undefined);
  if (!layout) throw new UserInputError('unsupported', `Input [N, ${exampleDims.join(', ')}] could be NCHW or NHWC: say which (images.layout)`);
  const channels = layout === 'NCHW' ? a : c;
  if (channels !== 1 && channels !== 3) throw new UserInputError('unsupported', `Input [N, ${exampleDims.join(', ')}] read as ${layout} has ${channels} channels; the lab makes 1 (grey) or 3 (RGB)`);
  const [height, width] = layout === 'NCHW' ? [b, c] : [a, b];
  if (options.height !== undefined && options.height !== height) throw new UserInputError('unsupported', `images.height ${options.height} differs from the model input's ${height}`);
  if (options.width !== undefined && options.width !== width) throw new UserInputError('unsupported', `images.width ${options.width} differs from the model input's ${width}`);
  return { layout, height, width, channels };
}

/** The manifest's preprocessing for these images: (pixel / 255 − mean) / std per channel. */
export function imagePreprocessingFor(spec: ImageInputSpec, options: ImageOptions = {}): ImagePreprocessing {
  const pick = (values: readonly number[] | undefined, fallback: number, what: string): number[] => {
    if (values === undefined) return Array.from({ length: spec.channels }, () => fallback);
    if (values.length === 1) return Array.from({ length: spec.channels }, () => values[0] as number);
    if (values.length !== spec.channels) throw new UserInputError('mapping', `images.${what} has ${values.length} values for ${spec.channels} channel(s)`);
    return [...values];
  };
  const mean = pick(options.mean, 0, 'mean');
  const std = pick(options.std, 1, 'std');
  const scale = std.map((s) => 1 / (255 * s));
  const offset = mean.map((m, i) => -m / (std[i] as number));
  const same = (v: number[]) => v.every((x) => x === v[0]);
  return {
    kind: 'image',
    layout: spec.layout,
    height: spec.height,
    width: spec.width,
    channels: spec.channels,
    colorSpace: spec.channels === 1 ? 'grayscale' : 'RGB',
    scale: same(scale) ? (scale[0] as number) : scale,
    offset: same(offset) ? (offset[0] as number) : offset,
    note: `pixel / 255, then (value − mean) / std per channel with mean ${mean.join(', ')} and std ${std.join(', ')}; resized bilinearly to ${spec.width}×${spec.height} (half-pixel centres, no antialiasing); ${spec.channels === 1 ? 'grey = round(0.299 R + 0.587 G + 0.114 B)' : 'RGB'}; ${spec.layout}`,
  };
}

/** One decoded image: width × height RGBA, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Bilinear resize with half-pixel centres (align_corners = false), rounding to uint8. */
export function resizeBilinear(image: RgbaImage, width: number, height: number): RgbaImage {
  if (image.width === width && image.height === height) return image;
  const out = new Uint8Array(width * height * 4);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 4; c++) {
        const at = (yy: number, xx: number) => image.data[(yy * image.width + xx) * 4 + c] as number;
        const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        out[(y * width + x) * 4 + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return { width, height, data: out };
}

/** RGBA → uint8 HWC with 1 (grey) or 3 (RGB) channels. */
export function rgbaToPixels(image: RgbaImage, channels: 1 | 3): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [image.data[i * 4] as number, image.data[i * 4 + 1] as number, image.data[i * 4 + 2] as number];
    if (channels === 1) out[i] = Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b));
    else out.set([r, g, b], i * 3);
  }
  return out;
}
