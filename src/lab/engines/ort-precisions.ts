import type { Backend } from './engine';
import type { Precision, PrecisionSupport } from './precision.ts';
import { FP32_SUPPORT, INT4_FIXTURE_SUPPORT, supports } from './precision.ts';

/**
 * What onnxruntime-web's providers do with the lab's variants. Facts come from
 * the native optimized-graph check (tools/reference/int8-qlinear.test.ts) and
 * the providers' own operator tables; each descriptor picks its entries here.
 */
export const ORT_FP16_STORAGE: PrecisionSupport = supports(
  'fp16',
  'fp16',
  'fp32 (dequantized)',
  'FP16 initializers with a Cast to FP32: onnxruntime folds the casts at session creation and computes in FP32.',
);

export function ortFp16ComputeByCasts(backend: Backend): PrecisionSupport {
  return supports(
    'fp16c',
    'fp16',
    'fp32 (dequantized)',
    `A full FP16 graph: onnxruntime's ${backend} engine has no FP16 kernels for these operators and inserts casts, so it computes in FP32 (seen in its optimized graph).`,
  );
}

export const ORT_INT8_QLINEAR: PrecisionSupport = supports(
  'int8',
  'int8',
  'int8',
  'A QDQ graph (QuantizeLinear after each quantized operator as well as before it): the wasm engine fuses it into QLinearMatMul/QLinearConv integer kernels (the native onnxruntime check asserts these nodes).',
);

export function ortInt8Dequantized(backend: Backend): PrecisionSupport {
  return supports(
    'int8',
    'int8',
    'fp32 (dequantized)',
    `onnxruntime's ${backend} engine has no integer kernels: DequantizeLinear expands the weights and activations and it computes in FP32.`,
  );
}

/** The default table for an ORT provider; descriptors override what differs. */
export function ortPrecisions(backend: Backend, overrides: Partial<Record<Precision, PrecisionSupport>> = {}): Record<Precision, PrecisionSupport> {
  return {
    fp32: FP32_SUPPORT,
    fp16: ORT_FP16_STORAGE,
    fp16c: ortFp16ComputeByCasts(backend),
    int8: ortInt8Dequantized(backend),
    int4: INT4_FIXTURE_SUPPORT,
    ...overrides,
  };
}
