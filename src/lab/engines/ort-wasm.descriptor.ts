import type { EngineDescriptor } from './engine';
import { ORT_INT8_QLINEAR, ortPrecisions } from './ort-precisions.ts';

/** `onnxruntime-web/wasm`: the plain CPU build; 1.3–2.7× faster at batch 1 than the default (JSEP) bundle's wasm. */
export const ORT_WASM = {
  id: 'ort-wasm',
  runtime: 'onnxruntime-web',
  runtimePackage: 'onnxruntime-web',
  backend: 'wasm',
  label: 'ORT wasm',
  formats: ['onnx'],
  bundle: 'onnxruntime-web/wasm',
  packages: ['onnxruntime-web/wasm'],
  quick: ['fp32', 'int8'],
  assets: [{ folder: 'ort', from: 'node_modules/onnxruntime-web/dist', files: ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] }],
  precisions: ortPrecisions('wasm', { int8: ORT_INT8_QLINEAR }),
} as const satisfies EngineDescriptor<'ort-wasm'>;
