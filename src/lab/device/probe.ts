import { simd, threads } from 'wasm-feature-detect';
import { BENCH_RULES } from '../bench/protocol';
import { measureTimerResolution } from '../bench/timer';
import { errorMessage } from '../util/errors';
import { browserFamily, parseBrowser } from './browser-info';
import type { Availability } from '../engines/engine';
import { withTimeout } from '../util/timeout';
import type { Capability, DeviceReport, TimerDetail, WebGlDetail } from './device-report';
import { available, unavailable } from './device-report';
import { probeWebGpuCapability, probeWebNnCapability } from './api-probes';
import { describeWebGl } from './gpu-info';
import { probeJspi, probeRelaxedSimd } from './wasm-probes';

const TIMER_SAMPLES = 200;
/** Without cross-origin isolation browsers coarsen performance.now() to ~100 µs. */
const COARSE_TIMER_MS = 0.02;
/** A step this fine times a single call of a few tens of µs in tens of ticks (isolated Chromium: 5 µs). */
const FINE_TIMER_MS = 0.005;
/** Ticks a sample must span (the quick rules' minTimerSteps). */
const TIMER_TICKS_PER_SAMPLE = BENCH_RULES.quick.minTimerSteps;

let cached: Promise<DeviceReport> | undefined;

/** Probes the device once per page; later calls get the same report. */
export function getDeviceReport(): Promise<DeviceReport> {
  cached ??= probeDevice();
  return cached;
}

async function probeDevice(): Promise<DeviceReport> {
  const [browser, wasmSimd, wasmThreads, wasmRelaxedSimd, jspi, webgpu, webnn, webglInWorker] = await Promise.all([
    probeBrowser(),
    probeSimd(),
    probeThreads(),
    probeRelaxedSimd(),
    probeJspi(),
    probeWebGpuCapability(),
    probeWebNnCapability(),
    probeWebGlInWorker(),
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
    webglInWorker,
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

/** How long the throwaway WebGL worker may take to answer. */
const WEBGL_WORKER_TIMEOUT_MS = 5000;

/** WebGL 2 asked for where the cells run: a worker (WebKit has it on the page and, by default, not there). */
async function probeWebGlInWorker(): Promise<Capability<{ version: 2 }>> {
  if (typeof Worker === 'undefined') return unavailable('This browser has no Web Workers, where the lab runs every cell.');
  const worker = new Worker(new URL('./webgl-worker-probe.ts', import.meta.url), { type: 'module', name: 'inference-lab-webgl-probe' });
  try {
    const answer = await withTimeout(
      new Promise<Availability>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<Availability>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message || 'the probe worker failed to start'));
      }),
      WEBGL_WORKER_TIMEOUT_MS,
      'the WebGL worker probe',
    );
    return answer.available ? available({ version: 2 as const }) : unavailable(answer.reason);
  } catch (error) {
    return unavailable('Probing WebGL in a worker failed.', errorMessage(error));
  } finally {
    worker.terminate();
  }
}

async function probeThreads(): Promise<Capability<{ maxThreads: number }>> {
  if (!globalThis.crossOriginIsolated) {
    return unavailable(
      'Threads need a cross-origin isolated page (COOP/COEP headers), and this page is not isolated, so wasm engines run on one thread.',
    );
  }
  if (typeof SharedArrayBuffer === 'undefined') {
    return unavailable('The page is cross-origin isolated but this browser offers no SharedArrayBuffer (WebKitGTK keeps it off unless JavaScriptCore is told otherwise), so wasm engines run on one thread.');
  }
  if (!(await threads())) {
    return unavailable('This browser cannot share WebAssembly memory between threads, so wasm engines run on one thread.');
  }
  const notes =
    browserFamily(navigator.userAgent) === 'webkit'
      ? ['WebKit reports a rounded core count (navigator.hardwareConcurrency, for privacy), not the machine\'s: a plan that asks for "all cores" may start more threads than there are cores.']
      : [];
  return available({ maxThreads: navigator.hardwareConcurrency }, notes);
}

function probeTimer(): TimerDetail {
  const { stepMs, samples } = measureTimerResolution(() => performance.now(), TIMER_SAMPLES);
  const grouped = formatMs(stepMs * TIMER_TICKS_PER_SAMPLE);
  const note =
    stepMs > COARSE_TIMER_MS
      ? `The clock only ticks every ${formatMs(stepMs)}: calls shorter than ${grouped} (${TIMER_TICKS_PER_SAMPLE} ticks) are timed in groups of back-to-back calls, never one by one.`
      : stepMs > FINE_TIMER_MS
        ? `The clock ticks every ${formatMs(stepMs)}: a call shorter than ${grouped} spans fewer than ${TIMER_TICKS_PER_SAMPLE} ticks, so such calls are timed in groups of back-to-back calls (a median of a few ticks would be mostly rounding).`
        : `The clock ticks every ${formatMs(stepMs)}: fine enough to time single calls down to ${grouped}; shorter ones are timed in groups.`;
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
