import { describe, expect, it } from 'vitest';
import { expectedKernelResult, instantiateKernel, k_flops_per_iteration, wasmSimdKernelBytes } from './wasm-simd-kernel';

describe('the wasm SIMD multiply-add kernel', () => {
  it('is a valid module', () => {
    expect(WebAssembly.validate(wasmSimdKernelBytes())).toBe(true);
  });

  it('does the arithmetic it claims, bit for bit', async () => {
    const run = await instantiateKernel();
    for (const n of [1, 2, 7, 1000, 50_000, 400_000]) expect(run(n)).toBe(expectedKernelResult(n));
    // One iteration from 0: 0 × m + 1e-4, summed over the 12 accumulators' lane 0.
    expect(expectedKernelResult(1)).toBeCloseTo(12e-4, 9);
    // The answer depends on the count (a skipped loop cannot pass) until the float32 fixed point near 1.
    expect(expectedKernelResult(1000)).not.toBe(expectedKernelResult(1001));
    expect(expectedKernelResult(400_000)).toBeCloseTo(12, 1);
    expect(expectedKernelResult(400_000)).toBe(expectedKernelResult(4_000_000));
  });

  it('counts 12 accumulators × 4 lanes × (mul + add) per iteration', () => {
    expect(k_flops_per_iteration).toBe(96);
  });
});
