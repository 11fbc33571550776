import { createOrtEngine } from './ort-common';
import { ENGINES } from './engine-descriptors';
import { probeWebNn } from './worker-probes';

/** WebNN lives in the default (JSEP) bundle only. */
export const ortWebnnEngine = createOrtEngine({
  descriptor: ENGINES['ort-webnn'],
  load: () => import('onnxruntime-web'),
  wasmFile: 'ort-wasm-simd-threaded.jsep.wasm',
  executionProviders: [{ name: 'webnn', deviceType: 'cpu' }],
  probe: probeWebNn,
});
