import type { EngineDescriptor } from './engine';
import { TFJS_ONNX_IMPORT_PRECISIONS, tfjsPrecisions } from './tfjs-precisions.ts';

export const TFJS_WEBGPU = {
  id: 'tfjs-webgpu',
  runtime: 'tensorflow.js',
  runtimePackage: '@tensorflow/tfjs',
  backend: 'webgpu',
  label: 'TF.js WebGPU',
  formats: ['tfjs', 'onnx'],
  formatPrecisions: { onnx: TFJS_ONNX_IMPORT_PRECISIONS },
  bundle: '@tensorflow/tfjs-backend-webgpu',
  packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'],
  quick: ['fp32'],
  assets: [],
  precisions: tfjsPrecisions('webgpu'),
} as const satisfies EngineDescriptor<'tfjs-webgpu'>;
