/**
 * WebAssembly features that decide which LiteRT.js build can load, probed the
 * same way on the page (device report) and inside a worker (the engine):
 * relaxed SIMD (every LiteRT.js build but "compat" needs it) and JSPI
 * (JavaScript Promise Integration: LiteRT.js's build that can suspend wasm for
 * WebNN and for WebGPU/wasm model partitioning).
 */
import { jspi, relaxedSimd } from 'wasm-feature-detect';
import type { Capability } from './device-report';
import { available, unavailable } from './device-report';

export async function probeRelaxedSimd(): Promise<Capability<{ relaxed: true }>> {
  return (await relaxedSimd())
    ? available({ relaxed: true as const })
    : unavailable('No relaxed SIMD: LiteRT.js falls back to its "compat" wasm build (no threads, no JSPI).');
}

export async function probeJspi(): Promise<Capability<{ suspending: true }>> {
  return (await jspi())
    ? available({ suspending: true as const })
    : unavailable(
        'No JavaScript Promise Integration (WebAssembly.Suspending): LiteRT.js cannot run WebNN, and on WebGPU it cannot split a model between GPU and wasm (a model the GPU cannot run whole runs on wasm instead).',
      );
}
