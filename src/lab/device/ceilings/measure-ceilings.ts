import type { CeilingReport, WasmCeilingPoint } from './ceilings';
import { measureWasmSimdCeiling } from './wasm-simd-ceiling';
import { measureWebGpuCeiling } from './webgpu-ceiling';

/** Both ceilings, one after the other (never at once: they would share the CPU when WebGPU is software). */
export async function measureCeilings(maxThreads: number, onWasmPoint?: (p: WasmCeilingPoint) => void): Promise<CeilingReport> {
  const wasmSimd = await measureWasmSimdCeiling(maxThreads, onWasmPoint);
  const webgpu = await measureWebGpuCeiling();
  return { measuredAt: new Date().toISOString(), wasmSimd, webgpu };
}
