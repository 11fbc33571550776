import { simd, threads } from 'wasm-feature-detect';
import { measureTimerResolution } from '../bench/timer';
import { errorMessage } from '../util/errors';
import { parseBrowser } from './browser-info';
import type { Capability, DeviceReport, TimerDetail, WebGlDetail } from './device-report';
import { available, unavailable } from './device-report';
import { probeWebGpuCapability, probeWebNnCapability } from './api-probes';
import { describeWebGl } from './gpu-info';
import { probeJspi, probeRelaxedSimd } from './wasm-probes';

const TIMER_SAMPLES = 200;
/** Without cross-origin isolation browsers coarsen performance.now() to ~100 µs. */
const COARSE_TIMER_MS = 0.02;

let cached: Promise<DeviceReport> | undefined;

/** Probes the device once per page; later calls get the same report. */
export function getDeviceReport(): Promise<DeviceReport> {
  cached ??= probeDevice();
  return cached;
}

async function probeDevice(): Promise<DeviceReport> {
  const [browser, wasmSimd, wasmThreads, wasmRelaxedSimd, jspi, webgpu, webnn] = await Promise.all([
    probeBrowser(),
    probeSimd(),
    probeThreads(),
    probeRelaxedSimd(),
    probeJspi(),
    probeWebGpuCapability(),
    probeWebNnCapability(),
  ]);
  return {
    schemaVersion: 1,
    probedAt: new Date().toISOString(),
    app: { version: __APP_VERSION__ },
    browser,
    engines: { ...__RUNTIME_VERSIONS__ },
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    timer: probeTimer(),
    wasm:
      typeof WebAssembly === 'object'
        ? available({ version: 'mvp' as const })
        : unavailable('This browser has no WebAssembly; only the TensorFlow.js "cpu" (plain JavaScript) engine can run.'),
    wasmSimd,
    wasmThreads,
    wasmRelaxedSimd,
    jspi,
    webgl: probeWebGl(),
    webgpu,
    webnn,
  };
}

async function probeBrowser(): Promise<DeviceReport['browser']> {
  const uaData = (navigator as Navigator & { userAgentData?: UaData }).userAgentData;
  let brands: { brand: string; version: string }[] | undefined;
  try {
    brands = (await uaData?.getHighEntropyValues(['fullVersionList']))?.fullVersionList;
  } catch {
    brands = uaData?.brands;
  }
  return parseBrowser(navigator.userAgent, uaData?.platform ?? navigator.platform, brands);
}

interface UaData {
  brands: { brand: string; version: string }[];
  platform: string;
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}

async function probeSimd(): Promise<Capability<{ bits: 128 }>> {
  if (!(await simd())) {
    return unavailable('No WebAssembly SIMD: the wasm engines here need it (both onnxruntime-web and TF.js ship SIMD builds).');
  }
  return available({ bits: 128 as const });
}

async function probeThreads(): Promise<Capability<{ maxThreads: number }>> {
  if (!globalThis.crossOriginIsolated) {
    return unavailable(
      'Threads need a cross-origin isolated page (COOP/COEP headers), and this page is not isolated, so wasm engines run on one thread.',
    );
  }
  if (!(await threads())) {
    return unavailable('This browser cannot share WebAssembly memory between threads, so wasm engines run on one thread.');
  }
  return available({ maxThreads: navigator.hardwareConcurrency });
}

function probeTimer(): TimerDetail {
  const { stepMs, samples } = measureTimerResolution(() => performance.now(), TIMER_SAMPLES);
  const note =
    stepMs > COARSE_TIMER_MS
      ? `The clock only ticks every ${formatMs(stepMs)}: runs shorter than that cannot be timed one by one.`
      : `The clock ticks every ${formatMs(stepMs)}: fine enough to time single runs.`;
  return { stepMs, samples, note };
}

function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

function probeWebGl(): Capability<WebGlDetail> {
  if (typeof document === 'undefined') return unavailable('WebGL is probed on the page, not in a worker.');
  const canvas = document.createElement('canvas');
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null;
  let version: 1 | 2 = 2;
  try {
    gl = canvas.getContext('webgl2');
    if (!gl) {
      gl = canvas.getContext('webgl');
      version = 1;
    }
  } catch (error) {
    return unavailable('Creating a WebGL context failed.', errorMessage(error));
  }
  if (!gl) {
    return unavailable(
      'This browser gives no WebGL context (no usable GPU driver, or WebGL is switched off), so the WebGL engines cannot run.',
    );
  }
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const detail = {
    version,
    vendor: String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
    renderer: String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    unmasked: debug !== null,
    maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)),
  };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return describeWebGl(detail);
}
