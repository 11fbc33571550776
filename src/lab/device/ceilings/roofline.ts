/**
 * Which measured ceiling a cell is held against, and how close it came: the
 * rule behind the roofline chart and its table, in one place.
 *  - wasm and cpu backends (CPU work): the wasm-SIMD ceiling at the cell's own
 *    thread count (1 when it reports none);
 *  - webgpu: the WebGPU ceiling;
 *  - webgl and webnn: no ceiling is measured for them, so no share is claimed.
 */
import type { Backend } from '../../engines/engine';
import type { CeilingReport } from './ceilings';

export interface CellCeiling {
  name: string;
  gflops: number;
}

export function ceilingFor(backend: Backend, threads: number, ceilings: CeilingReport | null): CellCeiling | null {
  if (!ceilings) return null;
  if (backend === 'wasm' || backend === 'cpu') {
    if (ceilings.wasmSimd.status !== 'available') return null;
    const t = Math.max(1, threads);
    const point = ceilings.wasmSimd.detail.points.find((p) => p.threads === t);
    return point ? { name: `wasm SIMD ${t} thread${t > 1 ? 's' : ''}`, gflops: point.gflops } : null;
  }
  if (backend === 'webgpu') return ceilings.webgpu.status === 'available' ? { name: 'WebGPU', gflops: ceilings.webgpu.detail.gflops } : null;
  return null;
}

/** Achieved as a share of the ceiling (0.25 = 25%); null without a ceiling. */
export function shareOfCeiling(achievedGflops: number, ceiling: CellCeiling | null): number | null {
  return ceiling && ceiling.gflops > 0 ? achievedGflops / ceiling.gflops : null;
}
