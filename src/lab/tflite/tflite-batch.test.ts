import { describe, expect, it } from 'vitest';
import { FixedBatchError, tfliteForBatch } from './tflite-batch';
import { readTflite } from './tflite-read';
import { tinyTflite } from './tflite-test-graphs';

describe('tfliteForBatch', () => {
  it('writes the batch into every dynamic batch dimension, shape and signature, and nothing else', () => {
    const bytes = tinyTflite();
    const batched = tfliteForBatch(bytes, 16);
    const m = readTflite(batched);
    expect(m.subgraphs[0]!.tensors.map((t) => [t.shape, t.shapeSignature])).toEqual([
      [[16, 3], [16, 3]],
      [[2, 3], undefined],
      [[2], undefined],
      [[16, 2], [16, 2]],
      [[16, 2], [16, 2]],
    ]);
    // In place: same length, and only the six batch entries changed (four bytes each).
    expect(batched.length).toBe(bytes.length);
    expect(batched.reduce((n, byte, i) => n + (byte === bytes[i] ? 0 : 1), 0)).toBeLessThanOrEqual(6 * 4);
    const { subgraphs: _ignored, ...rest } = m;
    const { subgraphs: _original, ...restBefore } = readTflite(bytes);
    expect(rest).toEqual(restBefore);
    expect(bytes).toEqual(tinyTflite());
  });

  it('keeps a fixed-batch file at its own batch and refuses another', () => {
    const fixed = tinyTflite(4, true);
    expect(tfliteForBatch(fixed, 4)).toBe(fixed);
    expect(() => tfliteForBatch(fixed, 1)).toThrow(FixedBatchError);
  });
});
