import { expect, test } from 'vitest';
import { formatJson, shortestFloat32 } from './json-format';

test('shortestFloat32 keeps the float32 and drops digits float32 cannot hold', () => {
  expect(shortestFloat32(0.1)).toBe(0.1);
  expect(shortestFloat32(1 / 3)).toBe(0.33333334);
  expect(Math.fround(shortestFloat32(1 / 3))).toBe(Math.fround(1 / 3));
  expect(shortestFloat32(2)).toBe(2);
  expect(shortestFloat32(-1.0000001)).toBe(-1.0000001);
});

test('formatJson puts arrays of plain values on one line', () => {
  expect(formatJson({ a: [1, 2], b: { c: 'x', d: [[1], [2]] }, e: undefined })).toBe(
    '{\n  "a": [1, 2],\n  "b": {\n    "c": "x",\n    "d": [\n      [1],\n      [2]\n    ]\n  }\n}',
  );
  expect(formatJson([])).toBe('[]');
});
