import { describe, expect, it } from 'vitest';
import { describeWebGl, describeWebGpuAdapter, isSoftwareRenderer, SOFTWARE_GPU_NOTE, webGpuUnavailable } from './gpu-info';

const SWIFTSHADER = {
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: true },
  features: new Set(['timestamp-query', 'subgroups', 'depth-clip-control']),
  limits: { maxBufferSize: 268435456, maxComputeWorkgroupSizeX: 256, somethingElse: 1, label: 'x' },
};

describe('describeWebGpuAdapter', () => {
  it('reads the SwiftShader fallback adapter as software, with sorted features and key limits only', () => {
    const cap = describeWebGpuAdapter(SWIFTSHADER);
    expect(cap.status).toBe('available');
    if (cap.status !== 'available') return;
    expect(cap.detail).toEqual({
      vendor: 'google',
      architecture: 'swiftshader',
      device: '',
      description: 'SwiftShader Device (Subzero)',
      isFallbackAdapter: true,
      software: true,
      features: ['depth-clip-control', 'subgroups', 'timestamp-query'],
      limits: { maxBufferSize: 268435456, maxComputeWorkgroupSizeX: 256 },
    });
    expect(cap.notes).toContain(SOFTWARE_GPU_NOTE);
    expect(cap.notes.some((n) => n.includes('shader-f16'))).toBe(true);
  });

  it('takes isFallbackAdapter from the adapter when info lacks it, and trusts a real GPU', () => {
    const cap = describeWebGpuAdapter({
      info: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA RTX' },
      features: ['shader-f16', 'timestamp-query'],
      limits: {},
    });
    expect(cap.status === 'available' && cap.detail.software).toBe(false);
    expect(cap.status === 'available' && cap.notes).toEqual([]);
    const old = describeWebGpuAdapter({ isFallbackAdapter: true, features: [], limits: {} });
    expect(old.status === 'available' && old.detail.isFallbackAdapter).toBe(true);
  });
});

describe('describeWebGl', () => {
  it('flags SwiftShader and masked names', () => {
    const cap = describeWebGl({
      version: 2,
      vendor: 'Google Inc. (Google)',
      renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      unmasked: false,
      maxTextureSize: 8192,
    });
    expect(cap.status === 'available' && cap.detail.software).toBe(true);
    expect(cap.status === 'available' && cap.notes.length).toBe(2);
  });
});

describe('masked renderers', () => {
  it('treats WebKit\'s "Apple GPU" as unknown, not hardware, even when the debug extension answered', () => {
    const cap = describeWebGl({ version: 2, vendor: 'Apple Inc.', renderer: 'Apple GPU', unmasked: true, maxTextureSize: 16384 });
    expect(cap.status === 'available' && cap.detail.software).toBeNull();
    expect(cap.status === 'available' && cap.notes.join(' ')).toMatch(/hardware or a software .* is unknown/);
    const real = describeWebGl({ version: 2, vendor: 'NVIDIA Corporation', renderer: 'NVIDIA GeForce RTX 3060/PCIe/SSE2', unmasked: true, maxTextureSize: 32768 });
    expect(real.status === 'available' && real.detail.software).toBe(false);
  });
});

describe('software detection and reasons', () => {
  it('gives each browser the WebGPU hint that fits it', () => {
    const firefox = webGpuUnavailable('no-adapter', undefined, 'firefox');
    expect(firefox.status === 'unavailable' && firefox.reason).toMatch(/Firefox/);
    expect(firefox.status === 'unavailable' && firefox.reason).not.toMatch(/Chromium|--enable-unsafe-webgpu/);
    const chromium = webGpuUnavailable('no-adapter', undefined, 'chromium');
    expect(chromium.status === 'unavailable' && chromium.reason).toMatch(/--enable-unsafe-webgpu/);
    const webkit = webGpuUnavailable('no-api', undefined, 'webkit');
    expect(webkit.status === 'unavailable' && webkit.reason).toBe('This WebKit build does not offer WebGPU (no navigator.gpu).');
  });

  it('knows the usual CPU rasterizers', () => {
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA GeForce RTX 3060)')).toBe(false);
  });
  it('explains each way WebGPU can be missing', () => {
    const noApi = webGpuUnavailable('no-api');
    expect(noApi.status === 'unavailable' && noApi.reason).toContain('navigator.gpu');
    expect(webGpuUnavailable('no-adapter')).toMatchObject({ technical: 'navigator.gpu.requestAdapter() returned null' });
    expect(webGpuUnavailable('error', new Error('boom'))).toMatchObject({ technical: 'Error: boom' });
  });
});
