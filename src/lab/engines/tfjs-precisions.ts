import type { Backend } from './engine';
import type { Precision, PrecisionSupport } from './precision.ts';
import { FP32_SUPPORT, INT4_FIXTURE_SUPPORT, supports } from './precision.ts';

function dequantizedAtLoad(storage: 'fp16' | 'int8'): PrecisionSupport {
  return supports(
    storage,
    storage,
    'fp32 (dequantized)',
    `TF.js expands ${storage.toUpperCase()} weights to FP32 when it loads the model (weights-manifest quantization); activations stay FP32 and the kernels compute in FP32.`,
  );
}

/** What TensorFlow.js does with the lab's variants; only WebGL has an FP16 switch (its descriptor overrides fp16c). */
export function tfjsPrecisions(backend: Backend, overrides: Partial<Record<Precision, PrecisionSupport>> = {}): Record<Precision, PrecisionSupport> {
  return {
    fp32: FP32_SUPPORT,
    fp16: dequantizedAtLoad('fp16'),
    fp16c: {
      supported: false,
      reason: `TensorFlow.js has an FP16 mode only on its WebGL backend (WEBGL_FORCE_F16_TEXTURES); its ${backend} backend always computes and stores in FP32.`,
    },
    int8: dequantizedAtLoad('int8'),
    int4: INT4_FIXTURE_SUPPORT,
    ...overrides,
  };
}
