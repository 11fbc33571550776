/**
 * TF.js weight files for the precision variants, framework-free: the same
 * topology with a weights manifest whose entries carry TF.js's own
 * quantization, which TF.js expands to float32 when it loads the model:
 *
 * - `float16`: `{ dtype: 'float16', original_dtype: 'float32' }`, 2 bytes per value;
 * - `uint8`: `{ dtype: 'uint8', min, scale }`, value = q × scale + min, 1 byte
 *   per value (per-tensor affine: the parameters of affine-quantization.ts, so
 *   the values equal ONNX DequantizeLinear's);
 * - plain float32, possibly replaced values (an int32-grid bias, 4-bit-grid weights).
 */
import { type AffineParams, quantizeAffine, tfjsUint8Quantization } from './affine-quantization';
import { float16BytesLE, toFloat16Bits } from './float16';
import type { TfjsWeight } from './onnx-graph';

export type TfjsQuantization = { dtype: 'float16'; original_dtype: 'float32' } | { dtype: 'uint8'; min: number; scale: number };

export interface TfjsWeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: TfjsQuantization;
}

/** How one weight is written. */
export type TfjsWeightEncoding = { kind: 'float32'; values?: Float32Array } | { kind: 'float16' } | { kind: 'uint8'; params: AffineParams };

/** The weights manifest entries and the one shard they describe, in `weights` order. */
export function encodeTfjsWeights(weights: readonly TfjsWeight[], encodingOf: (weight: TfjsWeight) => TfjsWeightEncoding): { entries: TfjsWeightEntry[]; data: Uint8Array } {
  const parts: Uint8Array[] = [];
  const entries = weights.map((weight): TfjsWeightEntry => {
    const encoding = encodingOf(weight);
    const base = { name: weight.name, shape: [...weight.shape], dtype: 'float32' as const };
    if (encoding.kind === 'float16') {
      parts.push(float16BytesLE(toFloat16Bits(weight.values)));
      return { ...base, quantization: { dtype: 'float16', original_dtype: 'float32' } };
    }
    if (encoding.kind === 'uint8') {
      parts.push(quantizeAffine(weight.values, encoding.params));
      return { ...base, quantization: tfjsUint8Quantization(encoding.params) };
    }
    const values = encoding.values ?? weight.values;
    if (values.length !== weight.values.length) throw new Error(`TF.js weights: "${weight.name}" has ${weight.values.length} values, the replacement ${values.length}`);
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    parts.push(bytes);
    return base;
  });
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((offset, p) => (data.set(p, offset), offset + p.byteLength), 0);
  return { entries, data };
}

/** A model.json for the variant: the original topology and format, one shard named `shard`. */
export function variantModelJson(original: { format?: string; generatedBy?: string; modelTopology: object }, entries: TfjsWeightEntry[], shard: string, convertedBy: string): string {
  const json = {
    format: original.format ?? 'layers-model',
    generatedBy: original.generatedBy,
    convertedBy,
    modelTopology: original.modelTopology,
    weightsManifest: [{ paths: [shard], weights: entries }],
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
