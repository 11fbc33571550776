import type { Availability } from './engine';
import { errorMessage } from '../util/errors';
import { withTimeout } from '../util/timeout';

/**
 * Capability checks as seen from inside the worker that will run the engine
 * (a worker can lack what the page has: OffscreenCanvas, navigator.gpu).
 */
const PROBE_TIMEOUT_MS = 5000;

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

export async function probeWebGpu(): Promise<Availability> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { available: false, reason: 'This browser does not offer WebGPU (no navigator.gpu).' };
  }
  try {
    const adapter = await withTimeout(navigator.gpu.requestAdapter(), PROBE_TIMEOUT_MS, 'requestAdapter()');
    if (!adapter) {
      return {
        available: false,
        reason: 'WebGPU found no GPU adapter (navigator.gpu.requestAdapter() returned null); on Linux Chromium needs --enable-unsafe-webgpu.',
      };
    }
    return YES;
  } catch (error) {
    return { available: false, reason: `Asking for a WebGPU adapter failed: ${errorMessage(error)}` };
  }
}

interface MlLike {
  createContext(options?: { deviceType?: string }): Promise<unknown>;
}

export async function probeWebNn(): Promise<Availability> {
  const ml = (navigator as Navigator & { ml?: MlLike }).ml;
  if (!ml) return { available: false, reason: 'This browser does not offer WebNN (no navigator.ml).' };
  try {
    await withTimeout(ml.createContext({ deviceType: 'cpu' }), PROBE_TIMEOUT_MS, 'navigator.ml.createContext()');
    return YES;
  } catch (error) {
    return { available: false, reason: `The browser exposes WebNN but refused to create a context: ${errorMessage(error)}` };
  }
}
