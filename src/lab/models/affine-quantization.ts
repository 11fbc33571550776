/**
 * Per-tensor affine quantization: `real = (q − zeroPoint) × scale`, with `q`
 * an unsigned integer of `levels` values (256 for uint8, 16 for the 4-bit
 * fixture). One parameter set that both formats represent exactly:
 *
 * - ONNX `DequantizeLinear` computes float32((q − zeroPoint) × scale) with a
 *   float32 `scale` and a uint8 `zeroPoint`;
 * - TF.js weights-manifest quantization `{ dtype: 'uint8', min, scale }`
 *   computes float32(q × scale + min) in double precision.
 *
 * With `scale` a float32 and `min = −zeroPoint × scale` (exact in double),
 * TF.js's q × scale + min is the exact (q − zeroPoint) × scale (at most 32
 * significant bits), rounded once to float32: the same value ONNX gives.
 * Zero is always in the range, so it is represented exactly (zero padding,
 * ReLU outputs and zero biases stay exact).
 */

export interface AffineParams {
  /** float32 */
  scale: number;
  /** An integer in [0, levels − 1]. */
  zeroPoint: number;
  levels: number;
}

/** Parameters covering [min(0, lo), max(0, hi)] with `levels` values (min/max calibration). */
export function affineParamsForRange(lo: number, hi: number, levels = 256): AffineParams {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new RangeError(`affine quantization: bad range [${lo}, ${hi}]`);
  const min = Math.min(0, lo);
  const max = Math.max(0, hi);
  if (max === min) return { scale: 1, zeroPoint: 0, levels };
  const scale = Math.fround((max - min) / (levels - 1));
  const zeroPoint = Math.min(levels - 1, Math.max(0, Math.round(-min / scale)));
  return { scale, zeroPoint, levels };
}

export function affineParamsFor(values: Float32Array, levels = 256): AffineParams {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return values.length === 0 ? { scale: 1, zeroPoint: 0, levels } : affineParamsForRange(lo, hi, levels);
}

/**
 * q = clamp(round(v / scale) + zeroPoint, 0, levels − 1), halves rounded up
 * (ONNX QuantizeLinear ties to even; weights are quantized once, here, and both
 * formats store the same codes, so the rule only has to be fixed).
 */
export function quantizeAffine(values: Float32Array, p: AffineParams): Uint8Array {
  if (p.levels > 256) throw new RangeError('quantizeAffine: at most 256 levels fit a uint8');
  return Uint8Array.from(values, (v) => Math.min(p.levels - 1, Math.max(0, Math.round(v / p.scale) + p.zeroPoint)));
}

/** ONNX DequantizeLinear: float32((q − zeroPoint) × scale). */
export function dequantizeAffine(codes: ArrayLike<number>, p: Pick<AffineParams, 'scale' | 'zeroPoint'>): Float32Array {
  return Float32Array.from({ length: codes.length }, (_, i) => Math.fround(((codes[i] as number) - p.zeroPoint) * p.scale));
}

/** The TF.js weights-manifest quantization with the same dequantized values (see the file header). */
export function tfjsUint8Quantization(p: AffineParams): { dtype: 'uint8'; min: number; scale: number } {
  return { dtype: 'uint8', min: p.zeroPoint === 0 ? 0 : -p.zeroPoint * p.scale, scale: p.scale };
}

/** Values rounded to the affine grid (quantize, dequantize), as float32. */
export function roundToAffineGrid(values: Float32Array, levels: number): { values: Float32Array; params: AffineParams } {
  const params = affineParamsFor(values, levels);
  return { values: dequantizeAffine(quantizeAffine(values, params), params), params };
}

/**
 * A bias as int32 on the grid `scale` (ONNX QLinearConv adds it to the int32
 * accumulator, whose scale is input scale × weight scale), zero point 0.
 * @throws RangeError when a value needs more than 24 bits (it would not survive float32).
 */
export function quantizeInt32(values: Float32Array, scale: number): Int32Array {
  const out = Int32Array.from(values, (v) => Math.round(v / scale));
  const big = out.find((q) => Math.abs(q) >= 2 ** 24);
  if (big !== undefined) throw new RangeError(`int32 bias quantization: ${big} at scale ${scale} does not fit 24 bits`);
  return out;
}
