import type { Capability, DeviceReport } from '../../lab/device/device-report';
import { describeEngineVersions } from '../../lab/device/device-report';

export interface DeviceRow {
  id: string;
  label: string;
  status: 'available' | 'unavailable' | 'info';
  value: string;
  /** What this line means for inference, in plain words. */
  explain: string;
  /** Caveats (available) or the reason it is missing (unavailable). */
  notes: string[];
}

function capabilityRow<T>(
  id: string,
  label: string,
  cap: Capability<T>,
  explain: string,
  describe: (detail: T) => string,
): DeviceRow {
  if (cap.status === 'available') return { id, label, status: 'available', value: describe(cap.detail), explain, notes: cap.notes };
  const notes = cap.technical ? [cap.reason, `Browser said: ${cap.technical}`] : [cap.reason];
  return { id, label, status: 'unavailable', value: 'unavailable', explain, notes };
}

export function deviceRows(r: DeviceReport): DeviceRow[] {
  return [
    {
      id: 'browser',
      label: 'Browser',
      status: 'info',
      value: `${r.browser.name} ${r.browser.version} (${r.browser.platform})`,
      explain: 'Engines behave differently from one browser and version to the next; every figure is tied to this one.',
      notes: [],
    },
    {
      id: 'engines',
      label: 'Engine versions',
      status: 'info',
      value: describeEngineVersions(r.engines),
      explain: 'The inference runtimes this lab compares, served from this page itself.',
      notes: [],
    },
    {
      id: 'cores',
      label: 'Logical CPU cores',
      status: 'info',
      value: String(r.hardwareConcurrency),
      explain: 'navigator.hardwareConcurrency: the most threads a wasm engine can usefully use.',
      notes: [],
    },
    {
      id: 'isolation',
      label: 'Cross-origin isolation',
      status: r.crossOriginIsolated ? 'available' : 'unavailable',
      value: r.crossOriginIsolated ? `isolated · SharedArrayBuffer ${r.sharedArrayBuffer ? 'on' : 'off'}` : 'not isolated',
      explain: 'Isolation (COOP/COEP headers) unlocks shared memory, which wasm threads and a fine-grained clock need.',
      notes: r.crossOriginIsolated ? [] : ['The host did not send COOP/COEP headers, so threads are off and the clock is coarse.'],
    },
    capabilityRow('wasm-simd', 'WebAssembly SIMD', r.wasmSimd, 'SIMD lets the CPU engines work on 4 numbers per instruction.', (d) => `${d.bits}-bit`),
    capabilityRow(
      'wasm-threads',
      'WebAssembly threads',
      r.wasmThreads,
      'Threads let a wasm engine split one inference across CPU cores.',
      (d) => `up to ${d.maxThreads}`,
    ),
    ...(r.wasmRelaxedSimd
      ? [capabilityRow('wasm-relaxed-simd', 'WebAssembly relaxed SIMD', r.wasmRelaxedSimd, 'Fused multiply-add and other relaxed SIMD instructions: LiteRT.js needs them for its fast and threaded builds.', () => 'available')]
      : []),
    ...(r.jspi
      ? [capabilityRow('jspi', 'WebAssembly JSPI', r.jspi, 'JavaScript Promise Integration lets wasm wait for the GPU or NPU: LiteRT.js needs it for WebNN and to split a model between WebGPU and wasm.', () => 'available')]
      : []),
    {
      id: 'timer',
      label: 'Timer resolution',
      status: 'info',
      value: r.timer.stepMs < 1 ? `${(r.timer.stepMs * 1000).toFixed(1)} µs (measured)` : `${r.timer.stepMs.toFixed(3)} ms (measured)`,
      explain: 'The smallest step performance.now() takes here; no latency below it can be measured directly.',
      notes: [r.timer.note],
    },
    capabilityRow(
      'webgl',
      'WebGL',
      r.webgl,
      'The graphics API the "webgl" engines use to run models on the GPU.',
      (d) => `WebGL ${d.version} · ${d.renderer}${d.software === true ? ' (software)' : d.software === null ? ' (hardware or software: unknown, the name is masked)' : ''}`,
    ),
    ...(r.webglInWorker
      ? [capabilityRow('webgl-worker', 'WebGL in workers', r.webglInWorker, 'WebGL where the lab runs every cell: a worker, through OffscreenCanvas.', () => 'WebGL 2 context in a worker')]
      : []),
    capabilityRow(
      'webgpu',
      'WebGPU',
      r.webgpu,
      'The modern GPU compute API the "webgpu" engines use.',
      (d) =>
        `${[d.vendor, d.architecture, d.description].filter(Boolean).join(' · ') || 'adapter'}${
          d.isFallbackAdapter ? ' (fallback adapter)' : ''
        } · features: ${d.features.join(', ') || 'none'} · limits: ${Object.entries(d.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    ),
    capabilityRow('webnn', 'WebNN', r.webnn, "The browser's own neural-network API (experimental).", (d) => `context on ${d.deviceType}`),
  ];
}
