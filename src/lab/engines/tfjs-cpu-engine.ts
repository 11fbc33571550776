import { createTfjsEngine } from './tfjs-common';
import { TFJS_CPU } from './tfjs-cpu.descriptor';

export const adapter = createTfjsEngine({
  descriptor: TFJS_CPU,
  backendName: 'cpu',
  probe: () => Promise.resolve({ available: true }),
  describe: () => ({ wasmFile: null, threads: 1, details: {} }),
  // Its tensors are plain JS typed arrays: TF.js's own byte count is the only measure.
  memory: (tf) => ({ source: 'TF.js tensors (JS arrays)', bytes: tf.memory().numBytes }),
});
