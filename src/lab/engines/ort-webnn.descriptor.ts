import type { EngineDescriptor } from './engine';
import { ortPrecisions } from './ort-precisions.ts';

/** WebNN lives in the default (JSEP) bundle only. */
export const ORT_WEBNN = {
  id: 'ort-webnn',
  runtime: 'onnxruntime-web',
  runtimePackage: 'onnxruntime-web',
  backend: 'webnn',
  label: 'ORT WebNN',
  formats: ['onnx'],
  bundle: 'onnxruntime-web',
  packages: ['onnxruntime-web'],
  quick: ['fp32'],
  assets: [{ folder: 'ort', from: 'node_modules/onnxruntime-web/dist', files: ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'] }],
  precisions: ortPrecisions('webnn'),
} as const satisfies EngineDescriptor<'ort-webnn'>;
