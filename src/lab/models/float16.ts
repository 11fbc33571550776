/**
 * IEEE 754 half precision (binary16) ↔ float32, as raw uint16 bits: what an
 * ONNX FLOAT16 tensor and a TF.js `float16` weights-manifest entry store.
 * Rounding is to nearest, ties to even (numpy's `astype(float16)`, which the
 * TF.js converter uses); values beyond 65504 round to ±Infinity, as IEEE says.
 */

const k_f32 = new Float32Array(1);
const k_u32 = new Uint32Array(k_f32.buffer);

/** The binary16 bits nearest to `value` (as a float32 first). */
export function float16Bits(value: number): number {
  k_f32[0] = value;
  const x = k_u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // Inf, NaN (quiet)
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    // Subnormal half (or zero): shift the full mantissa (with its hidden 1) right.
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const round = rest > halfway || (rest === halfway && (half & 1) === 1) ? 1 : 0;
    return sign | (half + round);
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and can reach Infinity).
  const round = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0;
  return sign | (half + round);
}

/** The float value of binary16 `bits` (exact: every half is a float32). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

export function toFloat16Bits(values: Float32Array): Uint16Array {
  return Uint16Array.from(values, float16Bits);
}

export function fromFloat16Bits(bits: Uint16Array): Float32Array {
  return Float32Array.from(bits, float16Value);
}

/** `values` rounded through binary16 and back. */
export function roundToFloat16(values: Float32Array): Float32Array {
  return Float32Array.from(values, (v) => float16Value(float16Bits(v)));
}

/** Little-endian bytes of binary16 bits (ONNX raw data, TF.js weight files). */
export function float16BytesLE(bits: Uint16Array): Uint8Array {
  const out = new Uint8Array(bits.length * 2);
  const view = new DataView(out.buffer);
  bits.forEach((b, i) => view.setUint16(i * 2, b, true));
  return out;
}
