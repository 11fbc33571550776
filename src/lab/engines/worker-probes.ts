import type { Availability } from './engine';
import { probeWebGpuCapability, probeWebNnCapability } from '../device/api-probes';
import type { Capability } from '../device/device-report';

/**
 * Capability checks as seen from inside the worker that will run the engine
 * (a worker can lack what the page has: OffscreenCanvas, navigator.gpu).
 */
const YES: Availability = { available: true };

export async function probeWasmSimd(): Promise<Availability> {
  const { simd } = await import('wasm-feature-detect');
  return (await simd())
    ? YES
    : { available: false, reason: 'No WebAssembly SIMD in this browser; the wasm engines ship SIMD builds only.' };
}

export function probeWebGl2(): Promise<Availability> {
  if (typeof OffscreenCanvas === 'undefined') {
    return Promise.resolve({ available: false, reason: 'No OffscreenCanvas in workers here, so WebGL cannot run off the main thread.' });
  }
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return Promise.resolve({ available: false, reason: 'The browser gives no WebGL 2 context (no usable GPU driver, or WebGL is off).' });
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return Promise.resolve(YES);
}

/** The device report's own probes, asked from inside the worker that will run the engine. */
function toAvailability(cap: Capability<unknown>): Availability {
  if (cap.status === 'available') return YES;
  return { available: false, reason: cap.technical ? `${cap.reason} (${cap.technical})` : cap.reason };
}

export async function probeWebGpu(): Promise<Availability> {
  return toAvailability(await probeWebGpuCapability());
}

export async function probeWebNn(): Promise<Availability> {
  return toAvailability(await probeWebNnCapability());
}
