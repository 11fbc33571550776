import { expect, test } from 'vitest';
import { affineParamsFor, affineParamsForRange, dequantizeAffine, quantizeAffine, quantizeInt32, roundToAffineGrid, tfjsUint8Quantization } from './affine-quantization';

test('range always contains zero; scale is a float32; zero point is an integer', () => {
  expect(affineParamsForRange(0, 2.55)).toEqual({ scale: Math.fround(0.01), zeroPoint: 0, levels: 256 });
  expect(affineParamsForRange(1, 2)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 0, levels: 256 });
  const p = affineParamsForRange(-1, 3);
  expect(p.scale).toBe(Math.fround(4 / 255));
  expect(p.zeroPoint).toBe(64); // round(1 / (4/255)) = round(63.75)
  expect(affineParamsForRange(0, 0)).toEqual({ scale: 1, zeroPoint: 0, levels: 256 });
  expect(affineParamsForRange(-1.5, 1.5, 16)).toEqual({ scale: Math.fround(0.2), zeroPoint: 7, levels: 16 }); // 1.5 / float32(0.2) = 7.4999…
});

test('quantize → dequantize: zero exact, error at most half a step, codes clamped', () => {
  const values = Float32Array.of(-1, -0.3, 0, 0.123, 2.9, 3);
  const p = affineParamsFor(values);
  const codes = quantizeAffine(values, p);
  const back = dequantizeAffine(codes, p);
  expect(back[2]).toBe(0);
  values.forEach((v, i) => expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(p.scale / 2 + 1e-7));
  expect(Array.from(quantizeAffine(Float32Array.of(100, -100), p))).toEqual([255, 0]);
});

test('TF.js q × scale + min (double) equals ONNX float32((q − zp) × scale) for every code', () => {
  for (const [lo, hi] of [[-0.731, 0.402], [-3.3e-3, 9.1e-2], [-17.5, 0.25], [0, 1]] as const) {
    const p = affineParamsForRange(lo, hi);
    const t = tfjsUint8Quantization(p);
    for (let q = 0; q < 256; q++) {
      // What tfjs-core's decodeWeight does: values[i] = v * scale + min into a Float32Array.
      expect(Math.fround(q * t.scale + t.min)).toBe(dequantizeAffine([q], p)[0]);
    }
  }
});

test('16-level grid and int32 biases', () => {
  const { values, params } = roundToAffineGrid(Float32Array.of(-1, -0.5, 0.1, 1), 16);
  expect(new Set(values).size).toBeLessThanOrEqual(16);
  expect(params.levels).toBe(16);
  expect(Array.from(quantizeInt32(Float32Array.of(0.5, -0.25, 0), 0.125))).toEqual([4, -2, 0]);
  expect(() => quantizeInt32(Float32Array.of(1e9), 1e-3)).toThrow(RangeError);
});
