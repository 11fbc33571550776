import type { EngineDescriptor } from './engine';

/**
 * Precision variants a plan can ask for. Storage precision (how weights ship)
 * differs from compute precision (what the kernels do); every cell says both.
 */
export const PRECISIONS = Object.freeze(['fp32', 'fp16', 'fp16c', 'int8', 'int4'] as const);
export type Precision = (typeof PRECISIONS)[number];

export const PRECISION_LABELS: Readonly<Record<Precision, string>> = Object.freeze({
  fp32: 'FP32',
  fp16: 'FP16 storage',
  fp16c: 'FP16 compute',
  int8: 'INT8',
  int4: '4-bit (damaged fixture)',
});

export type NumberFormat = 'fp32' | 'fp16' | 'int8' | 'int4';

export interface PrecisionInfo {
  storage: NumberFormat;
  compute: NumberFormat | 'fp32 (dequantized)';
  /** How the lab knows, in words a learner understands. */
  how: string;
}

/** Which artifact a cell loads: TF.js has no FP16-compute file; it runs FP16-storage weights with FP16 textures. */
export function artifactPrecision(descriptor: EngineDescriptor, precision: Precision): Precision {
  return descriptor.runtime === 'tensorflow.js' && precision === 'fp16c' ? 'fp16' : precision;
}

/** Null when the engine cannot compute this variant at all (the cell is then unavailable with this reason). */
export function unsupportedReason(descriptor: EngineDescriptor, precision: Precision): string | null {
  if (descriptor.runtime === 'tensorflow.js' && precision === 'fp16c' && descriptor.backend !== 'webgl') {
    return `TensorFlow.js computes in FP16 only on its WebGL backend (WEBGL_FORCE_F16_TEXTURES); its ${descriptor.backend} backend always computes in FP32.`;
  }
  return null;
}

/**
 * What a cell's storage and compute precision are, and how we know. Runtime
 * facts that only the engine can tell (e.g. `shader-f16`) come in `facts`.
 */
export function describePrecision(descriptor: EngineDescriptor, precision: Precision, facts: { f16Textures?: boolean } = {}): PrecisionInfo {
  const { runtime, backend } = descriptor;
  const storage: NumberFormat = precision === 'fp16c' ? 'fp16' : precision;
  if (precision === 'fp32') return { storage, compute: 'fp32', how: 'FP32 weights, FP32 kernels.' };
  if (precision === 'int4') {
    return {
      storage,
      compute: 'fp32 (dequantized)',
      how: 'A deliberately damaged fixture: weights rounded to 16 levels per tensor but kept as FP32 numbers, so every engine computes in FP32. It exists to prove that drift is detected.',
    };
  }
  if (runtime === 'tensorflow.js') {
    if (precision === 'fp16c') {
      return facts.f16Textures
        ? { storage, compute: 'fp16', how: 'WebGL textures forced to 16-bit floats (WEBGL_FORCE_F16_TEXTURES): every intermediate result is rounded to FP16.' }
        : { storage, compute: 'fp32 (dequantized)', how: 'FP16 textures were asked for but the backend did not enable them; it computed in FP32.' };
    }
    return {
      storage,
      compute: 'fp32 (dequantized)',
      how: `TF.js expands ${storage.toUpperCase()} weights to FP32 when it loads the model (weights-manifest quantization); the kernels compute in FP32.`,
    };
  }
  // onnxruntime-web
  if (precision === 'fp16') {
    return { storage, compute: 'fp32 (dequantized)', how: 'FP16 initializers with a Cast to FP32: onnxruntime folds the casts at session creation and computes in FP32.' };
  }
  if (precision === 'fp16c') {
    if (backend === 'webgpu') return { storage, compute: 'fp16', how: 'A full FP16 graph on WebGPU runs FP16 shaders (it needs the shader-f16 feature).' };
    return {
      storage,
      compute: 'fp32 (dequantized)',
      how: `A full FP16 graph: onnxruntime's ${backend} engine has no FP16 kernels for these operators and inserts casts, so it computes in FP32 (seen in its optimized graph).`,
    };
  }
  if (backend === 'wasm') {
    return {
      storage,
      compute: precision,
      how: 'A QDQ graph (QuantizeLinear after each quantized operator as well as before it): the wasm engine fuses it into QLinearMatMul/QLinearConv integer kernels (the native onnxruntime check asserts these nodes).',
    };
  }
  return {
    storage,
    compute: 'fp32 (dequantized)',
    how: `onnxruntime's ${backend} engine has no integer kernels: DequantizeLinear expands the weights and it computes in FP32.`,
  };
}
