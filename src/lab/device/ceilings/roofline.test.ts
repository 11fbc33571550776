import { describe, expect, it } from 'vitest';
import type { CeilingReport } from './ceilings';
import { ceilingFor, shareOfCeiling } from './roofline';

const report: CeilingReport = {
  measuredAt: '2026-12-02T00:00:00Z',
  wasmSimd: { status: 'available', notes: [], detail: { kernel: 'k', points: [{ threads: 1, gflops: 40, repeats: [40] }, { threads: 2, gflops: 75, repeats: [75] }] } },
  webgpu: { status: 'unavailable', reason: 'no adapter' },
};

describe('ceilingFor', () => {
  it('holds CPU backends against the wasm-SIMD ceiling at their own thread count', () => {
    expect(ceilingFor('wasm', 2, report)).toEqual({ name: 'wasm SIMD 2 threads', gflops: 75 });
    expect(ceilingFor('cpu', 0, report)).toEqual({ name: 'wasm SIMD 1 thread', gflops: 40 });
    expect(ceilingFor('wasm', 4, report)).toBeNull();
  });

  it('claims no ceiling where none was measured', () => {
    expect(ceilingFor('webgpu', 0, report)).toBeNull();
    expect(ceilingFor('webgl', 0, report)).toBeNull();
    expect(ceilingFor('wasm', 1, null)).toBeNull();
  });

  it('gives the share of the ceiling', () => {
    expect(shareOfCeiling(30, { name: 'x', gflops: 75 })).toBe(0.4);
    expect(shareOfCeiling(30, null)).toBeNull();
  });
});
