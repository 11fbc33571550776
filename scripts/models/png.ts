/**
 * Minimal PNG reading and writing for the build (Node's zlib, no dependency):
 * decodes 8-bit, non-interlaced grayscale, RGB, gray+alpha and RGBA images to
 * RGB (alpha dropped), and encodes RGB previews. Enough for the evaluation
 * images the build crops; plus the box and bicubic filters and crop it uses.
 */
import { deflateSync, inflateSync } from 'node:zlib';

export interface RgbImage {
  width: number;
  height: number;
  /** height × width × 3 uint8, row-major. */
  pixels: Uint8Array;
}

const k_signature = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel by PNG colour type. */
const k_channels: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters (PNG spec §9) in place; returns the raw samples. */
function unfilter(data: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)];
    const line = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (row[x - bpp] as number) : 0;
      const b = prev[x] as number;
      const c = x >= bpp ? (prev[x - bpp] as number) : 0;
      const raw = line[x] as number;
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : -1;
      if (predictor < 0) throw new Error(`PNG: unknown filter type ${String(filter)} on row ${y}`);
      row[x] = (raw + predictor) & 0xff;
    }
  }
  return out;
}

export function decodePng(file: Uint8Array): RgbImage {
  if (!k_signature.every((b, i) => file[i] === b)) throw new Error('PNG: bad signature');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const idat: Uint8Array[] = [];
  while (offset < file.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...file.subarray(offset + 4, offset + 8));
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), bitDepth: body[8] ?? 0, colorType: body[9] ?? 0, interlace: body[12] ?? 0 };
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (header === undefined) throw new Error('PNG: no IHDR chunk');
  const channels = k_channels[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(`PNG: only 8-bit non-interlaced gray/RGB/RGBA is supported (bit depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace})`);
  }
  const samples = unfilter(new Uint8Array(inflateSync(Buffer.concat(idat))), header.width, header.height, channels);
  const pixels = new Uint8Array(header.width * header.height * 3);
  for (let i = 0; i < header.width * header.height; i++) {
    for (let c = 0; c < 3; c++) pixels[i * 3 + c] = samples[i * channels + (channels < 3 ? 0 : c)] as number;
  }
  return { width: header.width, height: header.height, pixels };
}

/** Averages `factor × factor` blocks (a box filter), rounding to the nearest integer; drops a partial last row/column. */
export function boxDownscale(image: RgbImage, factor: number): RgbImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++) sum += image.pixels[((y * factor + dy) * image.width + x * factor + dx) * 3 + c] as number;
        pixels[(y * width + x) * 3 + c] = Math.round(sum / (factor * factor));
      }
  return { width, height, pixels };
}

/** Keys' cubic convolution kernel with a = -0.5 (the "bicubic" of MATLAB's imresize and PIL). */
function cubic(x: number): number {
  const t = Math.abs(x);
  if (t <= 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t < 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

/** Weights of the input samples for each output sample along one axis (kernel stretched by `factor`, edges clamped). */
function antialiasedTaps(inSize: number, factor: number): { index: number; weight: number }[][] {
  return Array.from({ length: Math.floor(inSize / factor) }, (_, i) => {
    const centre = (i + 0.5) * factor - 0.5;
    const taps: { index: number; weight: number }[] = [];
    for (let j = Math.ceil(centre - 2 * factor); j <= Math.floor(centre + 2 * factor); j++) {
      const weight = cubic((centre - j) / factor);
      if (weight !== 0) taps.push({ index: Math.min(inSize - 1, Math.max(0, j)), weight });
    }
    const sum = taps.reduce((a, t) => a + t.weight, 0);
    return taps.map((t) => ({ index: t.index, weight: t.weight / sum }));
  });
}

/**
 * Antialiased bicubic downscaling by an integer factor, as MATLAB's
 * `imresize(img, 1/factor)` does (the degradation DIV2K's low-resolution
 * images, which ESRGAN models train on, are made with), rounded to uint8.
 */
export function bicubicDownscale(image: RgbImage, factor: number): RgbImage {
  const [rowTaps, colTaps] = [antialiasedTaps(image.height, factor), antialiasedTaps(image.width, factor)];
  const [width, height] = [colTaps.length, rowTaps.length];
  // Horizontal pass in float, then vertical, then round once.
  const horizontal = new Float64Array(image.height * width * 3);
  for (let y = 0; y < image.height; y++)
    colTaps.forEach((taps, x) => {
      for (let c = 0; c < 3; c++) horizontal[(y * width + x) * 3 + c] = taps.reduce((a, t) => a + t.weight * (image.pixels[(y * image.width + t.index) * 3 + c] as number), 0);
    });
  const pixels = new Uint8Array(width * height * 3);
  rowTaps.forEach((taps, y) => {
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const v = taps.reduce((a, t) => a + t.weight * (horizontal[(t.index * width + x) * 3 + c] as number), 0);
        pixels[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(v)));
      }
  });
  return { width, height, pixels };
}

/** The `width × height` region whose top-left corner is (left, top). */
export function crop(image: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height) {
    throw new RangeError(`crop ${width}×${height} at (${left}, ${top}) leaves the ${image.width}×${image.height} image`);
  }
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) pixels.set(image.pixels.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + width) * 3), y * width * 3);
  return { width, height, pixels };
}

const k_crc_table = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (k_crc_table[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/**
 * Encodes an RGB image as PNG. `filters` picks each row's filter type (0–4,
 * cycling; default all 0), so tests can exercise every filter of the decoder.
 */
export function encodePng(image: RgbImage, filters: readonly number[] = [0]): Uint8Array {
  const stride = image.width * 3;
  const raw = new Uint8Array(image.height * (stride + 1));
  for (let y = 0; y < image.height; y++) {
    const filter = filters[y % filters.length] ?? 0;
    const row = image.pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? image.pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const a = x >= 3 ? (row[x - 3] as number) : 0;
      const b = prev[x] as number;
      const c = x >= 3 ? (prev[x - 3] as number) : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter] ?? 0;
      raw[y * (stride + 1) + 1 + x] = ((row[x] as number) - predictor) & 0xff;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Uint8Array.from(k_signature), chunk('IHDR', header), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array())]);
}
