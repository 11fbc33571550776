/**
 * Full-integer INT8 by TFLite's quantization spec: activations int8
 * asymmetric per tensor (zero point in [−128, 127], zero exact), weights int8
 * symmetric (zero point 0, codes in [−127, 127]) per output channel for
 * convolutions and per tensor for fully connected layers, biases int32 at
 * input scale × weight scale. Activation ranges come from the same min/max
 * calibration as the ONNX INT8 variant (scripts/models/int8-calibration.ts).
 */
import { affineParamsForRange } from '../models/affine-quantization';
import type { TensorQuantization } from './tflite-graph';

/** int8 activation parameters covering [min(0, lo), max(0, hi)]: the uint8 grid of the ONNX variant shifted by 128 (same scale, same real values). */
export function int8ActivationParams(lo: number, hi: number): TensorQuantization {
  const p = affineParamsForRange(lo, hi);
  return { scale: [p.scale], zeroPoint: [p.zeroPoint - 128] };
}

/** SOFTMAX and LOGISTIC outputs in int8: TFLite's kernels require scale 1/256, zero point −128. */
export const k_int8_probability_params: TensorQuantization = Object.freeze({ scale: [1 / 256], zeroPoint: [-128] });

export function quantizeInt8(values: ArrayLike<number>, q: TensorQuantization): Int8Array {
  const scale = q.scale[0] ?? 1;
  const zero = q.zeroPoint[0] ?? 0;
  return Int8Array.from({ length: values.length }, (_, i) => Math.min(127, Math.max(-128, Math.round((values[i] as number) / scale) + zero)));
}

/**
 * Symmetric int8 weights, one scale per slice along `axis` (`channels` slices)
 * or one for the whole tensor (`channels` 1). `values` are laid out as `dims`.
 */
export function symmetricInt8(values: Float32Array, dims: readonly number[], axis: number, perChannel: boolean): { codes: Int8Array; quantization: TensorQuantization } {
  const channels = perChannel ? (dims[axis] ?? 1) : 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => (perChannel ? Math.floor(i / inner) % channels : 0);
  const maxAbs = new Float64Array(channels);
  values.forEach((v, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c] ?? 0, Math.abs(v));
  });
  const scale = Array.from(maxAbs, (m) => (m === 0 ? 1 : Math.fround(m / 127)));
  const codes = Int8Array.from(values, (v, i) => Math.min(127, Math.max(-127, Math.round(v / (scale[channelOf(i)] ?? 1)))));
  return { codes, quantization: { scale, zeroPoint: scale.map(() => 0), ...(perChannel ? { axis } : {}) } };
}

/** int32 bias codes at input scale × weight scale (per channel when the weights are). */
export function int32Bias(values: Float32Array, inputScale: number, weightScales: readonly number[]): { codes: Int32Array; quantization: TensorQuantization } {
  const scale = values.length > 1 && weightScales.length === values.length ? weightScales.map((w) => Math.fround(inputScale * w)) : [Math.fround(inputScale * (weightScales[0] ?? 1))];
  const codes = Int32Array.from(values, (v, i) => Math.round(v / (scale[scale.length === 1 ? 0 : i] ?? 1)));
  return { codes, quantization: { scale, zeroPoint: scale.map(() => 0), ...(scale.length > 1 ? { axis: 0 } : {}) } };
}
