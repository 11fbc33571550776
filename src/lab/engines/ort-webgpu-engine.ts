import { probeWebGpuCapability } from '../device/api-probes';
import { createOrtEngine } from './ort-common';
import { ORT_WEBGPU } from './ort-webgpu.descriptor';
import { probeWebGpu } from './worker-probes';

export const adapter = createOrtEngine({
  descriptor: ORT_WEBGPU,
  load: () => import('onnxruntime-web/webgpu'),
  wasmFile: 'ort-wasm-simd-threaded.asyncify.wasm',
  executionProviders: ['webgpu'],
  probe: probeWebGpu,
  preflight: async (bytes) => (await import('./ort-gpu-domains')).findOutsideGpuDomainsIn(bytes, 'webgpu'),
  sessionProfiler: true,
  profilerNote: 'Node times from onnxruntime\'s session profiler on the CPU side: WebGPU work is asynchronous, so a node\'s time is mostly its dispatch, and the GPU time lands where outputs are read back.',
  async facts() {
    const gpu = await probeWebGpuCapability();
    return { 'shader-f16': gpu.status === 'available' && gpu.detail.features.includes('shader-f16') };
  },
});
