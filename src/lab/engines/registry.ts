import type { EngineAdapter, EngineId } from './engine';

/**
 * Adapters are dynamic imports: a learner's first page load downloads no
 * runtime, and a worker downloads only the one it runs.
 */
const LOADERS: Readonly<Record<EngineId, () => Promise<EngineAdapter>>> = {
  'ort-wasm': async () => (await import('./ort-wasm-engine')).ortWasmEngine,
  'ort-webgl': async () => (await import('./ort-webgl-engine')).ortWebglEngine,
  'ort-webgpu': async () => (await import('./ort-webgpu-engine')).ortWebgpuEngine,
  'ort-webnn': async () => (await import('./ort-webnn-engine')).ortWebnnEngine,
  'tfjs-cpu': async () => (await import('./tfjs-cpu-engine')).tfjsCpuEngine,
  'tfjs-wasm': async () => (await import('./tfjs-wasm-engine')).tfjsWasmEngine,
  'tfjs-webgl': async () => (await import('./tfjs-webgl-engine')).tfjsWebglEngine,
  'tfjs-webgpu': async () => (await import('./tfjs-webgpu-engine')).tfjsWebgpuEngine,
};

export function loadEngine(id: EngineId): Promise<EngineAdapter> {
  const loader = LOADERS[id];
  if (!loader) throw new RangeError(`Unknown engine "${String(id)}". Should be one of: ${Object.keys(LOADERS).join(', ')}`);
  return loader();
}
