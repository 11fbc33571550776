/**
 * Which kind of hardware a cell's work runs on, for pricing: an hour of a GPU
 * machine costs what an hour of a CPU machine does not. Decided once here
 * from the engine's backend and the device report: a WebGL or WebGPU cell on
 * a software adapter (SwiftShader, llvmpipe) runs on the CPU and is priced
 * as the CPU, and says so.
 */
import type { DeviceReport } from '../device/device-report';
import type { Backend } from './engine';

export const HARDWARE_KINDS = Object.freeze(['cpu', 'gpu'] as const);
export type HardwareKind = (typeof HARDWARE_KINDS)[number];

export const HARDWARE_LABELS: Readonly<Record<HardwareKind, string>> = Object.freeze({ cpu: 'CPU', gpu: 'GPU' });

export interface HardwareUse {
  kind: HardwareKind;
  /** Why the kind is not the backend's obvious one (a software GPU), when it is not. */
  note?: string;
}

/** WebNN is asked for its CPU device (ort-webnn-engine.ts), so it prices as the CPU too. */
const k_gpu_backends: readonly Backend[] = ['webgl', 'webgpu'];

export function hardwareOf(backend: Backend, device: Pick<DeviceReport, 'webgl' | 'webgpu'>): HardwareUse {
  if (!k_gpu_backends.includes(backend)) return { kind: 'cpu' };
  const capability = backend === 'webgl' ? device.webgl : device.webgpu;
  if (capability.status === 'available' && capability.detail.software) {
    return { kind: 'cpu', note: `${backend === 'webgl' ? 'WebGL' : 'WebGPU'} here is a software adapter that runs on the CPU, so it is priced as the CPU` };
  }
  return { kind: 'gpu' };
}
