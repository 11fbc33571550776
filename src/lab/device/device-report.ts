/**
 * The device report: what this browser can do for in-browser inference.
 * Plain JSON (it travels through `window.inferenceLab`, results files and URLs).
 */

/** A capability is either there, with what we learned, or missing with a reason a learner can read. */
export type Capability<T> =
  | { status: 'available'; detail: T; notes: string[] }
  | { status: 'unavailable'; reason: string; technical?: string };

export interface BrowserInfo {
  name: string;
  version: string;
  userAgent: string;
  platform: string;
}

export interface WebGlDetail {
  version: 1 | 2;
  vendor: string;
  renderer: string;
  /** True when WEBGL_debug_renderer_info gave the real (unmasked) names. */
  unmasked: boolean;
  maxTextureSize: number;
  /** Whether the renderer is a CPU emulation; null when the browser masks the renderer so that nobody can tell. */
  software: boolean | null;
}

export interface WebGpuDetail {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  software: boolean;
  features: string[];
  limits: Record<string, number>;
}

export interface WebNnDetail {
  deviceType: string;
}

export interface TimerDetail {
  /** Smallest positive step of performance.now(), measured, in ms. */
  stepMs: number;
  samples: number;
  note: string;
}

export interface DeviceReport {
  schemaVersion: 1;
  probedAt: string;
  app: { version: string };
  browser: BrowserInfo;
  /** Runtime name → the version served by this page (every runtime an engine descriptor names). */
  engines: Record<string, string>;
  hardwareConcurrency: number;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  timer: TimerDetail;
  wasm: Capability<{ version: 'mvp' }>;
  wasmSimd: Capability<{ bits: 128 }>;
  wasmThreads: Capability<{ maxThreads: number }>;
  /** Relaxed SIMD and JSPI decide which LiteRT.js wasm build loads (src/lab/device/wasm-probes.ts); absent in reports made before LiteRT. */
  wasmRelaxedSimd?: Capability<{ relaxed: true }>;
  jspi?: Capability<{ suspending: true }>;
  webgl: Capability<WebGlDetail>;
  /** WebGL 2 where the cells run, in a worker (OffscreenCanvas): a browser can have it on the page and not there. Absent in reports from before it was probed. */
  webglInWorker?: Capability<{ version: 2 }>;
  webgpu: Capability<WebGpuDetail>;
  webnn: Capability<WebNnDetail>;
}

export function available<T>(detail: T, notes: string[] = []): Capability<T> {
  return { status: 'available', detail, notes };
}

export function unavailable<T>(reason: string, technical?: string): Capability<T> {
  return technical === undefined ? { status: 'unavailable', reason } : { status: 'unavailable', reason, technical };
}

/** "onnxruntime-web 1.30.0 · tensorflow.js 4.22.0": one line for the page, the CLI and the HTML report. */
export function describeEngineVersions(engines: Readonly<Record<string, string>>): string {
  return Object.entries(engines)
    .map(([runtime, version]) => `${runtime} ${version}`)
    .join(' · ');
}
