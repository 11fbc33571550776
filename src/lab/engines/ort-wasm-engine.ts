import { createOrtEngine } from './ort-common';
import { ENGINES } from './engine-descriptors';
import { probeWasmSimd } from './worker-probes';

/** `onnxruntime-web/wasm`: the plain CPU build; 2–2.7× faster at batch 1 than the default (JSEP) bundle's wasm. */
export const ortWasmEngine = createOrtEngine({
  descriptor: ENGINES['ort-wasm'],
  load: () => import('onnxruntime-web/wasm'),
  wasmFile: 'ort-wasm-simd-threaded.wasm',
  executionProviders: ['wasm'],
  probe: probeWasmSimd,
});
