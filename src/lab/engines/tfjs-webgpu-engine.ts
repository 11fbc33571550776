import { createTfjsEngine } from './tfjs-common';
import { TFJS_WEBGPU } from './tfjs-webgpu.descriptor';
import { probeWebGpu } from './worker-probes';

export const adapter = createTfjsEngine({
  descriptor: TFJS_WEBGPU,
  backendName: 'webgpu',
  probe: probeWebGpu,
  async register() {
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  describe: () => ({ wasmFile: null, threads: 0, details: {} }),
});
