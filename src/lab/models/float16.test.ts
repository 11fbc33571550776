import { expect, test } from 'vitest';
import { float16Bits, float16Value, roundToFloat16 } from './float16';

test('float16 bits of exact values, limits and specials', () => {
  expect(float16Bits(1)).toBe(0x3c00);
  expect(float16Bits(-2)).toBe(0xc000);
  expect(float16Bits(65504)).toBe(0x7bff);
  expect(float16Bits(65520)).toBe(0x7c00); // rounds up to Infinity
  expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
  expect(float16Bits(2 ** -25)).toBe(0x0000); // halfway to 0: ties to even
  expect(float16Bits(3 * 2 ** -25)).toBe(0x0002); // 1.5 ulp: ties to even (2)
  expect(float16Bits(2 ** -14)).toBe(0x0400); // smallest normal
  expect(float16Bits(-0)).toBe(0x8000);
  expect(float16Bits(Infinity)).toBe(0x7c00);
  expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  expect(float16Value(0x3555)).toBeCloseTo(0.33325, 5);
});

test('rounds to nearest, ties to even, and decodes back exactly', () => {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1).
  expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00);
  // 1 + 3·2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: ties to even (1 + 2^-9).
  expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  expect(float16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
  for (let bits = 0; bits < 0x7c00; bits += 7) {
    expect(float16Bits(float16Value(bits))).toBe(bits);
    expect(float16Bits(-float16Value(bits))).toBe(bits | 0x8000);
  }
  expect(Array.from(roundToFloat16(Float32Array.of(0.1, 300.3)))).toEqual([0.0999755859375, 300.25]);
});
