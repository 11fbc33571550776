import { errorMessage } from '../util/errors';
import { withTimeout } from '../util/timeout';
import type { Capability, WebGpuDetail, WebNnDetail } from './device-report';
import { available, unavailable } from './device-report';
import { describeWebGpuAdapter, webGpuUnavailable } from './gpu-info';
import { browserFamily } from './browser-info';

/**
 * WebGPU and WebNN asked for for real, the same way on the page (device report)
 * and inside a cell's worker (engine availability): presence of the API proves
 * nothing, an adapter or a context does.
 */
const WEBGPU_TIMEOUT_MS = 5000;
/** WebNN's createContext() can hang on some builds; never let it stall a probe. */
const WEBNN_TIMEOUT_MS = 3000;

export async function probeWebGpuCapability(): Promise<Capability<WebGpuDetail>> {
  const family = browserFamily(navigator.userAgent);
  if (!('gpu' in navigator) || !navigator.gpu) return webGpuUnavailable('no-api', undefined, family);
  try {
    const adapter = await withTimeout(navigator.gpu.requestAdapter(), WEBGPU_TIMEOUT_MS, 'requestAdapter()');
    if (!adapter) return webGpuUnavailable('no-adapter', undefined, family);
    return describeWebGpuAdapter(adapter);
  } catch (error) {
    return webGpuUnavailable('error', errorMessage(error), family);
  }
}

interface MlLike {
  createContext(options?: { deviceType?: string }): Promise<unknown>;
}

/** navigator.ml existing proves nothing: Chromium exposes it and then refuses. So ask for a context. */
export async function probeWebNnCapability(): Promise<Capability<WebNnDetail>> {
  const ml = (navigator as Navigator & { ml?: MlLike }).ml;
  if (!ml) return unavailable('This browser does not offer WebNN (no navigator.ml); it is still experimental everywhere.');
  try {
    await withTimeout(ml.createContext({ deviceType: 'cpu' }), WEBNN_TIMEOUT_MS, 'navigator.ml.createContext()');
    return available({ deviceType: 'cpu' }, ['WebNN is experimental: results may differ between browser versions.']);
  } catch (error) {
    return unavailable('The browser exposes WebNN but refused to create a context, so the WebNN engine cannot run.', errorMessage(error));
  }
}
