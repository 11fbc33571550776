/**
 * A WebGL or WebGPU cell that ran on a software rasteriser (SwiftShader,
 * llvmpipe, a fallback adapter) measured the CPU pretending to be a GPU. Its
 * timings are real but say nothing about a graphics card: every place that
 * shows one (table row, bar, cost, finding) carries this mark.
 */
import type { Backend } from '../engines/engine';
import type { DeviceReport } from '../device/device-report';

export const SOFTWARE_GPU_MARK = 'software GPU — not a GPU speed';

export { SOFTWARE_GPU_NOTE } from '../device/gpu-info';

/** Whether cells on this backend ran on a software GPU, by the device report's probe (a masked renderer, software unknown, is not marked). */
export function isSoftwareBackend(backend: Backend, device: Pick<DeviceReport, 'webgl' | 'webgpu'>): boolean {
  if (backend === 'webgl') return device.webgl.status === 'available' && device.webgl.detail.software === true;
  if (backend === 'webgpu') return device.webgpu.status === 'available' && device.webgpu.detail.software === true;
  return false;
}

export function isSoftwareGpuCell(cell: { descriptor: { backend: Backend } }, device: Pick<DeviceReport, 'webgl' | 'webgpu'>): boolean {
  return isSoftwareBackend(cell.descriptor.backend, device);
}
