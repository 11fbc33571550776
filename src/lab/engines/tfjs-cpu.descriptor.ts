import type { EngineDescriptor } from './engine';
import { TFJS_ONNX_IMPORT_PRECISIONS, tfjsPrecisions } from './tfjs-precisions.ts';

/** Plain JavaScript kernels: slow, but runs everywhere; the baseline every other backend beats. */
export const TFJS_CPU = {
  id: 'tfjs-cpu',
  runtime: 'tensorflow.js',
  runtimePackage: '@tensorflow/tfjs',
  backend: 'cpu',
  label: 'TF.js CPU',
  formats: ['tfjs', 'onnx'],
  formatPrecisions: { onnx: TFJS_ONNX_IMPORT_PRECISIONS },
  bundle: '@tensorflow/tfjs',
  packages: ['@tensorflow/tfjs'],
  quick: ['fp32'],
  assets: [],
  precisions: tfjsPrecisions('cpu'),
} as const satisfies EngineDescriptor<'tfjs-cpu'>;
