import { ENGINES } from './engine-descriptors';
import { createTfjsEngine } from './tfjs-common';

/** Plain JavaScript kernels: slow, but runs everywhere; the baseline every other backend beats. */
export const tfjsCpuEngine = createTfjsEngine({
  descriptor: ENGINES['tfjs-cpu'],
  backendName: 'cpu',
  probe: () => Promise.resolve({ available: true }),
  describe: () => ({ wasmFile: null, threads: 1, details: {} }),
});
