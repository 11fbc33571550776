import { describe, expect, it } from 'vitest';
import type { DeviceReport } from '../device/device-report';
import { courseMatrix } from './course-matrix';
import { device } from '../results/test-results';

const isolated = (d: DeviceReport) => ({ ...d, crossOriginIsolated: true });

describe('courseMatrix', () => {
  it('maps the four roles on a software-GPU WebGPU device without shader-f16, and says the GPU is software', () => {
    const roles = courseMatrix(isolated(device(true)));
    expect(roles.map((r) => (r.state === 'mapped' ? `${r.role}=${r.engine}:${r.precision}${r.softwareGpu ? ' (software)' : ''}` : `${r.role} missing`))).toEqual([
      'cpu-fp32=ort-wasm:fp32',
      'gpu-fp32=ort-webgpu:fp32 (software)',
      'gpu-fp16=tfjs-webgl:fp16c (software)',
      'edge-int8=ort-wasm:int8',
    ]);
    expect(roles[0]?.why).toBe("ORT wasm FP32: the CPU as the browser offers it — WebAssembly with 128-bit SIMD on 2 threads, onnxruntime's plain wasm build.");
    expect(roles[1]?.why).toContain('On this device it is a software GPU (software GPU — not a GPU speed)');
    expect(roles[2]?.why).toContain('this WebGPU adapter lacks shader-f16');
  });

  it('uses real FP16 arithmetic on WebGPU where shader-f16 exists, and marks nothing on a hardware GPU', () => {
    const d = isolated(device(false));
    if (d.webgpu.status === 'available') d.webgpu.detail.features = ['shader-f16'];
    const roles = courseMatrix(d);
    expect(roles[2]).toMatchObject({ state: 'mapped', engine: 'ort-webgpu', precision: 'fp16c', softwareGpu: false });
    expect(roles.map((r) => r.why).join(' ')).not.toContain('software GPU');
  });

  it('falls back to WebGL for the GPU without WebGPU, and says when no GPU engine exists', () => {
    const noWebGpu = { ...isolated(device(true)), webgpu: { status: 'unavailable' as const, reason: 'no adapter' } };
    expect(courseMatrix(noWebGpu)[1]).toMatchObject({ engine: 'tfjs-webgl', precision: 'fp32' });
    const noGpu = { ...noWebGpu, webgl: { status: 'unavailable' as const, reason: 'no WebGL' } };
    expect(courseMatrix(noGpu).map((r) => r.state)).toEqual(['mapped', 'missing', 'missing', 'mapped']);
  });

  it('says one thread when the page is not isolated', () => {
    expect(courseMatrix({ ...device(true), crossOriginIsolated: false })[0]?.why).toContain('one thread (the page is not cross-origin isolated)');
  });
});
