import type { Availability } from './engine';
import { probeWebGpuCapability, probeWebNnCapability } from '../device/api-probes';
import type { Capability } from '../device/device-report';
import type { EngineFamily } from '../device/browser-info';
import { browserFamily } from '../device/browser-info';

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

/** Why a worker got no WebGL 2 context, in the terms of the browser it runs in. */
const NO_WORKER_WEBGL_HINT: Record<EngineFamily, string> = {
  chromium: 'no usable GPU driver, or WebGL is off',
  firefox: 'Firefox gives none when it runs headless or finds no usable GL driver',
  webkit: 'WebKit keeps WebGL in workers off by default, even where the page has WebGL; WebKitGTK turns it on with the AllowWebGLInWorkers feature (MiniBrowser --features=+AllowWebGLInWorkers)',
  other: 'no usable GPU driver, WebGL is off, or this browser has no WebGL in workers',
};

/** WebGL 2 where the cells run: inside a worker, through OffscreenCanvas (the page may have it when a worker does not). */
export function probeWebGl2(): Promise<Availability> {
  if (typeof OffscreenCanvas === 'undefined') {
    return Promise.resolve({ available: false, reason: 'No OffscreenCanvas in workers here, so WebGL cannot run off the main thread, where the lab runs every cell.' });
  }
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) {
    const hint = NO_WORKER_WEBGL_HINT[browserFamily(navigator.userAgent)];
    return Promise.resolve({
      available: false,
      reason: `No WebGL 2 context in a worker, where the lab runs every cell: OffscreenCanvas.getContext('webgl2') returned null (${hint}).`,
    });
  }
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
