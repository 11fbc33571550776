import type { EngineDescriptor } from './engine';
import { TFJS_ONNX_IMPORT_PRECISIONS, tfjsPrecisions } from './tfjs-precisions.ts';

export const TFJS_WASM = {
  id: 'tfjs-wasm',
  runtime: 'tensorflow.js',
  runtimePackage: '@tensorflow/tfjs',
  backend: 'wasm',
  label: 'TF.js wasm',
  formats: ['tfjs', 'onnx'],
  formatPrecisions: { onnx: TFJS_ONNX_IMPORT_PRECISIONS },
  bundle: '@tensorflow/tfjs-backend-wasm',
  packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
  quick: ['fp32', 'int8'],
  assets: [
    {
      folder: 'tfjs',
      from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist',
      files: ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'],
    },
  ],
  precisions: tfjsPrecisions('wasm'),
} as const satisfies EngineDescriptor<'tfjs-wasm'>;
