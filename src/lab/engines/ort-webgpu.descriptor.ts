import type { EngineDescriptor } from './engine';
import { ortPrecisions } from './ort-precisions.ts';

/**
 * `onnxruntime-web/webgpu`: the native WebGPU build. The default bundle's JSEP
 * WebGPU returned wrong numbers without an error on FP16/INT8 graphs
 * (onnxruntime issue 32578); this one was correct.
 */
export const ORT_WEBGPU = {
  id: 'ort-webgpu',
  runtime: 'onnxruntime-web',
  runtimePackage: 'onnxruntime-web',
  backend: 'webgpu',
  label: 'ORT WebGPU',
  formats: ['onnx'],
  bundle: 'onnxruntime-web/webgpu',
  packages: ['onnxruntime-web/webgpu'],
  quick: ['fp32'],
  assets: [
    { folder: 'ort', from: 'node_modules/onnxruntime-web/dist', files: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] },
  ],
  precisions: ortPrecisions('webgpu', {
    fp16c: {
      supported: true,
      artifact: 'fp16c',
      info: { storage: 'fp16', compute: 'fp16', how: 'A full FP16 graph on WebGPU runs FP16 shaders, which need the adapter feature shader-f16.' },
      requires: [{ fact: 'shader-f16', missing: 'The FP16-compute graph needs FP16 shaders, and this WebGPU adapter lacks the shader-f16 feature.' }],
    },
  }),
} as const satisfies EngineDescriptor<'ort-webgpu'>;
