import type { EngineDescriptor } from './engine';
import { tfjsPrecisions } from './tfjs-precisions.ts';

/** Plain JavaScript kernels: slow, but runs everywhere; the baseline every other backend beats. */
export const TFJS_CPU = {
  id: 'tfjs-cpu',
  runtime: 'tensorflow.js',
  backend: 'cpu',
  label: 'TF.js CPU',
  formats: ['tfjs'],
  bundle: '@tensorflow/tfjs',
  packages: ['@tensorflow/tfjs'],
  assets: [],
  precisions: tfjsPrecisions('cpu'),
} as const satisfies EngineDescriptor<'tfjs-cpu'>;
