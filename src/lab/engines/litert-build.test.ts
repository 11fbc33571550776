import { describe, expect, it } from 'vitest';
import { chooseLiteRtBuild } from './litert-build';

const all = { relaxedSimd: true, threads: true, crossOriginIsolated: true, jspi: true };
const build = (accelerator: Parameters<typeof chooseLiteRtBuild>[0], f: Partial<typeof all> = {}) => {
  const c = chooseLiteRtBuild(accelerator, { ...all, ...f });
  return typeof c === 'string' ? c : c.wasmFile;
};

describe('chooseLiteRtBuild', () => {
  it('takes the threaded build for wasm only in an isolated page with wasm threads', () => {
    expect(build('wasm')).toBe('litert_wasm_threaded_internal.wasm');
    expect(build('wasm', { crossOriginIsolated: false })).toBe('litert_wasm_internal.wasm');
    expect(build('wasm', { threads: false })).toBe('litert_wasm_internal.wasm');
    expect(build('wasm', { relaxedSimd: false })).toBe('litert_wasm_compat_internal.wasm');
  });

  it('takes the JSPI build for WebGPU where it can partition the model, the plain one where it cannot', () => {
    expect(build('webgpu')).toBe('litert_wasm_jspi_internal.wasm');
    expect(build('webgpu', { jspi: false })).toBe('litert_wasm_internal.wasm');
  });

  it('runs WebNN only on the JSPI build and says what is missing', () => {
    expect(build('webnn')).toBe('litert_wasm_jspi_internal.wasm');
    expect(build('webnn', { jspi: false })).toMatch(/JSPI \(missing here\)/);
    expect(build('webnn', { relaxedSimd: false })).toMatch(/relaxed SIMD \(missing here\)/);
  });
});
