import { describe, expect, it } from 'vitest';
import { expectedGpuResult, k_gpu_flops_per_iteration, webGpuKernelWgsl } from './webgpu-kernel';

describe('the WebGPU multiply-add kernel', () => {
  it('unrolls one fma per accumulator in the loop', () => {
    const wgsl = webGpuKernelWgsl(256);
    expect(wgsl.match(/fma\(/g)).toHaveLength(4);
    expect(wgsl).toContain('i < 256u');
    expect(k_gpu_flops_per_iteration).toBe(32);
  });

  it('knows the answer: the closed form matches iterating', () => {
    let direct = 0;
    for (let a = 0; a < 4; a++) {
      let v = 5e-6 + a * 1e-3;
      for (let i = 0; i < 300; i++) v = v * 0.9999 + 1e-4;
      direct += 4 * v;
    }
    expect(expectedGpuResult(5, 300)).toBeCloseTo(direct, 10);
  });

  it('refuses a bad iteration count', () => {
    expect(() => webGpuKernelWgsl(0)).toThrow(RangeError);
  });
});
