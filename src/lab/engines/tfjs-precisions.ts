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

/**
 * What changes when a TF.js engine runs the ONNX file through the lab's
 * importer (src/lab/onnx-import) instead of its TF.js twin: TF.js has neither
 * int8 kernels nor float16 tensors, so the graph's own quantize/dequantize
 * and float16 casts are carried out, exactly where the model puts them, on
 * FP32 values.
 */
export const TFJS_ONNX_IMPORT_PRECISIONS: Readonly<Partial<Record<Precision, PrecisionSupport>>> = Object.freeze({
  fp16: supports(
    'fp16',
    'fp16',
    'fp32 (dequantized)',
    "The lab's ONNX importer keeps the file's FP16 weights as FP32 numbers (exact) and rounds every value the graph casts to FP16 to the nearest FP16 number; the arithmetic is FP32.",
  ),
  fp16c: supports(
    'fp16c',
    'fp16',
    'fp32 (dequantized)',
    "The lab's ONNX importer runs the all-FP16 graph with FP32 arithmetic: its FP16 weights are exact as FP32 numbers, and values are rounded to FP16 only where the graph casts (its inputs and outputs), not after every operation; TF.js has no FP16 arithmetic.",
  ),
  int8: supports(
    'int8',
    'int8',
    'fp32 (dequantized)',
    "The lab's ONNX importer runs the QDQ graph in FP32: QuantizeLinear rounds and clamps activations to INT8 levels and DequantizeLinear expands them again, where the model says; TF.js has no INT8 kernels.",
  ),
});

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
