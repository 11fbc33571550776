import type { Precision, PrecisionSupport } from './precision.ts';
import { FP32_SUPPORT, INT4_FIXTURE_SUPPORT, supports } from './precision.ts';
import type { EngineDescriptor } from './engine';
import type { LiteRtAccelerator } from './litert-build.ts';
import { LITERT_FILES } from './litert-build.ts';

/**
 * What LiteRT.js does with the lab's .tflite variants (written by the lab's
 * exporter, src/lab/tflite). Each LiteRT descriptor picks its table here.
 */
const FP16_WEIGHTS = supports(
  'fp16',
  'fp16',
  'fp32 (dequantized)',
  "Float16 weights read through DEQUANTIZE operators (TFLite's FP16 weight format): LiteRT.js expands them to FP32 when it compiles the model and computes in FP32.",
);

function int8(accelerator: LiteRtAccelerator): PrecisionSupport {
  return supports(
    'int8',
    'int8',
    'int8',
    accelerator === 'wasm'
      ? 'A full-integer TFLite graph (int8 activations with calibrated scales, int8 weights per output channel, int32 biases; QUANTIZE at the input, DEQUANTIZE at the output): XNNPACK runs int8 kernels.'
      : `A full-integer TFLite graph: operators the ${accelerator} delegate cannot take run on LiteRT.js's wasm int8 kernels (the cell names that fallback).`,
  );
}

function fp16Compute(accelerator: LiteRtAccelerator): PrecisionSupport {
  if (accelerator === 'wasm') {
    return { supported: false, reason: "LiteRT.js's wasm (XNNPACK) path has no FP16-inference switch a page can set; it computes FP32." };
  }
  const support = supports(
    'fp16',
    'fp16',
    'fp16',
    `The FP16-weight file compiled with ${accelerator === 'webgpu' ? 'gpuOptions' : 'webNNOptions'}.precision "fp16": the delegate computes in FP16${accelerator === 'webgpu' ? ', which WebGPU allows only with the adapter feature shader-f16' : ''}.`,
  );
  return accelerator === 'webgpu' && support.supported
    ? { ...support, requires: [{ fact: 'shader-f16', missing: 'FP16 compute on WebGPU needs FP16 shaders, and this WebGPU adapter lacks the shader-f16 feature.' }] }
    : support;
}

export function litertPrecisions(accelerator: LiteRtAccelerator): Record<Precision, PrecisionSupport> {
  return { fp32: FP32_SUPPORT, fp16: FP16_WEIGHTS, fp16c: fp16Compute(accelerator), int8: int8(accelerator), int4: INT4_FIXTURE_SUPPORT };
}

/** A LiteRT.js engine: one runtime, one file format, one set of served files; the accelerator decides the rest. */
export function litertDescriptor<const Id extends string>(id: Id, backend: LiteRtAccelerator, label: string, quick: readonly Precision[]) {
  return {
    id,
    runtime: 'LiteRT.js',
    runtimePackage: '@litertjs/core',
    backend,
    label,
    formats: ['tflite'],
    bundle: '@litertjs/core',
    packages: ['@litertjs/core'],
    quick,
    assets: [{ folder: 'litert', from: 'node_modules/@litertjs/core/wasm', files: LITERT_FILES }],
    precisions: litertPrecisions(backend),
  } as const satisfies EngineDescriptor<Id>;
}
