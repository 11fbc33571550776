import { describe, expect, test } from 'vitest';
import { bicubicDownscale, boxDownscale, crop, decodePng, encodePng, type RgbImage } from './png';

/** A 5×4 image whose bytes are all different, so any mix-up shows. */
const image: RgbImage = { width: 5, height: 4, pixels: Uint8Array.from({ length: 60 }, (_, i) => (i * 37 + 11) % 256) };

describe('PNG', () => {
  test('decodes what it encodes, with every row filter (none, sub, up, average, Paeth)', () => {
    for (const filters of [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]]) {
      const decoded = decodePng(encodePng(image, filters));
      expect([decoded.width, decoded.height]).toEqual([5, 4]);
      expect(Array.from(decoded.pixels)).toEqual(Array.from(image.pixels));
    }
  });

  test('rejects what it does not read', () => {
    expect(() => decodePng(new Uint8Array(20))).toThrow(/bad signature/);
    const png = encodePng(image);
    png[24] = 16; // IHDR bit depth
    expect(() => decodePng(png)).toThrow(/only 8-bit/);
  });
});

test('boxDownscale averages blocks and rounds; crop takes a region', () => {
  // 2×2 RGB image: red channel 0, 1, 2, 4 → mean 1.75 → 2.
  const small: RgbImage = { width: 2, height: 2, pixels: Uint8Array.from([0, 10, 20, 1, 10, 20, 2, 10, 20, 4, 10, 21]) };
  expect(Array.from(boxDownscale(small, 2).pixels)).toEqual([2, 10, 20]);
  const region = crop(image, 1, 2, 2, 1);
  expect(Array.from(region.pixels)).toEqual(Array.from(image.pixels.subarray((2 * 5 + 1) * 3, (2 * 5 + 3) * 3)));
  expect(() => crop(image, 4, 0, 2, 1)).toThrow(/leaves the 5×4 image/);
});

test('bicubicDownscale keeps flat areas flat and linear ramps linear (midpoints of each pair)', () => {
  // 8×2 image whose red channel is 10·x: a 2× reduction samples the ramp at x = 0.5, 2.5, 4.5, 6.5 → 5, 25, 45, 65
  // (away from the clamped edges; at the edges clamping pulls the first and last value in).
  const pixels = new Uint8Array(8 * 2 * 3);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 8; x++) pixels.set([10 * x, 77, 200], (y * 8 + x) * 3);
  const small = bicubicDownscale({ width: 8, height: 2, pixels }, 2);
  expect([small.width, small.height]).toEqual([4, 1]);
  const red = [0, 1, 2, 3].map((x) => small.pixels[x * 3]);
  expect(red.slice(1, 3)).toEqual([25, 45]);
  expect(Array.from(small.pixels.filter((_, i) => i % 3 !== 0))).toEqual([77, 200, 77, 200, 77, 200, 77, 200]);
});
