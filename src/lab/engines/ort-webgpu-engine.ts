import { createOrtEngine } from './ort-common';
import { ENGINES } from './engine-descriptors';
import { probeWebGpu } from './worker-probes';

/**
 * `onnxruntime-web/webgpu`: the native WebGPU build. The default bundle's JSEP
 * WebGPU returned wrong numbers without an error on FP16/INT8 graphs
 * (onnxruntime issue 32578); this one was correct.
 */
export const ortWebgpuEngine = createOrtEngine({
  descriptor: ENGINES['ort-webgpu'],
  load: () => import('onnxruntime-web/webgpu'),
  wasmFile: 'ort-wasm-simd-threaded.asyncify.wasm',
  executionProviders: ['webgpu'],
  probe: probeWebGpu,
});
