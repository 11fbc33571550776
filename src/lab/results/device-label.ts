/**
 * How a run's device is named wherever runs stand side by side (comparison,
 * gallery, recommendation): browser and major version, platform, cores, and
 * the GPU when there is a real one.
 */
import type { DeviceReport } from '../device/device-report';

export function gpuName(device: Pick<DeviceReport, 'webgl' | 'webgpu'>): string | null {
  if (device.webgpu.status === 'available') {
    const d = device.webgpu.detail;
    return `${d.vendor} ${d.architecture}${d.software ? ' (software)' : ''}`.trim();
  }
  if (device.webgl.status === 'available') return `${device.webgl.detail.renderer}${device.webgl.detail.software ? ' (software)' : ''}`;
  return null;
}

/** Broad class of device, for filtering a gallery: a phone, a tablet or a computer, from the browser's own platform words. */
export function deviceClass(device: Pick<DeviceReport, 'browser'>): 'phone' | 'tablet' | 'computer' {
  const ua = device.browser.userAgent ?? '';
  if (/iPad|Tablet/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return 'tablet';
  if (/iPhone|Mobile|Android/i.test(ua)) return 'phone';
  return 'computer';
}

export function deviceLabel(device: Pick<DeviceReport, 'browser' | 'hardwareConcurrency'>): string {
  const major = device.browser.version.split('.')[0] ?? device.browser.version;
  return `${device.browser.name} ${major} · ${device.browser.platform} · ${device.hardwareConcurrency} cores`;
}
