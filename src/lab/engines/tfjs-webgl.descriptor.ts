import type { EngineDescriptor } from './engine';
import { TFJS_ONNX_IMPORT_PRECISIONS, tfjsPrecisions } from './tfjs-precisions.ts';

export const TFJS_WEBGL = {
  id: 'tfjs-webgl',
  runtime: 'tensorflow.js',
  runtimePackage: '@tensorflow/tfjs',
  backend: 'webgl',
  label: 'TF.js WebGL',
  formats: ['tfjs', 'onnx'],
  formatPrecisions: { onnx: TFJS_ONNX_IMPORT_PRECISIONS },
  bundle: '@tensorflow/tfjs',
  packages: ['@tensorflow/tfjs'],
  quick: ['fp32'],
  assets: [],
  precisions: tfjsPrecisions('webgl', {
    fp16c: {
      supported: true,
      artifact: 'fp16',
      info: {
        storage: 'fp16',
        compute: 'fp32 (fp16 intermediates)',
        how: 'WEBGL_FORCE_F16_TEXTURES keeps every intermediate tensor in half-float textures; the shaders still do FP32 arithmetic, so each result is rounded to FP16 between operations. Not FP16 arithmetic.',
      },
      requires: [{ fact: 'f16-textures', missing: 'FP16 textures were asked for, but the started WebGL backend reports WEBGL_FORCE_F16_TEXTURES off.' }],
    },
  }),
} as const satisfies EngineDescriptor<'tfjs-webgl'>;
