import type { Capability, WebGlDetail, WebGpuDetail } from './device-report';
import { available, unavailable } from './device-report';
import type { EngineFamily } from './browser-info';

/** Renderers that are CPU emulations of a GPU: their numbers say nothing about real GPUs. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|lavapipe/i;

export const SOFTWARE_GPU_NOTE =
  'This is a software (CPU-emulated) GPU: it proves the code path works, but its speed says nothing about a real graphics card.';

/** The limits that decide whether a model fits and how big a workgroup may be. */
export const KEY_WEBGPU_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
] as const;

export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface AdapterLike {
  info?: AdapterInfoLike;
  /** Older Chromium put this on the adapter rather than on its info. */
  isFallbackAdapter?: boolean;
  features: Iterable<string>;
  limits: object;
}

export function isSoftwareRenderer(...names: readonly string[]): boolean {
  return names.some((n) => SOFTWARE_RENDERER.test(n));
}

export function describeWebGpuAdapter(adapter: AdapterLike): Capability<WebGpuDetail> {
  const info = adapter.info ?? {};
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const detail: WebGpuDetail = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter,
    software: isFallbackAdapter || isSoftwareRenderer(info.architecture ?? '', info.description ?? '', info.device ?? ''),
    features: [...adapter.features].sort(),
    limits: pickLimits(adapter.limits),
  };
  const notes: string[] = [];
  if (detail.software) notes.push(SOFTWARE_GPU_NOTE);
  if (!detail.features.includes('shader-f16')) {
    notes.push('No "shader-f16": WebGPU engines cannot compute in FP16 here; FP16 models either fail or compute in FP32.');
  }
  if (!detail.features.includes('timestamp-query')) {
    notes.push('No "timestamp-query": GPU time cannot be measured apart from the rest of a run.');
  }
  return available(detail, notes);
}

function pickLimits(limits: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of KEY_WEBGPU_LIMITS) {
    const value: unknown = (limits as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/**
 * Renderer names browsers report in place of the real one, even through
 * WEBGL_debug_renderer_info: Safari and WebKitGTK say "Apple GPU" whatever
 * the hardware (WebKitGTK says it on a machine with no GPU at all).
 */
const MASKED_RENDERER = /^(apple gpu|webkit webgl|generic renderer|mozilla)$/i;

export function describeWebGl(detail: Omit<WebGlDetail, 'software'>): Capability<WebGlDetail> {
  const masked = !detail.unmasked || MASKED_RENDERER.test(detail.renderer.trim());
  // A name that hides the renderer says nothing either way: unknown, never "hardware".
  const software = isSoftwareRenderer(detail.renderer, detail.vendor) ? true : masked ? null : false;
  const notes: string[] = [];
  if (software) notes.push(SOFTWARE_GPU_NOTE);
  if (masked) {
    notes.push(
      `The browser hides the real GPU name (privacy masking: "${detail.renderer}" is generic), so whether this is a hardware or a software (CPU-emulated) GPU is unknown.`,
    );
  }
  if (detail.version === 1) notes.push('Only WebGL 1: TensorFlow.js and onnxruntime-web run slower or not at all on it.');
  return available({ ...detail, software }, notes);
}

/** What each engine family needs for WebGPU, so a reason never suggests another browser's switch. */
const WEBGPU_HINT: Record<EngineFamily, { noApi: string; noAdapter: string }> = {
  chromium: {
    noApi: 'This browser does not offer WebGPU (no navigator.gpu). Chromium-based browsers ship it on most desktops; on Linux it needs --enable-unsafe-webgpu.',
    noAdapter: 'The browser offers WebGPU but found no GPU adapter it is willing to use (blocked driver, no GPU, or WebGPU disabled). On Linux, Chromium needs --enable-unsafe-webgpu.',
  },
  firefox: {
    noApi: 'This Firefox does not offer WebGPU (no navigator.gpu): outside the platforms Firefox ships it on, it is behind the dom.webgpu.enabled preference.',
    noAdapter: 'This Firefox offers navigator.gpu (dom.webgpu.enabled) but returned no adapter: its WebGPU found no GPU it supports here.',
  },
  webkit: {
    noApi: 'This WebKit build does not offer WebGPU (no navigator.gpu).',
    noAdapter: 'This WebKit build offers navigator.gpu but returned no adapter: its WebGPU found no GPU it supports here.',
  },
  other: {
    noApi: 'This browser does not offer WebGPU (no navigator.gpu).',
    noAdapter: 'The browser offers WebGPU but found no GPU adapter it is willing to use (blocked driver, no GPU, or WebGPU disabled).',
  },
};

/** Why WebGPU is missing, in words a learner can act on, for the browser it is shown in. */
export function webGpuUnavailable(cause: 'no-api' | 'no-adapter' | 'error', error?: unknown, family: EngineFamily = 'other'): Capability<WebGpuDetail> {
  switch (cause) {
    case 'no-api':
      return unavailable(WEBGPU_HINT[family].noApi);
    case 'no-adapter':
      return unavailable(WEBGPU_HINT[family].noAdapter, 'navigator.gpu.requestAdapter() returned null');
    case 'error':
      return unavailable('Asking the browser for a WebGPU adapter failed.', String(error));
  }
}
