import type { EngineDescriptor } from './engine';
import { ortPrecisions } from './ort-precisions.ts';

/** `onnxruntime-web/webgl` (the older onnxjs engine): no wasm, fixed shapes only, float32 tensors only. */
export const ORT_WEBGL = {
  id: 'ort-webgl',
  runtime: 'onnxruntime-web',
  runtimePackage: 'onnxruntime-web',
  backend: 'webgl',
  label: 'ORT WebGL',
  formats: ['onnx'],
  bundle: 'onnxruntime-web/webgl',
  packages: ['onnxruntime-web/webgl', 'onnx-proto'],
  quick: ['fp32'],
  assets: [],
  // Its FP16 and INT8 graphs are refused per model by the operator and type table (ort-webgl-support.ts), not here.
  precisions: ortPrecisions('webgl'),
} as const satisfies EngineDescriptor<'ort-webgl'>;
