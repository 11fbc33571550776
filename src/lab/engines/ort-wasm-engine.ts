import { createOrtEngine } from './ort-common';
import { ORT_WASM } from './ort-wasm.descriptor';
import { probeWasmSimd } from './worker-probes';

export const adapter = createOrtEngine({
  descriptor: ORT_WASM,
  load: () => import('onnxruntime-web/wasm'),
  wasmFile: 'ort-wasm-simd-threaded.wasm',
  executionProviders: ['wasm'],
  probe: probeWasmSimd,
  sessionProfiler: true,
});
