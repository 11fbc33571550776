/**
 * The course's capstone matrix — CPU FP32, GPU FP32, GPU FP16, Edge INT8 —
 * mapped to the engines this device really has, with the reason for each
 * choice in words. The course speaks of "a CPU" and "a GPU"; a browser offers
 * wasm, WebGL and WebGPU backends, and on some machines the "GPU" is the CPU
 * emulating one. The mapping says which engine stands for which role here,
 * and marks a software GPU as one.
 */
import type { DeviceReport } from '../device/device-report';
import type { EngineId } from '../engines/engine-descriptors';
import { ENGINES } from '../engines/engine-descriptors';
import type { Precision } from '../engines/precision';
import { PRECISION_LABELS } from '../engines/precision';
import { SOFTWARE_GPU_MARK, isSoftwareBackend } from '../results/software-gpu';

export const COURSE_ROLES = Object.freeze(['cpu-fp32', 'gpu-fp32', 'gpu-fp16', 'edge-int8'] as const);
export type CourseRole = (typeof COURSE_ROLES)[number];

export const COURSE_ROLE_LABELS: Readonly<Record<CourseRole, string>> = Object.freeze({
  'cpu-fp32': 'CPU FP32',
  'gpu-fp32': 'GPU FP32',
  'gpu-fp16': 'GPU FP16',
  'edge-int8': 'Edge INT8',
});

export type CourseMapping =
  | { role: CourseRole; state: 'mapped'; engine: EngineId; precision: Precision; softwareGpu: boolean; why: string }
  | { role: CourseRole; state: 'missing'; why: string };

type Device = Pick<DeviceReport, 'webgl' | 'webgpu' | 'crossOriginIsolated' | 'hardwareConcurrency'>;

function gpuNote(device: Device, backend: 'webgl' | 'webgpu'): string {
  return isSoftwareBackend(backend, device) ? ` On this device it is a software GPU (${SOFTWARE_GPU_MARK}): the CPU emulating a graphics card.` : '';
}

function mapped(role: CourseRole, engine: EngineId, precision: Precision, device: Device, why: string): CourseMapping {
  const backend = ENGINES[engine].backend;
  const softwareGpu = isSoftwareBackend(backend, device);
  return { role, state: 'mapped', engine, precision, softwareGpu, why: `${ENGINES[engine].label} ${PRECISION_LABELS[precision]}: ${why}${backend === 'webgl' || backend === 'webgpu' ? gpuNote(device, backend) : ''}` };
}

/** Each role of the course's matrix and the engine that plays it on this device, or why none can. */
export function courseMatrix(device: Device): CourseMapping[] {
  const threads = device.crossOriginIsolated ? `${device.hardwareConcurrency} threads` : 'one thread (the page is not cross-origin isolated)';
  const webgpu = device.webgpu.status === 'available';
  const webgl = device.webgl.status === 'available';
  const shaderF16 = device.webgpu.status === 'available' && device.webgpu.detail.features.includes('shader-f16');

  const cpu = mapped('cpu-fp32', 'ort-wasm', 'fp32', device, `the CPU as the browser offers it — WebAssembly with 128-bit SIMD on ${threads}, onnxruntime's plain wasm build.`);

  const gpu32: CourseMapping = webgpu
    ? mapped('gpu-fp32', 'ort-webgpu', 'fp32', device, 'WebGPU, the browser\'s modern GPU interface, through onnxruntime-web.')
    : webgl
      ? mapped('gpu-fp32', 'tfjs-webgl', 'fp32', device, `this browser has no WebGPU (${device.webgpu.status === 'unavailable' ? device.webgpu.reason : ''}), so WebGL stands for the GPU, through TensorFlow.js.`)
      : { role: 'gpu-fp32', state: 'missing', why: 'This browser offers neither WebGPU nor WebGL: no GPU engine can run here.' };

  const gpu16: CourseMapping = shaderF16
    ? mapped('gpu-fp16', 'ort-webgpu', 'fp16c', device, 'a full FP16 graph on WebGPU; this adapter has shader-f16, so the arithmetic itself is FP16.')
    : webgl
      ? mapped(
          'gpu-fp16',
          'tfjs-webgl',
          'fp16c',
          device,
          `${webgpu ? 'this WebGPU adapter lacks shader-f16, so ' : ''}TF.js WebGL keeps every intermediate in half-float textures: values are rounded to FP16 between operations while each shader computes in FP32 — FP16 storage of activations, not FP16 arithmetic.`,
        )
      : { role: 'gpu-fp16', state: 'missing', why: 'No engine here computes in FP16: WebGPU without shader-f16 and no WebGL.' };

  const int8 = mapped(
    'edge-int8',
    'ort-wasm',
    'int8',
    device,
    'the edge deployment: INT8 weights and activations on integer kernels (onnxruntime fuses the quantized graph into QLinearMatMul/QLinearConv), on the CPU as a phone or a small board would run it.',
  );
  return [cpu, gpu32, gpu16, int8];
}
