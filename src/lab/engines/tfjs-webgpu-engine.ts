import { ENGINES } from './engine-descriptors';
import { createTfjsEngine } from './tfjs-common';
import { probeWebGpu } from './worker-probes';

export const tfjsWebgpuEngine = createTfjsEngine({
  descriptor: ENGINES['tfjs-webgpu'],
  backendName: 'webgpu',
  probe: probeWebGpu,
  async register() {
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  describe: () => ({ wasmFile: null, threads: 0, details: {} }),
});
